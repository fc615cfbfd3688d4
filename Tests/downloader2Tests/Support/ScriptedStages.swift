import Foundation
import Pipeline
import Storage
import Synchronization
import Tickets

/// Stage doubles for driving the Orchestrator: each stage runs the closure the test gives it
/// (by default a plausible success) and counts its calls.
final class ScriptedStages: SearchStage, MatchStage, DownloadStage, ConvertStage, PlaceStage, Sendable {
    typealias Search = @Sendable (StoredTicket, String?, StageContext) async throws -> [TorrentCandidate]
    typealias Match = @Sendable (StoredTicket, [TorrentCandidate], StageContext) async throws -> MatchOutcome
    typealias Download = @Sendable (StoredTicket, ScoredCandidate, StageContext) async throws -> DownloadResult
    typealias Convert = @Sendable (StoredTicket, DownloadResult, StageContext) async throws -> ConvertedRelease

    let onSearch: Search
    let onMatch: Match
    let onDownload: Download
    let onConvert: Convert
    private let counts = Mutex<[String: Int]>([:])

    init(
        search: @escaping Search = { _, _, _ in [Fixtures.candidate(0), Fixtures.candidate(1)] },
        match: @escaping Match = { _, candidates, _ in
            .autoApproved(ScoredCandidate(torrent: candidates[0], score: 0.95, trackMapping: [], reasoning: "scripted"), confidence: 0.95)
        },
        download: @escaping Download = { ticket, _, _ in DownloadResult(directory: "/tmp", filesByTrackId: [:], totalBytes: 1000) },
        convert: @escaping Convert = { ticket, _, _ in ScriptedStages.converted(ticket) }
    ) {
        onConvert = convert
        onSearch = search
        onMatch = match
        onDownload = download
    }

    /// A conversion that produced every track (the scripted place stage reads no file).
    static func converted(_ ticket: StoredTicket) -> ConvertedRelease {
        ConvertedRelease(
            outputsByTrackId: Dictionary(uniqueKeysWithValues: ticket.ticket.tracks.map { ($0.catalogTrackId, "/scripted/\($0.catalogTrackId)") }))
    }

    func calls(_ stage: String) -> Int { counts.withLock { $0[stage, default: 0] } }
    private func count(_ stage: String) { counts.withLock { $0[stage, default: 0] += 1 } }

    var pipeline: PipelineStages { PipelineStages(search: self, match: self, download: self, convert: self, place: self) }

    func search(_ ticket: StoredTicket, query: String?, context: StageContext) async throws -> [TorrentCandidate] {
        count("search")
        return try await onSearch(ticket, query, context)
    }

    func match(_ ticket: StoredTicket, candidates: [TorrentCandidate], context: StageContext) async throws -> MatchOutcome {
        count("match")
        return try await onMatch(ticket, candidates, context)
    }

    func download(_ ticket: StoredTicket, selected: ScoredCandidate, context: StageContext) async throws -> DownloadResult {
        count("download")
        return try await onDownload(ticket, selected, context)
    }

    /// Info-hashes the Orchestrator told the download stage to drop.
    let discarded = Mutex<[String]>([])

    func discard(_ candidate: TorrentCandidate) async {
        discarded.withLock { $0.append(candidate.infoHash) }
    }

    func convert(_ ticket: StoredTicket, download: DownloadResult, context: StageContext) async throws -> ConvertedRelease {
        count("convert")
        return try await onConvert(ticket, download, context)
    }

    func place(_ ticket: StoredTicket, conversion: ConvertedRelease, context: StageContext) async throws -> PlacementResult {
        count("place")
        return PlacementResult(placedPaths: ticket.ticket.tracks.map(\.destPath), totalBytes: 500)
    }
}

/// Polls `condition` every 20 ms until it holds or `seconds` pass; returns whether it held.
func eventually(within seconds: Double = 60, _ condition: () async throws -> Bool) async rethrows -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    while Date() < deadline {
        if try await condition() { return true }
        // The poll interval of a wait for a state (bounded by `seconds`), not a wait in itself.
        try? await Task.sleep(for: .milliseconds(20))
    }
    return try await condition()
}
