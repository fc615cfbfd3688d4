internal import CAudio

/// Re-encodes a cover between JPEG and PNG with libavcodec's own image codecs (MJPEG, PNG).
/// The pixel formats those codecs use are converted here, without libswscale: the decoded image
/// becomes 8-bit RGB (alpha composited over white), which the PNG encoder takes as is and which
/// becomes full-range 4:4:4 YCbCr (BT.601) for the JPEG encoder.
public enum ImageConverter {
    /// JPEG quality as MJPEG's qscale (2 is near-transparent, 31 the worst).
    static let jpegQScale: Int32 = 2

    public static func convert(_ cover: CoverArt, to kind: CoverArt.Kind) throws -> CoverArt {
        if cover.kind == kind { return cover }
        let pixels = try decode(cover)
        let bytes = try encode(pixels, as: kind)
        do {
            return try CoverArt(data: bytes)
        } catch {
            throw AudioError.imageConversion("the \(kind.rawValue) encoder produced an unreadable image")
        }
    }

    /// 8-bit RGB, row after row.
    struct RGBImage {
        var width: Int
        var height: Int
        var rgb: [UInt8]
    }

    static func decode(_ cover: CoverArt) throws -> RGBImage {
        let id = cover.kind == .jpeg ? AV_CODEC_ID_MJPEG : AV_CODEC_ID_PNG
        guard let codec = avcodec_find_decoder(id) else { throw AudioError.decoderUnavailable(codec: cover.kind.rawValue) }
        let context = AVCodecContextBox(codec: codec)
        guard avcodec_open2(context.pointer, codec, nil) >= 0 else {
            throw AudioError.imageConversion("cannot open the \(cover.kind.rawValue) decoder")
        }
        let packet = AVPacketBox()
        guard av_new_packet(packet.pointer, Int32(cover.data.count)) >= 0 else { throw AudioError.imageConversion("out of memory") }
        cover.data.withUnsafeBufferPointer { source in packet.pointer.pointee.data.update(from: source.baseAddress!, count: source.count) }
        let frame = AVFrameBox()
        var received = avcodec_send_packet(context.pointer, packet.pointer)
        if received >= 0 {
            _ = avcodec_send_packet(context.pointer, nil)
            received = avcodec_receive_frame(context.pointer, frame.pointer)
        }
        guard received >= 0 else { throw AudioError.imageConversion("the \(cover.kind.rawValue) data does not decode (error \(received))") }
        return try rgb(of: frame.pointer.pointee)
    }

    /// The decoded frame as RGB, for the pixel formats the MJPEG and PNG decoders produce.
    static func rgb(of frame: AVFrame) throws -> RGBImage {
        let width = Int(frame.width), height = Int(frame.height)
        let format = AVPixelFormat(rawValue: frame.format)
        var out = [UInt8](repeating: 0, count: width * height * 3)
        func plane(_ index: Int) -> (UnsafeMutablePointer<UInt8>, Int) {
            let data = [frame.data.0, frame.data.1, frame.data.2, frame.data.3][index]!
            let stride = [frame.linesize.0, frame.linesize.1, frame.linesize.2, frame.linesize.3][index]
            return (data, Int(stride))
        }
        func put(_ x: Int, _ y: Int, _ r: Int, _ g: Int, _ b: Int, alpha: Int = 255) {
            let i = (y * width + x) * 3
            // Composited over white: a transparent cover must not turn black.
            out[i] = UInt8((r * alpha + 255 * (255 - alpha)) / 255)
            out[i + 1] = UInt8((g * alpha + 255 * (255 - alpha)) / 255)
            out[i + 2] = UInt8((b * alpha + 255 * (255 - alpha)) / 255)
        }
        func clamp(_ v: Double) -> Int { Int(max(0, min(255, v.rounded()))) }

        switch format {
        case AV_PIX_FMT_YUVJ420P, AV_PIX_FMT_YUVJ422P, AV_PIX_FMT_YUVJ444P, AV_PIX_FMT_YUVJ440P,
            AV_PIX_FMT_YUV420P, AV_PIX_FMT_YUV422P, AV_PIX_FMT_YUV444P, AV_PIX_FMT_YUV440P:
            guard let descriptor = av_pix_fmt_desc_get(format) else { throw AudioError.imageConversion("unknown pixel format") }
            let shiftX = Int(descriptor.pointee.log2_chroma_w), shiftY = Int(descriptor.pointee.log2_chroma_h)
            let fullRange =
                [AV_PIX_FMT_YUVJ420P, AV_PIX_FMT_YUVJ422P, AV_PIX_FMT_YUVJ444P, AV_PIX_FMT_YUVJ440P].contains(format)
                || frame.color_range == AVCOL_RANGE_JPEG
            let (yp, ys) = plane(0), (up, us) = plane(1), (vp, vs) = plane(2)
            for y in 0..<height {
                for x in 0..<width {
                    var luma = Double(yp[y * ys + x])
                    var cb = Double(up[(y >> shiftY) * us + (x >> shiftX)]) - 128
                    var cr = Double(vp[(y >> shiftY) * vs + (x >> shiftX)]) - 128
                    if !fullRange {
                        luma = (luma - 16) * 255 / 219
                        cb *= 255 / 224
                        cr *= 255 / 224
                    }
                    put(x, y, clamp(luma + 1.402 * cr), clamp(luma - 0.344136 * cb - 0.714136 * cr), clamp(luma + 1.772 * cb))
                }
            }
        case AV_PIX_FMT_GRAY8:
            let (p, s) = plane(0)
            for y in 0..<height { for x in 0..<width { let v = Int(p[y * s + x]); put(x, y, v, v, v) } }
        case AV_PIX_FMT_YA8:
            let (p, s) = plane(0)
            for y in 0..<height { for x in 0..<width { let v = Int(p[y * s + 2 * x]); put(x, y, v, v, v, alpha: Int(p[y * s + 2 * x + 1])) } }
        case AV_PIX_FMT_GRAY16BE:
            let (p, s) = plane(0)
            for y in 0..<height { for x in 0..<width { let v = Int(p[y * s + 2 * x]); put(x, y, v, v, v) } }
        case AV_PIX_FMT_RGB24, AV_PIX_FMT_RGBA, AV_PIX_FMT_RGB48BE, AV_PIX_FMT_RGBA64BE:
            // 8 or 16 bits per channel (big-endian: the high byte comes first), with or without alpha.
            let wide = format == AV_PIX_FMT_RGB48BE || format == AV_PIX_FMT_RGBA64BE
            let channels = format == AV_PIX_FMT_RGBA || format == AV_PIX_FMT_RGBA64BE ? 4 : 3
            let step = channels * (wide ? 2 : 1), byte = wide ? 2 : 1
            let (p, s) = plane(0)
            for y in 0..<height {
                for x in 0..<width {
                    let o = y * s + x * step
                    put(x, y, Int(p[o]), Int(p[o + byte]), Int(p[o + 2 * byte]), alpha: channels == 4 ? Int(p[o + 3 * byte]) : 255)
                }
            }
        case AV_PIX_FMT_PAL8:
            // data[1] holds 256 native-endian 0xAARRGGBB entries.
            let (p, s) = plane(0)
            let palette = UnsafeRawPointer(frame.data.1!).assumingMemoryBound(to: UInt32.self)
            for y in 0..<height {
                for x in 0..<width {
                    let c = palette[Int(p[y * s + x])]
                    put(x, y, Int((c >> 16) & 0xff), Int((c >> 8) & 0xff), Int(c & 0xff), alpha: Int(c >> 24))
                }
            }
        default:
            let name = av_get_pix_fmt_name(format).map { String(cString: $0) } ?? "\(frame.format)"
            throw AudioError.imageConversion("pixel format \(name) is not supported (CMYK or an unusual bit depth)")
        }
        return RGBImage(width: width, height: height, rgb: out)
    }

