internal import CAudio

/// An opened audio file: its demuxer, its best audio stream and that stream's decoder.
///
/// One instance belongs to one thread at a time; it is never shared.
final class AudioSource {
    let path: String
    let formatContext: UnsafeMutablePointer<AVFormatContext>
    let streamIndex: Int32
    let decoder: AVCodecContextBox

    init(path: String) throws {
        _ = quietLibAVLogging
        self.path = path
        var opened: UnsafeMutablePointer<AVFormatContext>? = nil
        let status = avformat_open_input(&opened, path, nil, nil)
        guard status >= 0, let context = opened else { throw AudioError.unreadable(path: path, reason: avErrorText(status)) }
        do {
            (streamIndex, decoder) = try Self.openDecoder(context, path: path)
        } catch {
            avformat_close_input(&opened)
            throw error
        }
        formatContext = context
    }

    private static func openDecoder(_ context: UnsafeMutablePointer<AVFormatContext>, path: String) throws -> (Int32, AVCodecContextBox) {
        let info = avformat_find_stream_info(context, nil)
        guard info >= 0 else { throw AudioError.unreadable(path: path, reason: avErrorText(info)) }
        var found: UnsafePointer<AVCodec>? = nil
        let best = av_find_best_stream(context, AVMEDIA_TYPE_AUDIO, -1, -1, &found, 0)
        if best == caudio_error_decoder_not_found() {
            let id = Self.firstAudioCodec(context)
            throw AudioError.decoderUnavailable(codec: String(cString: avcodec_get_name(id)))
        }
        guard best >= 0 else { throw AudioError.noAudioStream(path: path) }
        guard let codec = found else { throw AudioError.decoderUnavailable(codec: "unknown") }
        let decoder = AVCodecContextBox(codec: codec)
        let stream = context.pointee.streams[Int(best)]!.pointee
        avcodec_parameters_to_context(decoder.pointer, stream.codecpar)
        decoder.pointer.pointee.pkt_timebase = stream.time_base
        // CRC checks everywhere; lossless decoders also fail on a bad frame instead of inventing audio.
        decoder.pointer.pointee.err_recognition = AV_EF_CRCCHECK | (isLossless(codec.pointee.id) ? AV_EF_EXPLODE : 0)
        let opened = avcodec_open2(decoder.pointer, codec, nil)
        guard opened >= 0 else { throw AudioError.decoderUnavailable(codec: String(cString: codec.pointee.name)) }
        return (best, decoder)
    }

    private static func firstAudioCodec(_ context: UnsafeMutablePointer<AVFormatContext>) -> AVCodecID {
        for index in 0..<Int(context.pointee.nb_streams) {
            let parameters = context.pointee.streams[index]!.pointee.codecpar!.pointee
            if parameters.codec_type == AVMEDIA_TYPE_AUDIO { return parameters.codec_id }
        }
        return AV_CODEC_ID_NONE
    }

    deinit {
        var owned: UnsafeMutablePointer<AVFormatContext>? = formatContext
        avformat_close_input(&owned)
    }

    var stream: UnsafeMutablePointer<AVStream> { formatContext.pointee.streams[Int(streamIndex)]! }
    var sampleRate: Int32 { decoder.pointer.pointee.sample_rate }

    /// The length the container declares, in samples at `sampleRate`, when it declares one.
    var declaredSamples: Int64? {
        if String(cString: formatContext.pointee.iformat.pointee.name) == "wav", let frames = WAVHeader.declaredFrames(path: path) {
            return frames
        }
        let st = stream.pointee
        if st.duration != AVCode.noPTS, st.duration > 0 {
            return av_rescale_q(st.duration, st.time_base, AVRational(num: 1, den: sampleRate))
        }
        let total = formatContext.pointee.duration
        guard total != AVCode.noPTS, total > 0 else { return nil }
        return av_rescale_q(total, caudio_time_base_q(), AVRational(num: 1, den: sampleRate))
    }

    /// The first picture stream flagged as attached cover art, as raw image bytes.
    var attachedPicture: [UInt8]? {
        for index in 0..<Int(formatContext.pointee.nb_streams) {
            let st = formatContext.pointee.streams[index]!.pointee
            guard st.disposition & AV_DISPOSITION_ATTACHED_PIC != 0, let data = st.attached_pic.data, st.attached_pic.size > 0 else { continue }
            return Array(UnsafeBufferPointer(start: data, count: Int(st.attached_pic.size)))
        }
        return nil
    }

    static let dsdCodecs: Set<UInt32> = Set(
        [AV_CODEC_ID_DSD_LSBF, AV_CODEC_ID_DSD_MSBF, AV_CODEC_ID_DSD_LSBF_PLANAR, AV_CODEC_ID_DSD_MSBF_PLANAR].map(\.rawValue))
    static let losslessCodecs: Set<UInt32> = Set(
        [AV_CODEC_ID_FLAC, AV_CODEC_ID_ALAC, AV_CODEC_ID_WAVPACK, AV_CODEC_ID_APE, AV_CODEC_ID_TTA, AV_CODEC_ID_TAK].map(\.rawValue)
    ).union(dsdCodecs)

    static func isLossless(_ id: AVCodecID) -> Bool { losslessCodecs.contains(id.rawValue) || av_get_bits_per_sample(id) > 0 }
}
