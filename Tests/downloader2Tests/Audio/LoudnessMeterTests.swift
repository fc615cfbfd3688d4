import Audio
import Foundation
import Testing

/// Our BS.1770 meter against libebur128 on the same decoded samples: integrated loudness, sample peak
/// and an album gated over all its tracks, over the sample rates, widths and channel counts a release
/// brings. Each channel carries its own level and signal, so a channel weighted wrongly shows.
@Suite("Loudness meter: our BS.1770 against libebur128")
struct LoudnessMeterTests {
    let dir = TemporaryDirectory("downloader2-meter")

    /// A PCM WAV of a loud part, silence and a part 30 dB down (so both gates decide something): each
    /// channel a tone of its own frequency with white noise, at its own level.
    static func writeWAV(_ path: String, rate: Int, channels: Int, bits: Int, level: Double, seconds: Double, seed: UInt64) {
        let bytes = bits / 8
        let frames = Int(seconds * Double(rate))
        var data = [UInt8]()
        data.reserveCapacity(44 + frames * channels * bytes)
        func le(_ value: Int, _ count: Int) { for i in 0..<count { data.append(UInt8(truncatingIfNeeded: value >> (8 * i))) } }
        data += Array("RIFF".utf8)
        le(36 + frames * channels * bytes, 4)
        data += Array("WAVEfmt ".utf8)
        le(16, 4)
        le(1, 2)
        le(channels, 2)
        le(rate, 4)
        le(rate * channels * bytes, 4)
        le(channels * bytes, 2)
        le(bits, 2)
        data += Array("data".utf8)
        le(frames * channels * bytes, 4)
        let full = Double((1 << (bits - 1)) - 1)
        var generator = SplitMix64(seed: seed)
        for frame in 0..<frames {
            let t = Double(frame) / Double(rate)
            let part = t / seconds
            let gain = part < 0.45 ? 1.0 : part < 0.6 ? 0.0 : 0.0316
            for channel in 0..<channels {
                let frequency = 110.0 * Double(channel + 1) * 1.5
                let noise = Double(generator.next() >> 11) / Double(1 << 53) * 2 - 1
                let value = level * gain / Double(channel + 1) * (0.6 * sin(2 * .pi * frequency * t) + 0.4 * noise)
                le(Int((value * full).rounded()), bytes)
            }
        }
        FileManager.default.createFile(atPath: path, contents: Data(data))
    }

    @Test(
        "integrated loudness within 0.01 LU of libebur128 and the same sample peak",
        arguments: [
            (44_100, 2, 16), (48_000, 1, 24), (48_000, 6, 24), (44_100, 4, 16), (44_100, 5, 16), (22_050, 2, 16), (11_025, 2, 16),
            (96_000, 2, 24), (32_000, 3, 16),
        ])
    func track(rate: Int, channels: Int, bits: Int) throws {
        let path = dir.file("\(rate)-\(channels)-\(bits).wav")
        Self.writeWAV(path, rate: rate, channels: channels, bits: bits, level: 0.7, seconds: 6, seed: UInt64(rate + channels))
        let ours = try #require(try LoudnessMeter.measure(path: path))
        let reference = try #require(try ReferenceLoudness.measure(path: path))
        let (mine, theirs) = (try #require(ours.integratedLUFS), try #require(reference.integratedLUFS))
        #expect(abs(mine - theirs) < 0.01, "\(rate) Hz, \(channels) channels: \(mine) LUFS against libebur128's \(theirs)")
        #expect(abs(ours.samplePeak - reference.samplePeak) < 1e-6, "peak \(ours.samplePeak) against \(reference.samplePeak)")
    }

    @Test("an album gated over every block of its tracks as libebur128 gates it; silence has no loudness")
    func album() throws {
        var ours: [LoudnessMeter] = []
        var references: [ReferenceLoudness] = []
        for (index, level) in [0.9, 0.3, 0.05].enumerated() {
            let path = dir.file("album-\(index).wav")
            Self.writeWAV(path, rate: 44_100, channels: 2, bits: 16, level: level, seconds: 4, seed: UInt64(index))
            ours.append(try #require(try LoudnessMeter.measure(path: path)))
            references.append(try #require(try ReferenceLoudness.measure(path: path)))
        }
        let mine = try #require(LoudnessMeter.albumLUFS(ours))
        let theirs = try #require(ReferenceLoudness.albumLUFS(references))
        #expect(abs(mine - theirs) < 0.01, "album: \(mine) LUFS against libebur128's \(theirs)")
        // The album is not the mean of its tracks: the quiet track's blocks fall under the relative gate.
        let mean = ours.compactMap(\.integratedLUFS).reduce(0, +) / 3
        #expect(abs(mine - mean) > 1, "album \(mine) against the tracks' mean \(mean)")

        let silent = dir.file("silent.wav")
        Self.writeWAV(silent, rate: 44_100, channels: 2, bits: 16, level: 0.0001, seconds: 2, seed: 9)
        #expect(try LoudnessMeter.measure(path: silent)?.integratedLUFS == nil)
        #expect(try ReferenceLoudness.measure(path: silent)?.integratedLUFS == nil)
    }
}
