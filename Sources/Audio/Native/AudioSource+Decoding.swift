internal import CAudio

/// Decoded samples handed to a consumer: `count` samples of `frame` starting at sample `offset`.
struct DecodedSpan {
    let frame: UnsafeMutablePointer<AVFrame>
    let offset: Int
    let count: Int
}

extension DecodedSpan {
    /// Pointers to the span's first sample in each plane of `frame` (one for packed formats), as
    /// libswresample takes its input.
    func inputPlanes(format: AVSampleFormat, channels: Int32) -> [UnsafePointer<UInt8>?] {
        let planar = av_sample_fmt_is_planar(format) != 0
        let bytes = Int(av_get_bytes_per_sample(format))
        let stride = planar ? bytes : bytes * Int(channels)
        return (0..<(planar ? Int(channels) : 1)).map { plane in UnsafePointer(frame.pointee.extended_data[plane]! + offset * stride) }
    }
}

extension AudioSource {
    /// Decodes the samples `[start, end)` of the stream (`end` nil: to the end of the file), counted from
    /// the stream's first sample at `sampleRate`, and hands them to `body` in order.
    ///
    /// A range that starts inside the file seeks first and then trims each frame by sample using its
    /// timestamp, so a CUE split is sample-accurate (docs/NOTES.md#libav-cue-split). Returns the number of samples delivered.
    func decode(from start: Int64, to end: Int64?, cancel: CancelFlag, body: (DecodedSpan) throws -> Void) throws -> Int64 {
        let rate = AVRational(num: 1, den: sampleRate)
        let timeBase = stream.pointee.time_base
        let origin = stream.pointee.start_time == AVCode.noPTS ? 0 : stream.pointee.start_time
        if start > 0 {
            let target = origin + av_rescale_q(start, rate, timeBase)
            let sought = avformat_seek_file(formatContext, streamIndex, Int64.min, target, target, 0)
            guard sought >= 0 else { throw AudioError.corruptInput(path: path, reason: "cannot seek to sample \(start): \(avErrorText(sought))") }
            avcodec_flush_buffers(decoder.pointer)
        }
        let packet = AVPacketBox()
        let frame = AVFrameBox()
        var nextSample: Int64 = start
        var delivered: Int64 = 0
        var reachedEnd = false
        // A packet the decoder rejects is corruption, unless it was the file's last: then the file was cut
        // short mid-packet, and the caller's length check reports it as truncated.
        var rejected: AudioError? = nil
        while !reachedEnd {
            try cancel.check()
            let read = av_read_frame(formatContext, packet.pointer)
            if let error = rejected, read != AVCode.eof { throw error }
            if read < 0 && read != AVCode.eof {
                throw AudioError.corruptInput(path: path, reason: "demuxing failed: \(avErrorText(read))")
            }
            if read >= 0 && packet.pointer.pointee.stream_index != streamIndex {
                av_packet_unref(packet.pointer)
                continue
            }
            let sent = avcodec_send_packet(decoder.pointer, read == AVCode.eof ? nil : packet.pointer)
            av_packet_unref(packet.pointer)
            if sent < 0 && sent != AVCode.again && sent != AVCode.eof {
                rejected = AudioError.corruptInput(path: path, reason: "decoding failed near sample \(nextSample): \(avErrorText(sent))")
            }
            while true {
                let received = avcodec_receive_frame(decoder.pointer, frame.pointer)
                if received == AVCode.again { break }
                if received == AVCode.eof { reachedEnd = true; break }
                if received < 0 {
                    if read == AVCode.eof {
                        throw AudioError.corruptInput(path: path, reason: "decoding failed near sample \(nextSample): \(avErrorText(received))")
                    }
                    rejected = AudioError.corruptInput(path: path, reason: "decoding failed near sample \(nextSample): \(avErrorText(received))")
                    break
                }
                let count = Int64(frame.pointer.pointee.nb_samples)
                let stamp = frame.pointer.pointee.best_effort_timestamp
                let frameStart = stamp == AVCode.noPTS ? nextSample : av_rescale_q(stamp - origin, timeBase, rate)
                nextSample = frameStart + count
                let low = max(frameStart, start)
                let high = min(frameStart + count, end ?? Int64.max)
                if high > low {
                    try body(DecodedSpan(frame: frame.pointer, offset: Int(low - frameStart), count: Int(high - low)))
                    delivered += high - low
                }
                av_frame_unref(frame.pointer)
                if let end, nextSample >= end { reachedEnd = true }
            }
            if read == AVCode.eof { reachedEnd = true }
        }
        return delivered
    }
}
