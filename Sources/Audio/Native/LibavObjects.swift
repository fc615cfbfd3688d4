internal import CAudio

/// Owns one `AVFrame`; freed with the object.
final class AVFrameBox {
    let pointer: UnsafeMutablePointer<AVFrame>

    init() {
        guard let frame = av_frame_alloc() else { fatalError("av_frame_alloc: out of memory") }
        pointer = frame
    }

    deinit {
        var frame: UnsafeMutablePointer<AVFrame>? = pointer
        av_frame_free(&frame)
    }
}

/// Owns one `AVPacket`; freed with the object.
final class AVPacketBox {
    let pointer: UnsafeMutablePointer<AVPacket>

    init() {
        guard let packet = av_packet_alloc() else { fatalError("av_packet_alloc: out of memory") }
        pointer = packet
    }

    deinit {
        var packet: UnsafeMutablePointer<AVPacket>? = pointer
        av_packet_free(&packet)
    }
}

/// Owns one opened `AVCodecContext`.
final class AVCodecContextBox {
    let pointer: UnsafeMutablePointer<AVCodecContext>

    init(codec: UnsafePointer<AVCodec>) {
        guard let context = avcodec_alloc_context3(codec) else { fatalError("avcodec_alloc_context3: out of memory") }
        pointer = context
    }

    deinit {
        var context: UnsafeMutablePointer<AVCodecContext>? = pointer
        avcodec_free_context(&context)
    }
}

/// The entries of an `AVDictionary` as Swift pairs, in stored order.
func dictionaryEntries(_ dictionary: OpaquePointer?) -> [(key: String, value: String)] {
    var entries: [(String, String)] = []
    var entry: UnsafeMutablePointer<AVDictionaryEntry>? = nil
    while let next = av_dict_get(dictionary, "", entry, AV_DICT_IGNORE_SUFFIX) {
        entries.append((String(cString: next.pointee.key), String(cString: next.pointee.value)))
        entry = next
    }
    return entries
}

/// Text describing a channel layout, e.g. "stereo" or "5.1(side)".
func describe(_ layout: AVChannelLayout) -> String {
    var copy = layout
    var buffer = [CChar](repeating: 0, count: 128)
    guard av_channel_layout_describe(&copy, &buffer, buffer.count) >= 0 else { return "\(layout.nb_channels) channels" }
    return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
}

/// Owns one `SwrContext` (the resampler), configured and initialised.
final class ResamplerBox {
    let pointer: OpaquePointer

    /// Nil when libswresample refuses the pair of layouts, formats and rates.
    init?(
        from input: AVChannelLayout, _ inputFormat: AVSampleFormat, _ inputRate: Int32,
        to output: AVChannelLayout, _ outputFormat: AVSampleFormat, _ outputRate: Int32
    ) {
        var resampler: OpaquePointer? = nil
        var inputLayout = input
        var outputLayout = output
        let configured = swr_alloc_set_opts2(
            &resampler, &outputLayout, outputFormat, outputRate, &inputLayout, inputFormat, inputRate, 0, nil)
        guard configured >= 0, let made = resampler, swr_init(made) >= 0 else {
            swr_free(&resampler)
            return nil
        }
        pointer = made
    }

    deinit {
        var owned: OpaquePointer? = pointer
        swr_free(&owned)
    }
}

/// Owns one `AVAudioFifo`, which hands the encoder frames of exactly its frame size.
final class AudioFifoBox {
    let pointer: OpaquePointer

    init(format: AVSampleFormat, channels: Int32) {
        guard let fifo = av_audio_fifo_alloc(format, channels, 1 << 16) else { fatalError("av_audio_fifo_alloc: out of memory") }
        pointer = fifo
    }

    deinit { av_audio_fifo_free(pointer) }

    var count: Int32 { av_audio_fifo_size(pointer) }
}
