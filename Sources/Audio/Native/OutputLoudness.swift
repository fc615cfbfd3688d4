internal import CAudio

/// The loudness of what a lossy encoder actually wrote: its packets are decoded in memory as they
/// are made (no file is read again) and measured. A lossy encoder changes loudness a little (its
/// lowpass and psychoacoustic model: libvorbis at 256 kbit/s made noise 0.1–0.14 LU quieter here), and
/// the tags must describe the file; a lossless output is measured on the samples it was made from.
final class OutputLoudness {
    private let decoder: AVCodecContextBox
    private let frame = AVFrameBox()
    private let copy = AVPacketBox()
    let meter: LoudnessMeter

    /// A decoder for `encoder`'s packets (its parameters, extradata included); nil if libav has none.
    init?(encoder: UnsafeMutablePointer<AVCodecContext>) {
        guard let codec = avcodec_find_decoder(encoder.pointee.codec_id),
            let meter = LoudnessMeter(channels: Int(encoder.pointee.ch_layout.nb_channels), sampleRate: Int(encoder.pointee.sample_rate))
        else { return nil }
        decoder = AVCodecContextBox(codec: codec)
        let parameters = avcodec_parameters_alloc()
        defer {
            var p = parameters
            avcodec_parameters_free(&p)
        }
        guard let parameters, avcodec_parameters_from_context(parameters, encoder) >= 0,
            avcodec_parameters_to_context(decoder.pointer, parameters) >= 0, avcodec_open2(decoder.pointer, codec, nil) >= 0
        else { return nil }
        self.meter = meter
    }

    /// Decodes a copy of `packet` (the muxer takes the original) and measures what comes out.
    func add(_ packet: UnsafeMutablePointer<AVPacket>) {
        guard av_packet_ref(copy.pointer, packet) >= 0 else { return }
        _ = avcodec_send_packet(decoder.pointer, copy.pointer)
        av_packet_unref(copy.pointer)
        drain()
    }

    /// Flushes the decoder at the end of the stream.
    func finish() {
        _ = avcodec_send_packet(decoder.pointer, nil)
        drain()
    }

    private func drain() {
        while avcodec_receive_frame(decoder.pointer, frame.pointer) >= 0 {
            let f = frame.pointer
            meter.add(DecodedSpan(frame: f, offset: 0, count: Int(f.pointee.nb_samples)), format: AVSampleFormat(rawValue: f.pointee.format))
            av_frame_unref(f)
        }
    }
}
