internal import CAudio
import Foundation

/// An output container being written: one audio stream, the tags, and the cover in the container's own way.
///
/// Owned by one thread. Dropped without `finish()`, the file is closed unfinished and the caller deletes it.
final class MuxedFile {
    let path: String
    let muxer: String
    let context: UnsafeMutablePointer<AVFormatContext>
    let audioStream: UnsafeMutablePointer<AVStream>
    private var pictureStream: UnsafeMutablePointer<AVStream>? = nil
    private var isOpen = false
    /// A MusicBrainz recording id for an MP3's `UFID` frame, added once libav has written the file.
    private var recordingId: String? = nil

    init(path: String, spec: OutputSpec) throws {
        self.path = path
        muxer = spec.muxerName(forPath: path)
        var allocated: UnsafeMutablePointer<AVFormatContext>? = nil
        let created = avformat_alloc_output_context2(&allocated, nil, muxer, path)
        guard created >= 0, let context = allocated else {
            throw AudioError.writeFailed(path: path, reason: "no '\(muxer)' muxer: \(avErrorText(created))")
        }
        // Bit-exact: the same source, tags and cover always give the same bytes (no random Ogg
        // serial number, no creation time). A ticket converted again after a crash mid-placement
        // then finds its own earlier file identical at the destination instead of a conflict.
        context.pointee.flags |= AVFMT_FLAG_BITEXACT
        self.context = context
        audioStream = avformat_new_stream(context, nil)
    }

    deinit {
        if isOpen { avio_closep(&context.pointee.pb) }
        avformat_free_context(context)
    }

    var wantsGlobalHeader: Bool { context.pointee.oformat.pointee.flags & AVFMT_GLOBALHEADER != 0 }

    /// Writes the tags and the cover, opens the file and writes the header (ID3v2.4 for MP3).
    /// The audio stream's parameters must be set before.
    func writeHeader(tags: TrackTags?, cover: CoverArt?, style: TagStyle) throws {
        for entry in tags?.entries(for: style) ?? [] { av_dict_set(&context.pointee.metadata, entry.key, entry.value, 0) }
        if muxer == "mp3", style == .id3v24, let id = tags?.musicBrainz.recordingId, !id.isEmpty { recordingId = id.lowercased() }
        if let cover { pictureStream = addCover(cover) }
        if context.pointee.oformat.pointee.flags & AVFMT_NOFILE == 0 {
            let opened = avio_open(&context.pointee.pb, path, AVIO_FLAG_WRITE)
            guard opened >= 0 else { throw AudioError.write(path, code: opened) }
        }
        isOpen = true
        var options: OpaquePointer? = nil
        if muxer == "mp3" { av_dict_set(&options, "id3v2_version", "4", 0) }
        let header = avformat_write_header(context, &options)
        av_dict_free(&options)
        guard header >= 0 else { throw AudioError.write(path, code: header, "cannot write header") }
        if let pictureStream, let cover { try writeCoverPacket(cover, stream: pictureStream) }
    }

    /// Writes one audio packet whose timestamps are in `timeBase`; the packet is unreferenced after.
    func writeAudio(_ packet: UnsafeMutablePointer<AVPacket>, timeBase: AVRational) throws {
        packet.pointee.stream_index = audioStream.pointee.index
        packet.pointee.pos = -1
        av_packet_rescale_ts(packet, timeBase, audioStream.pointee.time_base)
        let written = av_write_frame(context, packet)
        av_packet_unref(packet)
        guard written >= 0 else { throw AudioError.write(path, code: written) }
    }

    /// Writes the trailer and closes the file, reporting a failed flush (a full disk shows up here).
    func finish() throws {
        let trailer = av_write_trailer(context)
        guard trailer >= 0 else { throw AudioError.write(path, code: trailer) }
        let closed = avio_closep(&context.pointee.pb)
        isOpen = false
        guard closed >= 0 else { throw AudioError.write(path, code: closed) }
        if let recordingId { try ID3UniqueFileId.add(identifier: recordingId, toFileAt: path) }
    }

    /// MP3 (ID3 APIC), FLAC (picture block) and MP4 (`covr`) take an attached-picture stream; Ogg refuses
    /// one (docs/NOTES.md#libav-cover-art-in-ogg), so it gets a `METADATA_BLOCK_PICTURE` comment instead.
    private func addCover(_ cover: CoverArt) -> UnsafeMutablePointer<AVStream>? {
        switch muxer {
        case "ogg":
            let encoded = Data(cover.flacPictureBlock).base64EncodedString()
            av_dict_set(&context.pointee.metadata, "METADATA_BLOCK_PICTURE", encoded, 0)
            return nil
        case "mp3", "flac", "ipod", "mp4":
            guard let stream = avformat_new_stream(context, nil) else { return nil }
            let parameters = stream.pointee.codecpar!
            parameters.pointee.codec_type = AVMEDIA_TYPE_VIDEO
            parameters.pointee.codec_id = cover.kind == .jpeg ? AV_CODEC_ID_MJPEG : AV_CODEC_ID_PNG
            parameters.pointee.width = Int32(cover.width)
            parameters.pointee.height = Int32(cover.height)
            stream.pointee.disposition = AV_DISPOSITION_ATTACHED_PIC
            stream.pointee.time_base = AVRational(num: 1, den: 90_000)
            av_dict_set(&stream.pointee.metadata, "comment", "Cover (front)", 0)
            return stream
        default:
            return nil  // ADTS has nowhere to put a picture
        }
    }

    private func writeCoverPacket(_ cover: CoverArt, stream: UnsafeMutablePointer<AVStream>) throws {
        let picture = AVPacketBox()
        guard av_new_packet(picture.pointer, Int32(cover.data.count)) >= 0 else {
            throw AudioError.writeFailed(path: path, reason: "out of memory for the cover")
        }
        cover.data.withUnsafeBufferPointer { picture.pointer.pointee.data.update(from: $0.baseAddress!, count: cover.data.count) }
        picture.pointer.pointee.stream_index = stream.pointee.index
        picture.pointer.pointee.flags |= AV_PKT_FLAG_KEY
        picture.pointer.pointee.pts = 0
        picture.pointer.pointee.dts = 0
        let written = av_write_frame(context, picture.pointer)
        guard written >= 0 else { throw AudioError.write(path, code: written, "cannot write the cover") }
    }
}
