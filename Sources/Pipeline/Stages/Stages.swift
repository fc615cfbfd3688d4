import Audio
import Foundation
import Storage
import Tickets

/// Finds releases for a ticket on the indexers (issue: Search).
public protocol SearchStage: Sendable {
    /// Candidates for `ticket`; `query` overrides the ticket's own search when an operator forced one.
    func search(_ ticket: StoredTicket, query: String?, context: StageContext) async throws -> [TorrentCandidate]
}

/// Scores candidates against a ticket and decides whether one is safe to take (issue: Matching).
public protocol MatchStage: Sendable {
    func match(_ ticket: StoredTicket, candidates: [TorrentCandidate], context: StageContext) async throws -> MatchOutcome
}

/// Downloads the chosen release's needed files (issue: Torrent engine).
public protocol DownloadStage: Sendable {
    func download(_ ticket: StoredTicket, selected: ScoredCandidate, context: StageContext) async throws -> DownloadResult
    /// Downloads, calling `trackReady` for each track whose source is complete while the rest still
    /// downloads (the default never calls it).
    func download(
        _ ticket: StoredTicket, selected: ScoredCandidate, context: StageContext, trackReady: @escaping @Sendable (ReadyTrack) async -> Void
    ) async throws -> DownloadResult
    /// Drops a release the ticket gave up on (a stalled torrent it fell back from), with its data.
    func discard(_ candidate: TorrentCandidate) async
}

extension DownloadStage {
    public func discard(_ candidate: TorrentCandidate) async {}

    public func download(
        _ ticket: StoredTicket, selected: ScoredCandidate, context: StageContext, trackReady: @escaping @Sendable (ReadyTrack) async -> Void
    ) async throws -> DownloadResult {
        try await download(ticket, selected: selected, context: context)
    }
}

/// A track whose source file (and CUE sheet, and the release's cover) is on disk before the whole
/// download is: its conversion may start at once.
public struct ReadyTrack: Sendable, Equatable {
    public var catalogTrackId: String
    public var path: String
    public var cueTrack: Int?
    public var coverPath: String?
    public init(catalogTrackId: String, path: String, cueTrack: Int? = nil, coverPath: String? = nil) {
        self.catalogTrackId = catalogTrackId
        self.path = path
        self.cueTrack = cueTrack
        self.coverPath = coverPath
    }
}

/// Conversions started while the download ran: each finished output by catalog track id. A track
/// that failed early is absent; the final pass converts it again and reports its error.
public struct EarlyConversions: Sendable {
    public var outputs: [String: String] = [:]
    /// Each early track's loudness, its meter kept for the album's gain.
    public var loudness: [String: TrackLoudness] = [:]
    public var audioSeconds: Double = 0
    public init() {}
}

/// Converts, tags and validates each track (issue: Audio).
public protocol ConvertStage: Sendable {
    func convert(_ ticket: StoredTicket, download: DownloadResult, context: StageContext) async throws -> ConvertedRelease
    /// Converts tracks as they arrive while the download runs, until `tracks` ends.
    func convertEarly(_ ticket: StoredTicket, tracks: AsyncStream<ReadyTrack>, context: StageContext) async -> EarlyConversions
    /// Converts what the early pass did not, reusing its outputs.
    func convert(_ ticket: StoredTicket, download: DownloadResult, early: EarlyConversions, context: StageContext) async throws -> ConvertedRelease
}

extension ConvertStage {
    public func convertEarly(_ ticket: StoredTicket, tracks: AsyncStream<ReadyTrack>, context: StageContext) async -> EarlyConversions {
        for await _ in tracks {}
        return EarlyConversions()
    }

    public func convert(
        _ ticket: StoredTicket, download: DownloadResult, early: EarlyConversions, context: StageContext
    ) async throws -> ConvertedRelease {
        try await convert(ticket, download: download, context: context)
    }
}

