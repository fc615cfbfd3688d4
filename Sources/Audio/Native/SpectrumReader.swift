import CAudio

/// Owns one libavutil real-to-complex transform (`av_tx`, `AV_TX_FLOAT_RDFT`) of a fixed length.
final class RealFFT {
    let length: Int
    private let context: OpaquePointer
    private let transform: av_tx_fn
    private var output: [Float]

    init(length: Int) {
        var made: OpaquePointer? = nil
        var function: av_tx_fn? = nil
        var scale: Float = 1
        // Swift arrays are not 32-byte aligned: AV_TX_UNALIGNED keeps the SIMD paths honest about it.
        let status = av_tx_init(&made, &function, AV_TX_FLOAT_RDFT, 0, Int32(length), &scale, UInt64(AV_TX_UNALIGNED.rawValue))
        guard status >= 0, let made, let function else { fatalError("av_tx_init(RDFT, \(length)): \(avErrorText(status))") }
        self.length = length
        context = made
        transform = function
        output = [Float](repeating: 0, count: length + 2)
    }

    deinit {
        var owned: OpaquePointer? = context
        av_tx_uninit(&owned)
    }

    /// Adds the power spectrum of `samples` (`length` values, already windowed) to `sum`
    /// (`length / 2 + 1` bins). `samples` may be overwritten.
    func accumulatePower(of samples: inout [Float], into sum: inout [Double]) {
        samples.withUnsafeMutableBytes { input in
            output.withUnsafeMutableBytes { out in
                transform(context, out.baseAddress, input.baseAddress, MemoryLayout<Float>.stride)
            }
        }
        for bin in 0...(length / 2) {
            let re = Double(output[2 * bin]), im = Double(output[2 * bin + 1])
            sum[bin] += re * re + im * im
        }
    }
}

extension AudioSource {
    /// Up to `count` samples from sample `start`, mixed down to one float channel by libswresample
    /// (fewer at the end of the file). Seeks, so reading a few windows spread through a long track costs
    /// only those windows' decoding.
    func monoSamples(from start: Int64, count: Int, cancel: CancelFlag) throws -> [Float] {
        let source = format
        var mono = AVChannelLayout()
        av_channel_layout_default(&mono, 1)
        guard let resampler = ResamplerBox(
            from: source.layout, source.sampleFormat, source.sampleRate, to: mono, AV_SAMPLE_FMT_FLT, source.sampleRate)
        else { throw AudioError.invalidRequest("cannot mix \(describe(source.layout)) down to mono for analysis") }
        let planar = av_sample_fmt_is_planar(source.sampleFormat) != 0
        let bytes = Int(av_get_bytes_per_sample(source.sampleFormat))
        let stride = planar ? bytes : bytes * Int(source.layout.nb_channels)
        let planeCount = planar ? Int(source.layout.nb_channels) : 1
        var samples = [Float]()
        samples.reserveCapacity(count)
        var scratch = [Float](repeating: 0, count: 8192)
        _ = try decode(from: start, to: start + Int64(count), cancel: cancel) { span in
            var inputs = [UnsafePointer<UInt8>?](repeating: nil, count: planeCount)
            for plane in 0..<planeCount { inputs[plane] = UnsafePointer(span.frame.pointee.extended_data[plane]! + span.offset * stride) }
            if scratch.count < span.count + 64 { scratch = [Float](repeating: 0, count: span.count + 64) }
            let produced = scratch.withUnsafeMutableBytes { out in
                var outputs: [UnsafeMutablePointer<UInt8>?] = [out.baseAddress!.assumingMemoryBound(to: UInt8.self)]
                return inputs.withUnsafeMutableBufferPointer { input in
                    swr_convert(resampler.pointer, &outputs, Int32(out.count / 4), input.baseAddress, Int32(span.count))
                }
            }
            guard produced >= 0 else { throw AudioError.corruptInput(path: path, reason: "cannot mix down for analysis: \(avErrorText(produced))") }
            samples.append(contentsOf: scratch.prefix(Int(produced)))
        }
        return samples
    }
}

extension AudioSource {
    /// The CRC-32 of the whole stream as 16-bit little-endian interleaved PCM at its own rate and
    /// channels: what EAC's "Copy CRC" and XLD's "CRC32 hash" are computed over for a CD rip.
    func pcm16CRC32(cancel: CancelFlag) throws -> UInt32 {
        let source = format
        guard let resampler = ResamplerBox(
            from: source.layout, source.sampleFormat, source.sampleRate, to: source.layout, AV_SAMPLE_FMT_S16, source.sampleRate)
        else { throw AudioError.invalidRequest("cannot convert \(describe(source.layout)) to 16-bit PCM") }
        let channels = Int(source.layout.nb_channels)
        let planar = av_sample_fmt_is_planar(source.sampleFormat) != 0
        let bytes = Int(av_get_bytes_per_sample(source.sampleFormat))
        let stride = planar ? bytes : bytes * channels
        let planeCount = planar ? channels : 1
        var crc = CRC32()
        var scratch = [Int16](repeating: 0, count: 8192 * channels)
        _ = try decode(from: 0, to: nil, cancel: cancel) { span in
            var inputs = [UnsafePointer<UInt8>?](repeating: nil, count: planeCount)
            for plane in 0..<planeCount { inputs[plane] = UnsafePointer(span.frame.pointee.extended_data[plane]! + span.offset * stride) }
            if scratch.count < (span.count + 64) * channels { scratch = [Int16](repeating: 0, count: (span.count + 64) * channels) }
            let produced = scratch.withUnsafeMutableBytes { out in
                var outputs: [UnsafeMutablePointer<UInt8>?] = [out.baseAddress!.assumingMemoryBound(to: UInt8.self)]
                return inputs.withUnsafeMutableBufferPointer { input in
                    swr_convert(resampler.pointer, &outputs, Int32(out.count / (2 * channels)), input.baseAddress, Int32(span.count))
                }
            }
            guard produced >= 0 else { throw AudioError.corruptInput(path: path, reason: "cannot convert to PCM: \(avErrorText(produced))") }
            scratch.withUnsafeBytes { crc.update(UnsafeRawBufferPointer(rebasing: $0.prefix(Int(produced) * channels * 2))) }
        }
        return crc.value
    }
}
