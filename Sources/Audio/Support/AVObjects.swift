import CAudio

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
