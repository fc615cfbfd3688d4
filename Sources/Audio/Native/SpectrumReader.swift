internal import CAudio
import Foundation

/// Owns one libavutil transform (`av_tx`) of a fixed kind and length: the context, its function, and
/// freeing it.
final class LibavTransform {
    private let context: OpaquePointer
    private let function: av_tx_fn

    init(_ kind: AVTXType, length: Int) {
        var made: OpaquePointer? = nil
        var found: av_tx_fn? = nil
        var scale: Float = 1
        // Swift arrays are not 32-byte aligned: AV_TX_UNALIGNED keeps the SIMD paths honest about it.
        let status = av_tx_init(&made, &found, kind, 0, Int32(length), &scale, UInt64(AV_TX_UNALIGNED.rawValue))
        guard status >= 0, let made, let found else { fatalError("av_tx_init(\(kind.rawValue), \(length)): \(avErrorText(status))") }
        context = made
        function = found
    }

    deinit {
        var owned: OpaquePointer? = context
        av_tx_uninit(&owned)
    }

    /// Runs the transform from `input` into `output` (float samples, `stride` as av_tx defines it for the kind).
    func run(_ input: inout [Float], into output: inout [Float]) {
        input.withUnsafeMutableBytes { source in
            output.withUnsafeMutableBytes { target in
                function(context, target.baseAddress, source.baseAddress, MemoryLayout<Float>.stride)
            }
        }
    }
}

/// A real-to-complex transform (`AV_TX_FLOAT_RDFT`) of a fixed length, for power spectra.
final class RealFFT {
    let length: Int
    private let transform: LibavTransform
    private var output: [Float]

    init(length: Int) {
        self.length = length
        transform = LibavTransform(AV_TX_FLOAT_RDFT, length: length)
        output = [Float](repeating: 0, count: length + 2)
    }

    /// A Hann window of `length` points, applied before each transform.
    static func hannWindow(_ length: Int) -> [Float] {
        (0..<length).map { Float(0.5 - 0.5 * cos(2 * Double.pi * Double($0) / Double(length - 1))) }
    }

    /// Adds the power spectrum of `samples` (`length` values, already windowed) to `sum`
    /// (`length / 2 + 1` bins). `samples` may be overwritten.
    func accumulatePower(of samples: inout [Float], into sum: inout [Double]) {
        transform.run(&samples, into: &output)
        for bin in 0...(length / 2) {
            let re = Double(output[2 * bin]), im = Double(output[2 * bin + 1])
            sum[bin] += re * re + im * im
        }
    }
}

extension AudioSource {
    /// Decodes the samples `[start, end)` (`end` nil: to the end), converts each decoded span by
    /// libswresample to interleaved `format` with `layout` at the source's own rate, and hands `body`
    /// the converted bytes and how many samples they hold.
    func converted(
        to format: AVSampleFormat, layout: AVChannelLayout, from start: Int64, to end: Int64?, cancel: CancelFlag,
        body: (UnsafeRawBufferPointer, Int) throws -> Void
    ) throws {
        let source = self.format
        guard let resampler = ResamplerBox(from: source.layout, source.sampleFormat, source.sampleRate, to: layout, format, source.sampleRate) else {
            throw AudioError.invalidRequest("cannot convert \(describe(source.layout)) to \(describe(layout)) for analysis")
        }
        let sampleBytes = Int(av_get_bytes_per_sample(format)) * Int(layout.nb_channels)
        var scratch = [UInt8](repeating: 0, count: 8192 * sampleBytes)
        _ = try decode(from: start, to: end, cancel: cancel) { span in
            var inputs = span.inputPlanes(format: source.sampleFormat, channels: source.layout.nb_channels)
            if scratch.count < (span.count + 64) * sampleBytes { scratch = [UInt8](repeating: 0, count: (span.count + 64) * sampleBytes) }
            let produced = scratch.withUnsafeMutableBytes { out in
                var outputs: [UnsafeMutablePointer<UInt8>?] = [out.baseAddress!.assumingMemoryBound(to: UInt8.self)]
                return inputs.withUnsafeMutableBufferPointer { input in
                    swr_convert(resampler.pointer, &outputs, Int32(out.count / sampleBytes), input.baseAddress, Int32(span.count))
                }
            }
            guard produced >= 0 else { throw AudioError.corruptInput(path: path, reason: "cannot convert for analysis: \(avErrorText(produced))") }
            try scratch.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0.prefix(Int(produced) * sampleBytes)), Int(produced)) }
        }
    }

    /// Up to `count` samples from sample `start`, mixed down to one float channel (fewer at the end of
    /// the file). Seeks, so reading a few windows spread through a long track costs only those windows' decoding.
    func monoSamples(from start: Int64, count: Int, cancel: CancelFlag) throws -> [Float] {
        var mono = AVChannelLayout()
        av_channel_layout_default(&mono, 1)
        var samples = [Float]()
        samples.reserveCapacity(count)
        try converted(to: AV_SAMPLE_FMT_FLT, layout: mono, from: start, to: start + Int64(count), cancel: cancel) { bytes, _ in
            samples.append(contentsOf: bytes.bindMemory(to: Float.self))
        }
        return samples
    }

    /// Up to `count` samples of one channel from sample `start`, as floats, unmixed: a codec's
    /// quantisation grid survives in one channel and not in a mix of two coded apart.
    func channelSamples(_ channel: Int, from start: Int64, count: Int, cancel: CancelFlag) throws -> [Float] {
        let layout = format.layout
        let channels = max(1, Int(layout.nb_channels))
        let picked = min(max(channel, 0), channels - 1)
        var samples = [Float]()
        samples.reserveCapacity(count)
        try converted(to: AV_SAMPLE_FMT_FLT, layout: layout, from: start, to: start + Int64(count), cancel: cancel) { bytes, frames in
            let values = bytes.bindMemory(to: Float.self)
            for frame in 0..<frames { samples.append(values[frame * channels + picked]) }
        }
        return samples
    }

    func firstChannelSamples(from start: Int64, count: Int, cancel: CancelFlag) throws -> [Float] {
        try channelSamples(0, from: start, count: count, cancel: cancel)
    }

    /// The CRC-32 of the whole stream as 16-bit little-endian interleaved PCM at its own rate and
    /// channels: what EAC's "Copy CRC" and XLD's "CRC32 hash" are computed over for a CD rip.
    func pcm16CRC32(cancel: CancelFlag) throws -> UInt32 {
        var crc = CRC32()
        try converted(to: AV_SAMPLE_FMT_S16, layout: format.layout, from: 0, to: nil, cancel: cancel) { bytes, _ in crc.update(bytes) }
        return crc.value
    }
}
