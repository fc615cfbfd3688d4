internal import CAudio
import Foundation
import Synchronization

/// EBU R128 / ITU-R BS.1770-4 loudness of one track, measured on the samples the converter decodes
/// anyway: integrated loudness (gated) and sample peak.
///
/// Our own meter, held to libebur128 (``ReferenceLoudness``) by the tests: the K-weighting of BS.1770
/// (its shelving pre-filter and its RLB high-pass, coefficients derived for the sample rate from the
/// standard's analogue prototypes), 400 ms gating blocks every 100 ms, channel weights 1.0 (L, R, C),
/// 1.41 (surrounds) and 0 (LFE) in libav's channel order, the absolute gate at −70 LUFS and the
/// relative gate 10 LU below the blocks above it. libebur128 spends about 9 ns per sample and channel
/// here (a 4th-order filter per sample and channel, a ring buffer of the filtered samples); this meter
/// filters a stereo frame as one two-lane vector and sums each 100 ms as it goes.
///
/// A track's meter keeps each block's energy until its album is done, so the album's loudness is
/// gated over every block of every track, not averaged over the tracks' figures.
public final class LoudnessMeter: Sendable {
    /// One biquad section's coefficients (a0 = 1).
    struct Section {
        var b0, b1, b2, a1, a2: Double
    }

    /// The two K-weighting sections for `sampleRate` (BS.1770-4, Annex 1, by the bilinear transform).
    static func kWeighting(sampleRate: Int) -> (Section, Section) {
        let rate = Double(sampleRate)
        // The high-shelf pre-filter: +4 dB above about 1.7 kHz (the head's acoustic effect).
        var f0 = 1681.974450955533
        let gain = 3.999843853973347
        var q = 0.7071752369554196
        var k = tan(Double.pi * f0 / rate)
        let vh = pow(10, gain / 20)
        let vb = pow(vh, 0.4996667741545416)
        var a0 = 1 + k / q + k * k
        let shelf = Section(
            b0: (vh + vb * k / q + k * k) / a0, b1: 2 * (k * k - vh) / a0, b2: (vh - vb * k / q + k * k) / a0,
            a1: 2 * (k * k - 1) / a0, a2: (1 - k / q + k * k) / a0)
        // The RLB high-pass at about 38 Hz.
        f0 = 38.13547087602444
        q = 0.5003270373238773
        k = tan(Double.pi * f0 / rate)
        a0 = 1 + k / q + k * k
        let highPass = Section(b0: 1, b1: -2, b2: 1, a1: 2 * (k * k - 1) / a0, a2: (1 - k / q + k * k) / a0)
        return (shelf, highPass)
    }

    /// Each channel's weight in the sum, in libav's default order (L R C LFE Ls Rs), as libebur128
    /// maps channels by default: 4 channels are L R Ls Rs, 5 are L R C Ls Rs; past the sixth, none counts.
    static func weights(channels: Int) -> [Double] {
        switch channels {
        case 4: return [1, 1, 1.41, 1.41]
        case 5: return [1, 1, 1, 1.41, 1.41]
        default:
            let map: [Double] = [1, 1, 1, 0, 1.41, 1.41]
            return (0..<channels).map { $0 < map.count ? map[$0] : 0 }
        }
    }

    private struct State: @unchecked Sendable {
        var scratch: [Float] = []
        /// Per channel: the two sections' two state values each (transposed direct form II).
        var filter: [Double]
        /// Per channel: the sum of squares of the filtered samples in the current 100 ms.
        var sums: [Double]
        /// Frames in the current 100 ms so far.
        var filled = 0
        /// The weighted sums of the last three complete 100 ms, oldest first.
        var recent: [Double] = []
        /// Each complete 400 ms block's mean square, weighted over the channels.
        var blocks: [Double] = []
        var peak: Float = 0
    }

    private let state: Mutex<State>
    let channels: Int
    private let sections: (Section, Section)
    private let channelWeights: [Double]
    /// Frames in 100 ms, rounded as libebur128 rounds them.
    private let frames100ms: Int

    /// A meter for `channels` channels at `sampleRate` Hz; nil without a channel or a rate.
    init?(channels: Int, sampleRate: Int) {
        guard channels > 0, sampleRate > 0 else { return nil }
        self.channels = channels
        sections = Self.kWeighting(sampleRate: sampleRate)
        channelWeights = Self.weights(channels: channels)
        frames100ms = (sampleRate + 5) / 10
        state = Mutex(State(filter: [Double](repeating: 0, count: channels * 4), sums: [Double](repeating: 0, count: channels)))
    }

    /// Adds a decoded span in the source's sample format (packed or planar, any width).
    func add(_ span: DecodedSpan, format: AVSampleFormat) {
        let count = span.count
        guard count > 0 else { return }
        state.withLock { state in
            span.interleavedFloats(format: format, channels: channels, into: &state.scratch)
            let scratch = state.scratch
            scratch.withUnsafeBufferPointer { samples in
                var done = 0
                while done < count {
                    let run = min(count - done, frames100ms - state.filled)
                    let base = samples.baseAddress! + done * channels
                    if channels == 2 { filterStereo(base, run, &state) } else { filterChannels(base, run, &state) }
                    done += run
                    state.filled += run
                    if state.filled == frames100ms { closeSubBlock(&state) }
                }
            }
            // An IIR filter fed silence decays towards subnormal numbers, which are slow to compute with.
            for index in state.filter.indices where abs(state.filter[index]) < 1e-30 { state.filter[index] = 0 }
        }
    }

