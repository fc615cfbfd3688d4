internal import CAudio

/// The decoded source's sample layout, which the resampler converts from.
struct SourceFormat {
    var sampleRate: Int32
    var sampleFormat: AVSampleFormat
    var layout: AVChannelLayout
    var bitsPerSample: Int32
    var isDSD: Bool

    init(decoder: UnsafeMutablePointer<AVCodecContext>) {
        let context = decoder.pointee
        sampleRate = context.sample_rate
        sampleFormat = context.sample_fmt
        layout = AVChannelLayout()
        if context.ch_layout.order == AV_CHANNEL_ORDER_NATIVE {
            layout = context.ch_layout
        } else {
            av_channel_layout_default(&layout, max(context.ch_layout.nb_channels, 1))
        }
        isDSD = AudioSource.dsdCodecs.contains(context.codec_id.rawValue)
        // DSD decodes to float at 8× the PCM rate; as PCM it is worth 24 bits.
        bitsPerSample = isDSD ? 24 : (context.bits_per_raw_sample > 0 ? context.bits_per_raw_sample : context.bits_per_coded_sample)
    }
}

extension AudioSink {
    /// Opens the encoder for `choice`, in bitrate or quality mode; returns the frame size the FIFO feeds it.
    static func openEncoder(
        _ box: AVCodecContextBox, codec: UnsafePointer<AVCodec>, choice: EncoderChoice, spec: OutputSpec, globalHeader: Bool
    ) throws -> Int32 {
        let encoder = box.pointer
        encoder.pointee.sample_rate = choice.sampleRate
        encoder.pointee.sample_fmt = choice.sampleFormat
        var layout = choice.layout
        av_channel_layout_copy(&encoder.pointee.ch_layout, &layout)
        encoder.pointee.time_base = AVRational(num: 1, den: choice.sampleRate)
        if choice.bitsPerRawSample > 0 { encoder.pointee.bits_per_raw_sample = choice.bitsPerRawSample }
        if !spec.format.isLossless {
            if let kbps = spec.bitrateKbps, kbps > 0 {
                encoder.pointee.bit_rate = Int64(kbps) * 1000
            } else if let quality = spec.qualityMode {
                encoder.pointee.flags |= AV_CODEC_FLAG_QSCALE
                encoder.pointee.global_quality = Int32(quality * Double(FF_QP2LAMBDA))
            } else {
                encoder.pointee.bit_rate = Int64(spec.defaultBitrateKbps) * 1000
            }
        }
        if globalHeader { encoder.pointee.flags |= AV_CODEC_FLAG_GLOBAL_HEADER }
        encoder.pointee.flags |= AV_CODEC_FLAG_BITEXACT
        let opened = avcodec_open2(encoder, codec, nil)
        guard opened >= 0 else {
            let bitrate = spec.bitrateKbps.map { " at \($0) kbit/s" } ?? ""
            throw AudioError.invalidRequest(
                "\(spec.encoderName) refuses \(choice.layout.nb_channels) channel(s) at \(choice.sampleRate) Hz\(bitrate): \(avErrorText(opened))")
        }
        let frameSize = encoder.pointee.frame_size
        return frameSize > 0 ? frameSize : 4096
    }

    static func makeResampler(from source: SourceFormat, to choice: EncoderChoice) throws -> ResamplerBox {
        guard
            let resampler = ResamplerBox(
                from: source.layout, source.sampleFormat, source.sampleRate, to: choice.layout, choice.sampleFormat, choice.sampleRate)
        else {
            throw AudioError.invalidRequest(
                "cannot resample \(describe(source.layout)) at \(source.sampleRate) Hz to \(describe(choice.layout)) at \(choice.sampleRate) Hz")
        }
        return resampler
    }
}
