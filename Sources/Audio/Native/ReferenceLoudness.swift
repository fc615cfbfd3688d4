internal import CAudio
internal import CLoudness
import Synchronization

/// libebur128's measurement of the same quantities as ``LoudnessMeter``: the reference the tests and
/// the loudness benchmark hold our own meter to (integrated loudness, sample peak, and an album
/// gated over every block of its tracks with `ebur128_loudness_global_multiple`).
package final class ReferenceLoudness: Sendable {
    // The libebur128 state and a scratch buffer, touched by one conversion thread at a time
    // (adding) and read once the track is done.
    private struct State: @unchecked Sendable {
        var pointer: UnsafeMutablePointer<ebur128_state>
        var scratch: [Float] = []
    }
    private let state: Mutex<State>
    let channels: Int

    /// A meter for `channels` channels at `sampleRate` Hz; nil if libebur128 refuses the layout
    /// (more than its channel limit) or is out of memory.
    package init?(channels: Int, sampleRate: Int) {
        guard channels > 0, sampleRate > 0,
            let pointer = ebur128_init(UInt32(channels), UInt(sampleRate), Int32(EBUR128_MODE_I.rawValue | EBUR128_MODE_SAMPLE_PEAK.rawValue))
        else { return nil }
        // libebur128's default map is libav's order (L R C LFE Ls Rs): the LFE is left out of the sum.
        // A single channel is counted once, as BS.1770 and ffmpeg's ebur128 filter do.
        self.channels = channels
        state = Mutex(State(pointer: pointer))
    }

    deinit {
        state.withLock { state in
            var pointer: UnsafeMutablePointer<ebur128_state>? = state.pointer
            ebur128_destroy(&pointer)
        }
    }

    /// Adds a decoded span in the source's sample format (packed or planar, any width).
    func add(_ span: DecodedSpan, format: AVSampleFormat) {
        guard span.count > 0 else { return }
        state.withLock { state in
            span.interleavedFloats(format: format, channels: channels, into: &state.scratch)
            _ = state.scratch.withUnsafeBufferPointer { ebur128_add_frames_float(state.pointer, $0.baseAddress, span.count) }
        }
    }

    /// Integrated loudness in LUFS; nil for silence (below the absolute gate throughout).
    package var integratedLUFS: Double? {
        state.withLock { state in
            var value = 0.0
            guard ebur128_loudness_global(state.pointer, &value) == Int32(EBUR128_SUCCESS.rawValue), value.isFinite else { return nil }
            return value
        }
    }

    /// The largest absolute sample value over every channel (1.0 = full scale).
    package var samplePeak: Double {
        state.withLock { state in
            var peak = 0.0
            for channel in 0..<channels {
                var value = 0.0
                if ebur128_sample_peak(state.pointer, UInt32(channel), &value) == Int32(EBUR128_SUCCESS.rawValue) { peak = max(peak, value) }
            }
            return peak
        }
    }

    /// The loudness of every block of every meter gated together: an album's integrated loudness.
    package static func albumLUFS(_ meters: [ReferenceLoudness]) -> Double? {
        guard !meters.isEmpty else { return nil }
        // Each meter's lock is held while libebur128 reads all states at once.
        func withAll(_ index: Int, _ pointers: [UnsafeMutablePointer<ebur128_state>?]) -> Double? {
            guard index < meters.count else {
                var all = pointers
                var value = 0.0
                let status = all.withUnsafeMutableBufferPointer { ebur128_loudness_global_multiple($0.baseAddress, $0.count, &value) }
                return status == Int32(EBUR128_SUCCESS.rawValue) && value.isFinite ? value : nil
            }
            return meters[index].state.withLock { state in withAll(index + 1, pointers + [state.pointer]) }
        }
        return withAll(0, [])
    }

    /// Measures a file by decoding it.
    package static func measure(path: String) throws -> ReferenceLoudness? {
        let source = try AudioSource(path: path)
        guard let meter = ReferenceLoudness(channels: source.channelCount, sampleRate: Int(source.sampleRate)) else { return nil }
        let format = source.format.sampleFormat
        _ = try source.decode(from: 0, to: nil, cancel: CancelFlag()) { span in meter.add(span, format: format) }
        return meter
    }
}
