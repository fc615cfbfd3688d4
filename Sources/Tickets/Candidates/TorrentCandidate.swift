public import Foundation

/// A release found on an indexer (docs/ARCHITECTURE.md#a-tickets-path, step 3).
public struct TorrentCandidate: Codable, Sendable, Equatable {
    public var title: String
    public var indexer: String
    /// The configured indexer entry the result came from (a `[[torznab]]` name, or `jackett`), when it
    /// differs from `indexer` (the tracker behind an aggregate feed: `<prowlarrindexer>`, Jackett's `Tracker`).
    public var feed: String?
    public var magnetUri: String?
    public var downloadUrl: String?
    public var infoHash: String
    public var sizeBytes: Int64
    public var seeders: Int
    public var leechers: Int
    public var files: [TorrentFileEntry]?
    /// Where `files` came from: `indexer`, `torrent_file` or `magnet_metadata`.
    public var filesSource: String?
    /// Why there is no file list, when there is none.
    public var filesUnavailableReason: String?
    /// The track titles of each CUE sheet beside an image, by sheet path, when the sheet could be
    /// fetched alone before the download.
    public var cueSheets: [String: [String]]?
    /// The EAC/XLD logs of a lossless release, read before the download like the sheets.
    public var ripLogs: [RipLogNote]?
    public var publishDate: Date?
    /// What the indexer says beyond the file list (Torznab attributes, Jackett's JSON fields): how many
    /// files, how often grabbed, the tracker's seeding rules and whether the download counts
    /// (`download_volume_factor` 0 is freeleech) and the upload counts double.
    public var fileCount: Int?
    public var grabs: Int?
    public var minimumRatio: Double?
    public var minimumSeedTimeSecs: Int?
    public var downloadVolumeFactor: Double?
    public var uploadVolumeFactor: Double?

    /// The download does not count against the user's ratio on its tracker.
    public var isFreeleech: Bool { downloadVolumeFactor == 0 }

    public init(
        title: String, indexer: String, magnetUri: String? = nil, downloadUrl: String? = nil, infoHash: String,
        sizeBytes: Int64, seeders: Int, leechers: Int, files: [TorrentFileEntry]? = nil, publishDate: Date? = nil
    ) {
        self.title = title
        self.indexer = indexer
        self.magnetUri = magnetUri
        self.downloadUrl = downloadUrl
        self.infoHash = infoHash
        self.sizeBytes = sizeBytes
        self.seeders = seeders
        self.leechers = leechers
        self.files = files
        self.publishDate = publishDate
    }
}

/// What a rip log read ahead of the download says, as far as choosing a release goes.
public struct RipLogNote: Codable, Sendable, Equatable {
    public var path: String
    /// The log's one-line summary (ripper, secure mode, AccurateRip, errors).
    public var summary: String
    /// Secure mode, no errors reported, test and copy CRCs agreeing.
    public var clean: Bool
    /// Every track the log lists matched the AccurateRip database.
    public var accurateRipVerified: Bool

    public init(path: String, summary: String, clean: Bool, accurateRipVerified: Bool) {
        self.path = path
        self.summary = summary
        self.clean = clean
        self.accurateRipVerified = accurateRipVerified
    }
}

/// One file inside a torrent, as the metadata lists it.
public struct TorrentFileEntry: Codable, Sendable, Equatable {
    public var path: String
    public var sizeBytes: Int64
    /// The playing time, when an indexer lists it (torrent metadata never does).
    public var durationSecs: Double?

    public init(path: String, sizeBytes: Int64, durationSecs: Double? = nil) {
        self.path = path
        self.sizeBytes = sizeBytes
        self.durationSecs = durationSecs
    }
}
