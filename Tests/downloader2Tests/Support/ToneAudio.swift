import Foundation

/// Audio the tests write themselves: sine tones as PCM WAV. Never committed music.
enum ToneAudio {
    struct Segment {
        var frequency: Double
        var samples: Int
    }

    /// A WAV of consecutive tones, the same tone on every channel; `bits` 16 or 24.
    /// `noise` (a fraction of full scale) adds white noise, so FLAC cannot shrink the file to nothing.
    static func writeWAV(
        _ path: String, segments: [Segment], rate: Int = 44_100, channels: Int = 2, bits: Int = 16, amplitude: Double = 0.5, noise: Double = 0
    ) {
        let bytesPerSample = bits / 8
        let frames = segments.reduce(0) { $0 + $1.samples }
        var data = [UInt8]()
        data.reserveCapacity(44 + frames * channels * bytesPerSample)
        func le(_ value: Int, _ count: Int) { for i in 0..<count { data.append(UInt8(truncatingIfNeeded: value >> (8 * i))) } }
        data += Array("RIFF".utf8); le(36 + frames * channels * bytesPerSample, 4); data += Array("WAVE".utf8)
        data += Array("fmt ".utf8); le(16, 4); le(1, 2); le(channels, 2); le(rate, 4)
        le(rate * channels * bytesPerSample, 4); le(channels * bytesPerSample, 2); le(bits, 2)
        data += Array("data".utf8); le(frames * channels * bytesPerSample, 4)
        let peak = Double((1 << (bits - 1)) - 1) * amplitude
        var phase = 0.0
        var generator = SplitMix64(seed: 42)
        let noisePeak = Double((1 << (bits - 1)) - 1) * noise
        for segment in segments {
            let step = 2 * Double.pi * segment.frequency / Double(rate)
            for _ in 0..<segment.samples {
                let hiss = noise > 0 ? (Double(generator.next() >> 11) / Double(1 << 53) * 2 - 1) * noisePeak : 0
                let value = Int((sin(phase) * peak + hiss).rounded())
                for _ in 0..<channels { le(value, bytesPerSample) }
                phase += step
            }
        }
        FileManager.default.createFile(atPath: path, contents: Data(data))
    }

    /// One tone for `seconds`.
    static func writeWAV(_ path: String, frequency: Double, seconds: Double, rate: Int = 44_100, channels: Int = 2, bits: Int = 16, noise: Double = 0)
    {
        writeWAV(
            path, segments: [Segment(frequency: frequency, samples: Int(seconds * Double(rate)))], rate: rate, channels: channels, bits: bits,
            noise: noise)
    }

    /// A small valid JPEG made by ffmpeg (a solid colour), for cover-art tests.
    static func writeCover(_ path: String, size: Int = 64, color: String = "red") throws {
        _ = try ExternalTool.run("ffmpeg", ["-v", "error", "-y", "-f", "lavfi", "-i", "color=c=\(color):s=\(size)x\(size)", "-frames:v", "1", path])
    }
}

extension ToneAudio {
    /// A DSF (DSD stream file) of a stereo tone, written here: no Debian tool encodes DSD. A
    /// second-order sigma-delta modulator turns the sine into 1-bit samples at 2.8224 MHz, stored LSB
    /// first in 4096-byte blocks per channel, as the DSF specification lays them out.
    static func writeDSF(_ path: String, frequency: Double, seconds: Double) {
        let rate = 2_822_400
        let blockSize = 4_096
        let samples = Int(seconds * Double(rate))
        let bytesPerChannel = (samples + 7) / 8
        let blocks = (bytesPerChannel + blockSize - 1) / blockSize
        var channel = [UInt8](repeating: 0, count: blocks * blockSize)
        var first = 0.0, second = 0.0, output = 0.0
        for n in 0..<samples {
            let input = 0.5 * sin(2 * Double.pi * frequency * Double(n) / Double(rate))
            first += input - output
            second += first - output
            output = second >= 0 ? 1 : -1
            if output > 0 { channel[n / 8] |= UInt8(1 << (n % 8)) }
        }
        var data = [UInt8]()
        func le(_ value: Int, _ count: Int) { for i in 0..<count { data.append(UInt8(truncatingIfNeeded: value >> (8 * i))) } }
        let dataChunk = 12 + blocks * blockSize * 2
        data += Array("DSD ".utf8); le(28, 8); le(28 + 52 + dataChunk, 8); le(0, 8)
        data += Array("fmt ".utf8); le(52, 8); le(1, 4); le(0, 4); le(2, 4); le(2, 4); le(rate, 4); le(1, 4)
        le(samples, 8); le(blockSize, 4); le(0, 4)
        data += Array("data".utf8); le(dataChunk, 8)
        for block in 0..<blocks {
            let bytes = channel[block * blockSize..<(block + 1) * blockSize]
            data += bytes  // left
            data += bytes  // right: the same tone
        }
        FileManager.default.createFile(atPath: path, contents: Data(data))
    }
}
