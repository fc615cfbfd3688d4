import Audio
import Foundation
import Storage
import Tickets

/// Finds releases for a ticket on the indexers (issue: Search).
public protocol SearchStage: Sendable {
    /// Candidates for `ticket`; `query` overrides the ticket's own search when an operator forced one.
    ///
    /// - Parameters:
    ///   - ticket: The ticket to find a release for.
    ///   - query: An operator's search text, used instead of the ticket's own query tiers; nil searches as the ticket says.
    ///   - context: The ticket's progress reports, history notes and stop flag.
    /// - Returns: The releases found; empty when the indexers answered and none had anything.
    /// - Throws: ``StageError`` when the search cannot run or the indexers failed (its `retryable` says whether
    ///   trying later can help); ``StageInterrupted`` when the ticket is cancelled or paused, another node takes
    ///   it over, or the service stops.
    func search(_ ticket: StoredTicket, query: String?, context: StageContext) async throws -> [TorrentCandidate]
}

/// Scores candidates against a ticket and decides whether one is safe to take (issue: Matching).
public protocol MatchStage: Sendable {
    /// Scores `candidates` against the ticket and decides whether one can be taken without a person.
    ///
    /// - Parameters:
    ///   - ticket: The ticket whose tracks the candidates must hold.
    ///   - candidates: The search's results, with their file lists where they were found.
    ///   - context: The ticket's progress reports, history notes and stop flag.
    /// - Returns: The release taken, with its confidence and fallbacks, or the choice a person must make.
    /// - Throws: ``StageError`` (``StageError/noCandidates(_:)`` when nothing is left to decide on).
    func match(_ ticket: StoredTicket, candidates: [TorrentCandidate], context: StageContext) async throws -> MatchOutcome
}

/// Downloads the chosen release's needed files (issue: Torrent engine).
public protocol DownloadStage: Sendable {
    /// Downloads the files of the chosen release the ticket needs and waits until they are all on disk.
    ///
    /// - Parameters:
    ///   - ticket: The ticket downloading.
    ///   - selected: The approved release with its track-to-file mapping.
    ///   - context: The ticket's progress reports, history notes and stop flag.
    /// - Returns: Where each track's file is, with the release's cover, rip logs and the tracks it lacks.
    /// - Throws: ``StageError`` when the release cannot be fetched, added or completed (its `retryable` says
    ///   whether trying later can help); ``StageInterrupted`` when the ticket is cancelled or paused, another node
    ///   takes it over, or the service stops.
    func download(_ ticket: StoredTicket, selected: ScoredCandidate, context: StageContext) async throws -> DownloadResult
    /// Downloads, calling `trackReady` for each track whose source is complete while the rest still
    /// downloads (the default never calls it).
    ///
    /// - Parameters:
    ///   - ticket: The ticket downloading.
    ///   - selected: The approved release with its track-to-file mapping.
    ///   - context: The ticket's progress reports, history notes and stop flag.
    ///   - trackReady: Called once for each track whose files are complete while other files still download.
    /// - Returns: Where each track's file is, with the release's cover, rip logs and the tracks it lacks.
    /// - Throws: ``StageError`` when the release cannot be fetched, added or completed (its `retryable` says
    ///   whether trying later can help); ``StageInterrupted`` when the ticket is cancelled or paused, another node
    ///   takes it over, or the service stops.
    func download(
        _ ticket: StoredTicket, selected: ScoredCandidate, context: StageContext, trackReady: @escaping @Sendable (ReadyTrack) async -> Void
    ) async throws -> DownloadResult
    /// Drops a release the ticket gave up on (a stalled torrent it fell back from), with its data.
    ///
    /// - Parameter candidate: The release given up on.
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
    /// Converts every ticket track from the downloaded files, tagged and validated, into the ticket's work folder.
    ///
    /// - Parameters:
    ///   - ticket: The ticket whose tracks, format and tags are produced.
    ///   - download: The finished download's files.
    ///   - context: The ticket's progress reports, history notes and stop flag.
    /// - Returns: The converted tracks and images, the seconds of audio converted, and what could not be produced (only
    ///   with partial success allowed).
    /// - Throws: ``StageError`` when a track or image cannot be produced and partial success does not allow leaving it out;
    ///   ``StageInterrupted`` when the ticket is cancelled or paused, another node takes it over, or the service stops.
    func convert(_ ticket: StoredTicket, download: DownloadResult, context: StageContext) async throws -> ConvertedRelease
    /// Converts tracks as they arrive while the download runs, until `tracks` ends.
    ///
    /// - Parameters:
    ///   - ticket: The ticket whose tracks are produced.
    ///   - tracks: The tracks whose source files are complete, as the download announces them; it ends with the download.
    ///   - context: The ticket's progress reports, history notes and stop flag.
    /// - Returns: The outputs converted, by catalog track id, with their loudness and seconds of audio; a track that failed is absent.
    func convertEarly(_ ticket: StoredTicket, tracks: AsyncStream<ReadyTrack>, context: StageContext) async -> EarlyConversions
    /// Converts what the early pass did not, reusing its outputs.
    ///
    /// - Parameters:
    ///   - ticket: The ticket whose tracks, format and tags are produced.
    ///   - download: The finished download's files.
    ///   - early: What the early pass converted; those outputs are reused.
    ///   - context: The ticket's progress reports, history notes and stop flag.
    /// - Returns: The converted tracks and images, the seconds of audio converted, and what could not be produced (only
    ///   with partial success allowed).
    /// - Throws: ``StageError`` when a track or image cannot be produced and partial success does not allow leaving it out;
    ///   ``StageInterrupted`` when the ticket is cancelled or paused, another node takes it over, or the service stops.
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
    /// Moves every converted track and image to its `dest_path` and records each placed file.
    ///
    /// - Parameters:
    ///   - ticket: The ticket whose tracks and images name the destinations.
    ///   - conversion: The converted files waiting in the work folder.
    ///   - context: The ticket's progress reports, history notes and stop flag.
    /// - Returns: The paths placed, in order, and their total size in bytes.
    /// - Throws: ``StageError`` when a file cannot be placed or an output is missing (its `retryable` says whether
    ///   trying later can help); ``StageInterrupted`` when the ticket is cancelled or paused, another node takes
    ///   it over, or the service stops.
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
///
/// - Parameters:
///   - scored: Every scored candidate of the search.
///   - chosen: The release taken; other listings of the same torrent are left out with it.
///   - ticket: The ticket whose every track a fallback must map.
///   - minScore: The lowest score a fallback may have.
/// - Returns: The fallbacks with at least one seeder, best score first; empty when there are none.
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
