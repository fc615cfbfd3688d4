internal import CAudio

extension DecodedSpan {
    /// The span's samples as 32-bit floats, channels interleaved, in `out` (grown when too small):
    /// what the loudness meters read, whatever the decoder's sample format (packed or planar, any width).
    func interleavedFloats(format: AVSampleFormat, channels: Int, into out: inout [Float]) {
        let count = count
        if out.count < count * channels { out = [Float](repeating: 0, count: count * channels) }
        let planar = av_sample_fmt_is_planar(format) != 0
        let packed = av_get_packed_sample_fmt(format)
        let planes = inputPlanes(format: format, channels: Int32(channels))
        out.withUnsafeMutableBufferPointer { out in
            for channel in 0..<channels {
                let base = UnsafeRawPointer(planes[planar ? channel : 0]!)
                let step = planar ? 1 : channels
                let first = planar ? 0 : channel
                Self.copy(from: base, packed: packed, first: first, step: step, count: count, into: out.baseAddress! + channel, stride: channels)
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
}
