internal import CAudio

extension MuxedFile {
    /// Opens an output whose audio stream takes `source`'s codec parameters as they are (for a packet copy).
    convenience init(path: String, spec: OutputSpec, copying source: AudioSource) throws {
        try self.init(path: path, spec: spec)
        let input = source.stream
        guard avcodec_parameters_copy(audioStream.pointee.codecpar, input.pointee.codecpar) >= 0 else {
            throw AudioError.writeFailed(path: path, reason: "cannot copy codec parameters")
        }
        audioStream.pointee.codecpar.pointee.codec_tag = 0
        audioStream.pointee.time_base = input.pointee.time_base
    }
}

extension AudioSource {
    /// Copies every packet of the audio stream into `file` unchanged and reports the end of the last
    /// one, in samples; `body` gets that position after each packet (for progress).
    func copyPackets(into file: MuxedFile, cancel: CancelFlag, body: (Int64) -> Void) throws -> Int64 {
        let packet = AVPacketBox()
        let timeBase = stream.pointee.time_base
        var lastEnd: Int64 = 0
        while true {
            try cancel.check()
            let read = av_read_frame(formatContext, packet.pointer)
            if read == AVCode.eof { break }
            guard read >= 0 else { throw AudioError.corruptInput(path: path, reason: "demuxing failed: \(avErrorText(read))") }
            guard packet.pointer.pointee.stream_index == streamIndex else { av_packet_unref(packet.pointer); continue }
            let end = packet.pointer.pointee.pts + packet.pointer.pointee.duration
            lastEnd = max(lastEnd, av_rescale_q(end, timeBase, AVRational(num: 1, den: sampleRate)))
            try file.writeAudio(packet.pointer, timeBase: timeBase)
            body(lastEnd)
        }
        return lastEnd
    }
}
