internal import CAudio
internal import CLoudness
import Synchronization

/// EBU R128 / ITU-R BS.1770-4 loudness of one track, measured with libebur128 on the samples the
/// converter decodes anyway: integrated loudness (gated) and sample peak. A track's meter is kept
/// until its album is done, so the album's loudness is gated over every block of every track
/// (`ebur128_loudness_global_multiple`), not averaged over the tracks' figures.
public final class LoudnessMeter: Sendable {
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
    init?(channels: Int, sampleRate: Int) {
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
        let count = span.count
        guard count > 0 else { return }
        let channels = channels
        let planar = av_sample_fmt_is_planar(format) != 0
        let packed = av_get_packed_sample_fmt(format)
        state.withLock { state in
            if state.scratch.count < count * channels { state.scratch = [Float](repeating: 0, count: count * channels) }
            let planes = span.inputPlanes(format: format, channels: Int32(channels))
            state.scratch.withUnsafeMutableBufferPointer { out in
                for channel in 0..<channels {
                    let base = UnsafeRawPointer(planes[planar ? channel : 0]!)
                    let step = planar ? 1 : channels
                    let first = planar ? 0 : channel
                    Self.copy(from: base, packed: packed, first: first, step: step, count: count, into: out.baseAddress! + channel, stride: channels)
                }
                _ = ebur128_add_frames_float(state.pointer, out.baseAddress, count)
            }
        }
    }

    /// One channel of `count` samples from `base` (sample `first`, then every `step`) as floats into
    /// `out` (every `stride`).
    private static func copy(
        from base: UnsafeRawPointer, packed: AVSampleFormat, first: Int, step: Int, count: Int, into out: UnsafeMutablePointer<Float>,
        stride: Int
    ) {
        switch packed {
        case AV_SAMPLE_FMT_FLT:
            let p = base.assumingMemoryBound(to: Float.self)
            for i in 0..<count { out[i * stride] = p[first + i * step] }
        case AV_SAMPLE_FMT_DBL:
            let p = base.assumingMemoryBound(to: Double.self)
            for i in 0..<count { out[i * stride] = Float(p[first + i * step]) }
        case AV_SAMPLE_FMT_S16:
            let p = base.assumingMemoryBound(to: Int16.self)
            for i in 0..<count { out[i * stride] = Float(p[first + i * step]) / 32768 }
        case AV_SAMPLE_FMT_S32:
            let p = base.assumingMemoryBound(to: Int32.self)
            for i in 0..<count { out[i * stride] = Float(Double(p[first + i * step]) / 2_147_483_648) }
        case AV_SAMPLE_FMT_U8:
            let p = base.assumingMemoryBound(to: UInt8.self)
            for i in 0..<count { out[i * stride] = (Float(p[first + i * step]) - 128) / 128 }
        default:
            for i in 0..<count { out[i * stride] = 0 }
        }
    }

    /// Integrated loudness in LUFS; nil for silence (below the absolute gate throughout).
    public var integratedLUFS: Double? {
        state.withLock { state in
            var value = 0.0
            guard ebur128_loudness_global(state.pointer, &value) == Int32(EBUR128_SUCCESS.rawValue), value.isFinite else { return nil }
            return value
        }
    }

    /// The largest absolute sample value over every channel (1.0 = full scale).
    public var samplePeak: Double {
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
    public static func albumLUFS(_ meters: [LoudnessMeter]) -> Double? {
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