/// Places converted tracks and images at their `dest_path` (issue: Placement).
public protocol PlaceStage: Sendable {
    func place(_ ticket: StoredTicket, conversion: ConvertedRelease, context: StageContext) async throws -> PlacementResult
}

/// What to do when some tracks (or images) of a ticket cannot be delivered (`[processing] partial_success`).
public enum PartialSuccess: String, Sendable {
    /// The ticket fails, naming each missing track and why.
    case fail
    /// The ticket completes with what worked, flagged, listing exactly what is missing and why.
    case completeFlagged = "complete_flagged"
}

/// Releases good enough to fall back to from `chosen`: another torrent, every ticket track mapped,
/// a score of at least `minScore`; best first.
public func fallbackCandidates(_ scored: [ScoredCandidate], chosen: ScoredCandidate, ticket: Ticket, minScore: Double) -> [ScoredCandidate] {
    let tracks = Set(ticket.tracks.map(\.catalogTrackId))
    return
        scored
        .filter { $0.torrent.infoHash.lowercased() != chosen.torrent.infoHash.lowercased() && $0.score >= minScore && $0.torrent.seeders > 0 }
        .filter { Set($0.trackMapping.map(\.catalogTrackId)).isSuperset(of: tracks) }
        .sorted { $0.score > $1.score }
}

/// What matching decided.
public enum MatchOutcome: Sendable {
    case autoApproved(ScoredCandidate, confidence: Double, alternatives: [ScoredCandidate] = [])
    case needsApproval(TicketState.NeedsApproval)
}

/// Files a finished download left on disk, keyed by catalog track id.
public struct DownloadResult: Sendable {
    public var directory: String
    public var filesByTrackId: [String: String]
    /// Tracks cut from a CUE image: the sheet's track number (the file above is the image).
    public var cueTrackByTrackId: [String: Int]
    /// The release's cover image, when it has one (front/cover/folder, largest first).
    public var coverPath: String?
    public var totalBytes: Int64
    /// Tracks the release has no file for, with why (only with partial success allowed).
    public var missingTracks: [String: String]
    /// EAC/XLD extraction logs beside the tracks, for verification.
    public var ripLogPaths: [String]
    public init(
        directory: String, filesByTrackId: [String: String], cueTrackByTrackId: [String: Int] = [:], coverPath: String? = nil, totalBytes: Int64,
        missingTracks: [String: String] = [:], ripLogPaths: [String] = []
    ) {
        self.ripLogPaths = ripLogPaths
        self.missingTracks = missingTracks
        self.directory = directory
        self.filesByTrackId = filesByTrackId
        self.cueTrackByTrackId = cueTrackByTrackId
        self.coverPath = coverPath
        self.totalBytes = totalBytes
    }
}

/// Converted files waiting in the temp directory: tracks by catalog track id, images by catalog image id.
public struct ConvertedRelease: Sendable {
    public var outputsByTrackId: [String: String]
    public var imagesByCatalogId: [String: String]
    /// Seconds of source audio converted (for the metrics).
    public var audioSeconds: Double
    /// What could not be produced, with why (only with partial success allowed): tracks by catalog
    /// track id, images by catalog image id.
    public var missingTracks: [String: String]
    public var missingImages: [String: String]
    public init(
        outputsByTrackId: [String: String], imagesByCatalogId: [String: String] = [:], audioSeconds: Double = 0,
        missingTracks: [String: String] = [:], missingImages: [String: String] = [:]
    ) {
        self.missingTracks = missingTracks
        self.missingImages = missingImages
        self.outputsByTrackId = outputsByTrackId
        self.imagesByCatalogId = imagesByCatalogId
        self.audioSeconds = audioSeconds
    }
}

/// What placement wrote.
public struct PlacementResult: Sendable {
    public var placedPaths: [String]
    public var totalBytes: Int64
    public init(placedPaths: [String], totalBytes: Int64) {
        self.placedPaths = placedPaths
        self.totalBytes = totalBytes
    }
}
