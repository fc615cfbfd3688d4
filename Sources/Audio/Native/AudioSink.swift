internal import CAudio

/// One output file being written: resampler → FIFO → encoder → muxer, with tags and cover art.
///
/// Owned by one thread for its whole life. Call `finish()` for a complete file; dropping the sink
/// without it closes the file unfinished, and the caller deletes it.
final class AudioSink {
    let path: String
    let choice: EncoderChoice
    private let file: MuxedFile
    private let encoder: AVCodecContextBox
    private let resampler: ResamplerBox
    private let fifo: AudioFifoBox
    private let converted: SampleBuffer
    private let frame = AVFrameBox()
    private let packet = AVPacketBox()
    private let frameSize: Int32
    private let sourceFormat: AVSampleFormat
    private let sourceChannels: Int32
    private var samplesEncoded: Int64 = 0
    /// A lossy output's loudness, measured on its own packets decoded in memory (`measureOutput`).
    private let outputLoudness: OutputLoudness?
    var outputMeter: LoudnessMeter? { outputLoudness?.meter }

    /// Opens the encoder and the output file and writes the header, the tags and the cover.
    init(path: String, spec: OutputSpec, source: SourceFormat, tags: TrackTags?, cover: CoverArt?, measureOutput: Bool = false) throws {
        self.path = path
        guard let codec = avcodec_find_encoder_by_name(spec.encoderName) else { throw AudioError.encoderUnavailable(name: spec.encoderName) }
        choice = EncoderChoice.choose(for: codec, spec: spec, source: source)
        file = try MuxedFile(path: path, spec: spec)
        encoder = AVCodecContextBox(codec: codec)
        fifo = AudioFifoBox(format: choice.sampleFormat, channels: choice.layout.nb_channels)
        converted = SampleBuffer(channels: choice.layout.nb_channels, format: choice.sampleFormat)
        sourceFormat = source.sampleFormat
        sourceChannels = source.layout.nb_channels
        frameSize = try Self.openEncoder(encoder, codec: codec, choice: choice, spec: spec, globalHeader: file.wantsGlobalHeader)
        avcodec_parameters_from_context(file.audioStream.pointee.codecpar, encoder.pointer)
        file.audioStream.pointee.time_base = encoder.pointer.pointee.time_base
        resampler = try Self.makeResampler(from: source, to: choice)
        outputLoudness = measureOutput ? OutputLoudness(encoder: encoder.pointer) : nil
        try file.writeHeader(tags: tags, cover: cover, style: spec.tagStyle(muxer: file.muxer))
    }

    /// Resamples `span` into the FIFO and encodes every whole frame it now holds.
    func write(_ span: DecodedSpan) throws {
        var inputs = span.inputPlanes(format: sourceFormat, channels: sourceChannels)
        try resample(inputs: &inputs, count: Int32(span.count))
        try encodeWholeFrames()
    }

    /// Flushes the resampler, the FIFO's last partial frame and the encoder, then writes the trailer.
    func finish() throws {
        var none: [UnsafePointer<UInt8>?] = []
        try resample(inputs: &none, count: 0)
        try encodeWholeFrames()
        if fifo.count > 0 { try encodeFrame(samples: fifo.count) }
        try send(nil)
        outputLoudness?.finish()
        try file.finish()
    }

    private func resample(inputs: inout [UnsafePointer<UInt8>?], count: Int32) throws {
        repeat {
            let room = swr_get_out_samples(resampler.pointer, count)
            converted.reserve(max(room, 1024))
            let produced = inputs.withUnsafeMutableBufferPointer { buffer in
                swr_convert(resampler.pointer, converted.planes, converted.capacity, count > 0 ? buffer.baseAddress : nil, count)
            }
            guard produced >= 0 else { throw AudioError.writeFailed(path: path, reason: "resampling failed: \(avErrorText(produced))") }
            if produced > 0 { av_audio_fifo_write(fifo.pointer, converted.rawPlanes, produced) }
            // Flushing (count 0) repeats until the resampler has nothing left.
            if count > 0 || produced == 0 { break }
        } while true
    }

    private func encodeWholeFrames() throws {
        while fifo.count >= frameSize { try encodeFrame(samples: frameSize) }
    }

    /// Encodes `samples` from the FIFO through one frame buffer allocated once and reused: encoders with
    /// tiny frames (libvorbis takes 64 samples) would otherwise spend their time in the allocator.
    private func encodeFrame(samples: Int32) throws {
        let f = frame.pointer
        if f.pointee.nb_samples == 0 && f.pointee.data.0 == nil {
            f.pointee.nb_samples = frameSize
            f.pointee.format = choice.sampleFormat.rawValue
            f.pointee.sample_rate = choice.sampleRate
            var layout = choice.layout
            av_channel_layout_copy(&f.pointee.ch_layout, &layout)
            guard av_frame_get_buffer(f, 0) >= 0 else { throw AudioError.writeFailed(path: path, reason: "out of memory for an audio frame") }
        }
        guard av_frame_make_writable(f) >= 0 else { throw AudioError.writeFailed(path: path, reason: "out of memory for an audio frame") }
        f.pointee.nb_samples = samples
        let raw = UnsafeMutableRawPointer(f.pointee.extended_data!).assumingMemoryBound(to: UnsafeMutableRawPointer?.self)
        _ = av_audio_fifo_read(fifo.pointer, raw, samples)
        f.pointee.pts = samplesEncoded
        samplesEncoded += Int64(samples)
        try send(f)
    }

    /// Sends one frame (nil: end of stream) and writes every packet the encoder returns.
    private func send(_ frame: UnsafeMutablePointer<AVFrame>?) throws {
        let sent = avcodec_send_frame(encoder.pointer, frame)
        guard sent >= 0 else { throw AudioError.writeFailed(path: path, reason: "encoding failed: \(avErrorText(sent))") }
        while true {
            let received = avcodec_receive_packet(encoder.pointer, packet.pointer)
            if received == AVCode.again || received == AVCode.eof { return }
            guard received >= 0 else { throw AudioError.writeFailed(path: path, reason: "encoding failed: \(avErrorText(received))") }
            outputLoudness?.add(packet.pointer)
            try file.writeAudio(packet.pointer, timeBase: encoder.pointer.pointee.time_base)
        }
    }
}
