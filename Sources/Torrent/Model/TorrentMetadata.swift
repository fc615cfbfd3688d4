import Foundation

/// What a torrent contains: name, info-hashes and files; known without downloading any payload.
public struct TorrentMetadata: Sendable, Equatable, Codable {
    public var name: String
    /// 40 hex digits, or nil for a v2-only torrent.
    public var infoHashV1: String?
    /// 64 hex digits, or nil for a v1-only torrent.
    public var infoHashV2: String?
    public var files: [TorrentFile]
    public var totalSize: Int64
    public var pieceLength: Int
    public var pieceCount: Int
    /// The private flag (BEP 27): peers come from its trackers only, never the DHT, PEX or LSD.
    public var isPrivate: Bool = false

    /// The id the engine uses: v1 when present, else v2.
    public var infoHash: String { infoHashV1 ?? infoHashV2 ?? "" }
    public var isHybrid: Bool { infoHashV1 != nil && infoHashV2 != nil }
}

/// One file of a torrent; `index` is the position file priorities refer to.
public struct TorrentFile: Sendable, Equatable, Codable {
    public var index: Int
    /// Relative, '/'-separated, starting with the torrent's name for multi-file torrents.
    public var path: String
    public var size: Int64
    /// Alignment padding libtorrent inserts; never a real file.
    public var isPadding: Bool
}
