internal import CTorrentShim
import Foundation

/// Reading `lt_shim_info` handles into ``TorrentMetadata``; the handle never leaves this file.
enum NativeInfo {
    static func metadata(of info: OpaquePointer) -> TorrentMetadata {
        var v1 = [CChar](repeating: 0, count: 41)
        var v2 = [CChar](repeating: 0, count: 65)
        lt_info_hashes(info, &v1, &v2)
        let files = (0..<Int(lt_info_file_count(info))).compactMap { index -> TorrentFile? in
            var file = lt_shim_file()
            guard lt_info_file_at(info, Int32(index), &file) == 0 else { return nil }
            return TorrentFile(index: index, path: String(cString: file.path), size: file.size, isPadding: file.pad_file != 0)
        }
        let hashV1 = String(nulTerminated: v1), hashV2 = String(nulTerminated: v2)
        return TorrentMetadata(
            name: String(cString: lt_info_name(info)), infoHashV1: hashV1.isEmpty ? nil : hashV1, infoHashV2: hashV2.isEmpty ? nil : hashV2,
            files: files, totalSize: lt_info_total_size(info), pieceLength: Int(lt_info_piece_length(info)),
            pieceCount: Int(lt_info_num_pieces(info)),
            isPrivate: lt_info_is_private(info) != 0
        )
    }

    /// Parses .torrent bytes, running `body` with the handle.
    static func withParsed<R>(_ data: Data, _ body: (OpaquePointer) throws(TorrentError) -> R) throws(TorrentError) -> R {
        var error = lt_shim_error()
        let parsed = data.withUnsafeBytes { raw in lt_info_parse(raw.bindMemory(to: UInt8.self).baseAddress, raw.count, &error) }
        guard let info = parsed else { throw .corruptTorrentFile(NativeSession.message(error)) }
        defer { lt_info_free(info) }
        return try body(info)
    }
}

extension TorrentMetadata {
    /// Reads a .torrent file's contents.
    public static func parse(torrentFile data: Data) throws(TorrentError) -> TorrentMetadata {
        guard !data.isEmpty else { throw .corruptTorrentFile("the file is empty") }
        return try NativeInfo.withParsed(data) { NativeInfo.metadata(of: $0) }
    }

    /// A magnet link for a .torrent file (with its v1 and v2 hashes and trackers).
    public static func magnetLink(forTorrentFile data: Data) throws(TorrentError) -> String {
        try NativeInfo.withParsed(data) { info in
            guard let uri = lt_info_magnet_uri(info) else { return "" }
            defer { lt_shim_free(uri) }
            return String(cString: uri)
        }
    }
}

/// Makes .torrent files from files on disk (for tests, tools and `downloader2 torrent create`).
public enum TorrentCreator {
    public enum Kind: Int32, Sendable {
        case hybrid = 0, v1Only = 1, v2Only = 2
    }

    /// Hashes the file or directory at `path` and returns the .torrent bytes; `isPrivate` sets the
    /// info dictionary's private flag (BEP 27: peers from its trackers only).
    public static func create(
        from path: String, trackers: [String] = [], pieceSize: Int = 0, kind: Kind = .hybrid, isPrivate: Bool = false
    ) throws(TorrentError) -> Data {
        var error = lt_shim_error()
        var bytes: UnsafeMutablePointer<UInt8>?
        var size = 0
        let duplicates = trackers.map { strdup($0) }
        defer { duplicates.forEach { free($0) } }
        let status = duplicates.map { UnsafePointer($0) }.withUnsafeBufferPointer { list in
            lt_create_torrent(path, list.baseAddress, Int32(list.count), Int32(pieceSize), kind.rawValue | (isPrivate ? 8 : 0), &bytes, &size, &error)
        }
        guard status == 0, let bytes else { throw NativeSession.failure("create a torrent from \(path)", error) }
        defer { lt_shim_free(bytes) }
        return Data(bytes: bytes, count: size)
    }
}
