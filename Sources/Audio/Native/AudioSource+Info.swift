internal import CAudio

extension AudioSource {
    var info: AudioInfo {
        let context = formatContext.pointee
        let parameters = stream.pointee.codecpar.pointee
        var tags: [String: String] = [:]
        for entry in dictionaryEntries(context.metadata) + dictionaryEntries(stream.pointee.metadata) { tags[entry.key] = entry.value }
        let bits = parameters.bits_per_raw_sample > 0 ? parameters.bits_per_raw_sample : parameters.bits_per_coded_sample
        let isLossy = !Self.isLossless(parameters.codec_id)
        let bitrate = parameters.bit_rate > 0 ? parameters.bit_rate : context.bit_rate
        let seconds = declaredSamples.map { Double($0) / Double(sampleRate) } ?? 0
        return AudioInfo(
            path: path,
            container: String(cString: context.iformat.pointee.name),
            codec: String(cString: avcodec_get_name(parameters.codec_id)),
            sampleRate: Int(parameters.sample_rate),
            channels: Int(parameters.ch_layout.nb_channels),
            channelLayout: describe(parameters.ch_layout),
            bitsPerSample: isLossy || bits <= 0 ? nil : Int(bits),
            bitrateKbps: bitrate > 0 ? Int((bitrate + 500) / 1000) : nil,
            durationSecs: seconds,
            tags: tags,
            hasCover: attachedPicture != nil
        )
    }
}

extension AudioSource {
    /// libav's name of the source's codec, e.g. "flac" or "mp3".
    var codecName: String { String(cString: avcodec_get_name(decoder.pointer.pointee.codec_id)) }
    /// Whether the source's codec is lossless (FLAC, ALAC, WavPack, APE, TTA, TAK, PCM, DSD).
    var isLosslessCodec: Bool { Self.isLossless(decoder.pointer.pointee.codec_id) }
    /// The decoded channel count.
    var channelCount: Int { Int(decoder.pointer.pointee.ch_layout.nb_channels) }
    /// The decoded sample layout, which a sink resamples from.
    var format: SourceFormat { SourceFormat(decoder: decoder.pointer) }
    /// The stream's bitrate in kbit/s (the container's when the stream has none), 0 when unknown.
    var bitrateKbps: Int {
        let parameters = stream.pointee.codecpar.pointee
        return Int((parameters.bit_rate > 0 ? parameters.bit_rate : formatContext.pointee.bit_rate) / 1000)
    }
}