    /// Two channels as one two-lane vector through both sections.
    private func filterStereo(_ samples: UnsafePointer<Float>, _ frames: Int, _ state: inout State) {
        let (s, h) = sections
        var s1 = SIMD2(state.filter[0], state.filter[4]), s2 = SIMD2(state.filter[1], state.filter[5])
        var h1 = SIMD2(state.filter[2], state.filter[6]), h2 = SIMD2(state.filter[3], state.filter[7])
        var sum = SIMD2<Double>.zero
        var peak = SIMD2<Float>.zero
        for frame in 0..<frames {
            let raw = SIMD2(samples[2 * frame], samples[2 * frame + 1])
            peak = pointwiseMax(peak, pointwiseMax(raw, -raw))
            let x = SIMD2<Double>(raw)
            let y = s.b0 * x + s1
            s1 = s.b1 * x - s.a1 * y + s2
            s2 = s.b2 * x - s.a2 * y
            let z = h.b0 * y + h1
            h1 = h.b1 * y - h.a1 * z + h2
            h2 = h.b2 * y - h.a2 * z
            sum += z * z
        }
        state.filter[0] = s1.x
        state.filter[4] = s1.y
        state.filter[1] = s2.x
        state.filter[5] = s2.y
        state.filter[2] = h1.x
        state.filter[6] = h1.y
        state.filter[3] = h2.x
        state.filter[7] = h2.y
        state.sums[0] += sum.x
        state.sums[1] += sum.y
        state.peak = max(state.peak, peak.max())
    }

    /// Any number of channels, one after the other.
    private func filterChannels(_ samples: UnsafePointer<Float>, _ frames: Int, _ state: inout State) {
        let (s, h) = sections
        for channel in 0..<channels {
            let f = channel * 4
            var (s1, s2, h1, h2) = (state.filter[f], state.filter[f + 1], state.filter[f + 2], state.filter[f + 3])
            var sum = 0.0
            var peak: Float = 0
            for frame in 0..<frames {
                let raw = samples[frame * channels + channel]
                peak = max(peak, abs(raw))
                let x = Double(raw)
                let y = s.b0 * x + s1
                s1 = s.b1 * x - s.a1 * y + s2
                s2 = s.b2 * x - s.a2 * y
                let z = h.b0 * y + h1
                h1 = h.b1 * y - h.a1 * z + h2
                h2 = h.b2 * y - h.a2 * z
                sum += z * z
            }
            (state.filter[f], state.filter[f + 1], state.filter[f + 2], state.filter[f + 3]) = (s1, s2, h1, h2)
            state.sums[channel] += sum
            state.peak = max(state.peak, peak)
        }
    }

    /// 100 ms are complete: with the three before them they make a 400 ms gating block.
    private func closeSubBlock(_ state: inout State) {
        var weighted = 0.0
        for channel in 0..<channels {
            weighted += channelWeights[channel] * state.sums[channel]
            state.sums[channel] = 0
        }
        state.filled = 0
        if state.recent.count == 3 {
            state.blocks.append((state.recent[0] + state.recent[1] + state.recent[2] + weighted) / Double(4 * frames100ms))
            state.recent.removeFirst()
        }
        state.recent.append(weighted)
    }

    /// BS.1770's gated loudness of blocks' mean squares: those above −70 LUFS, then those at most 10 LU
    /// below the mean of those; nil when no block is above the absolute gate (silence).
    static func gatedLUFS(_ blocks: [Double]) -> Double? {
        let absolute = pow(10, (-70 + 0.691) / 10)
        let audible = blocks.filter { $0 >= absolute }
        guard !audible.isEmpty else { return nil }
        let relative = audible.reduce(0, +) / Double(audible.count) * 0.1
        let gated = audible.filter { $0 >= relative }
        let value = -0.691 + 10 * log10(gated.reduce(0, +) / Double(gated.count))
        return value.isFinite ? value : nil
    }

    /// Integrated loudness in LUFS; nil for silence (below the absolute gate throughout).
    public var integratedLUFS: Double? {
        Self.gatedLUFS(state.withLock { $0.blocks })
    }

    /// The largest absolute sample value over every channel (1.0 = full scale).
    public var samplePeak: Double {
        Double(state.withLock { $0.peak })
    }

    /// The loudness of every block of every meter gated together: an album's integrated loudness.
    public static func albumLUFS(_ meters: [LoudnessMeter]) -> Double? {
        guard !meters.isEmpty else { return nil }
        return gatedLUFS(meters.flatMap { meter in meter.state.withLock { $0.blocks } })
    }

    /// Measures a file by decoding it (a track converted in an earlier run, or copied without decoding).
    public static func measure(path: String, cancel: CancelFlag = CancelFlag()) throws -> LoudnessMeter? {
        let source = try AudioSource(path: path)
        guard let meter = LoudnessMeter(channels: source.channelCount, sampleRate: Int(source.sampleRate)) else { return nil }
        let format = source.format.sampleFormat
        _ = try source.decode(from: 0, to: nil, cancel: cancel) { span in meter.add(span, format: format) }
        return meter
    }

    /// A meter for what `source` decodes to, fed by ``add(_:from:)``.
    static func `for`(_ source: AudioSource) -> LoudnessMeter? { LoudnessMeter(channels: source.channelCount, sampleRate: Int(source.sampleRate)) }

    func add(_ span: DecodedSpan, from source: AudioSource) { add(span, format: source.format.sampleFormat) }
}
