internal import CAudio

/// The sample rate, format and channel layout an encoder is opened with, chosen from what the
/// encoder accepts and what the source has.
struct EncoderChoice {
    var sampleRate: Int32
    var sampleFormat: AVSampleFormat
    var layout: AVChannelLayout
    var bitsPerRawSample: Int32

    /// - Parameters:
    static func choose(
        for codec: UnsafePointer<AVCodec>, spec: OutputSpec, source: SourceFormat
    ) -> EncoderChoice {
        let sourceLayout = source.layout
        let sourceBits = source.bitsPerSample
        let rate = chooseRate(codec, wanted: spec.format == .opus ? 48_000 : Int32(spec.sampleRateHz ?? Int(defaultRate(spec, source))))
        var layout = AVChannelLayout()
        if let accepted = codec.pointee.ch_layouts, !contains(accepted, sourceLayout) {
            av_channel_layout_default(&layout, sourceLayout.nb_channels >= 2 ? 2 : 1)
        } else if sourceLayout.order != AV_CHANNEL_ORDER_NATIVE {
            av_channel_layout_default(&layout, sourceLayout.nb_channels)
        } else {
            var copy = sourceLayout
            av_channel_layout_copy(&layout, &copy)
        }
        let deep = spec.format.isLossless && sourceBits > 16
        let format = chooseFormat(
            codec,
            preferring: spec.format.isLossless
                ? (deep ? [AV_SAMPLE_FMT_S32, AV_SAMPLE_FMT_S32P] : [AV_SAMPLE_FMT_S16, AV_SAMPLE_FMT_S16P])
                : [AV_SAMPLE_FMT_FLTP, AV_SAMPLE_FMT_FLT])
        return EncoderChoice(sampleRate: rate, sampleFormat: format, layout: layout, bitsPerRawSample: deep ? 24 : (spec.format.isLossless ? 16 : 0))
    }

    /// With no rate asked for, lossless keeps the source's (DSD becomes 88.2 kHz PCM, the usual DSD64
    /// conversion); lossy caps hi-res at 44.1 or 48 kHz (same family, so 88.2 → 44.1 and 96 → 48):
    /// nobody hears above that, and Vorbis's bitrate modes refuse it.
    private static func defaultRate(_ spec: OutputSpec, _ source: SourceFormat) -> Int32 {
        let rate = source.sampleRate
        if spec.format.isLossless { return source.isDSD ? 88_200 : rate }
        guard rate > 48_000 else { return rate }
        return rate % 11_025 == 0 ? 44_100 : 48_000
    }

    /// The wanted rate when the encoder takes it; otherwise the highest accepted rate below it, or the lowest above.
    private static func chooseRate(_ codec: UnsafePointer<AVCodec>, wanted: Int32) -> Int32 {
        guard let list = codec.pointee.supported_samplerates else { return wanted }
        var rates: [Int32] = []
        var index = 0
        while list[index] != 0 { rates.append(list[index]); index += 1 }
        if rates.contains(wanted) { return wanted }
        return rates.filter { $0 < wanted }.max() ?? rates.min() ?? wanted
    }

    private static func chooseFormat(_ codec: UnsafePointer<AVCodec>, preferring preferred: [AVSampleFormat]) -> AVSampleFormat {
        guard let list = codec.pointee.sample_fmts else { return preferred[0] }
        var formats: [AVSampleFormat] = []
        var index = 0
        while list[index] != AV_SAMPLE_FMT_NONE { formats.append(list[index]); index += 1 }
        return preferred.first { formats.contains($0) } ?? formats[0]
    }

    private static func contains(_ list: UnsafePointer<AVChannelLayout>, _ layout: AVChannelLayout) -> Bool {
        var wanted = layout
        var index = 0
        while list[index].nb_channels != 0 {
            var candidate = list[index]
            if av_channel_layout_compare(&candidate, &wanted) == 0 { return true }
            index += 1
        }
        return false
    }
}
