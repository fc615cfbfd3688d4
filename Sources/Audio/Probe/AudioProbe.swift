import CAudio

/// Reads an audio file's description without decoding it (`downloader2 probe FILE`).
public enum AudioProbe {
    public static func info(path: String) throws -> AudioInfo {
        let source = try AudioSource(path: path)
        return source.info
    }
}

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

extension AudioProbe {
    /// The picture a file carries as cover art (ID3 APIC, FLAC picture, MP4 covr), if any.
    public static func embeddedPicture(path: String) -> [UInt8]? {
        (try? AudioSource(path: path))?.attachedPicture
    }
}