    static func encode(_ image: RGBImage, as kind: CoverArt.Kind) throws -> [UInt8] {
        let id = kind == .jpeg ? AV_CODEC_ID_MJPEG : AV_CODEC_ID_PNG
        guard let codec = avcodec_find_encoder(id) else { throw AudioError.encoderUnavailable(name: kind.rawValue) }
        let context = AVCodecContextBox(codec: codec)
        let c = context.pointer
        c.pointee.width = Int32(image.width)
        c.pointee.height = Int32(image.height)
        c.pointee.time_base = AVRational(num: 1, den: 25)
        c.pointee.pix_fmt = kind == .jpeg ? AV_PIX_FMT_YUVJ444P : AV_PIX_FMT_RGB24
        if kind == .jpeg {
            c.pointee.color_range = AVCOL_RANGE_JPEG
            c.pointee.flags |= Int32(AV_CODEC_FLAG_QSCALE)
            c.pointee.global_quality = jpegQScale * 118  // FF_QP2LAMBDA
        }
        guard avcodec_open2(c, codec, nil) >= 0 else { throw AudioError.imageConversion("cannot open the \(kind.rawValue) encoder") }
        let frameBox = AVFrameBox()
        let frame = frameBox.pointer
        frame.pointee.width = c.pointee.width
        frame.pointee.height = c.pointee.height
        frame.pointee.format = c.pointee.pix_fmt.rawValue
        frame.pointee.quality = c.pointee.global_quality
        guard av_frame_get_buffer(frame, 0) >= 0 else { throw AudioError.imageConversion("out of memory") }
        let width = image.width
        if kind == .jpeg {
            let planes = [frame.pointee.data.0!, frame.pointee.data.1!, frame.pointee.data.2!]
            let strides = [Int(frame.pointee.linesize.0), Int(frame.pointee.linesize.1), Int(frame.pointee.linesize.2)]
            for y in 0..<image.height {
                for x in 0..<width {
                    let i = (y * width + x) * 3
                    let r = Double(image.rgb[i]), g = Double(image.rgb[i + 1]), b = Double(image.rgb[i + 2])
                    let luma = 0.299 * r + 0.587 * g + 0.114 * b
                    planes[0][y * strides[0] + x] = UInt8(max(0, min(255, luma.rounded())))
                    planes[1][y * strides[1] + x] = UInt8(max(0, min(255, (128 + (b - luma) / 1.772).rounded())))
                    planes[2][y * strides[2] + x] = UInt8(max(0, min(255, (128 + (r - luma) / 1.402).rounded())))
                }
            }
        } else {
            let row = frame.pointee.data.0!, stride = Int(frame.pointee.linesize.0)
            image.rgb.withUnsafeBufferPointer { rgb in
                for y in 0..<image.height { (row + y * stride).update(from: rgb.baseAddress! + y * width * 3, count: width * 3) }
            }
        }
        guard avcodec_send_frame(c, frame) >= 0 else { throw AudioError.imageConversion("the \(kind.rawValue) encoder refused the image") }
        _ = avcodec_send_frame(c, nil)
        let packet = AVPacketBox()
        guard avcodec_receive_packet(c, packet.pointer) >= 0 else { throw AudioError.imageConversion("the \(kind.rawValue) encoder gave no image") }
        return [UInt8](UnsafeBufferPointer(start: packet.pointer.pointee.data, count: Int(packet.pointer.pointee.size)))
    }
}
