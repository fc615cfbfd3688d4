import Basics
import Foundation
import Matching
import Search
import Tickets

/// A search a person runs and reads (`downloader2 search`, `GET /search`, a ticket's Search panel):
/// every indexer's answer with its time and error, and every release with what the parser read in
/// its title, the tracker's seeding rules, and the deterministic scorer's verdict and reasons.
/// Nothing is stored; approving one of the releases goes through ``Orchestrator/approve(_:release:by:)``.
public struct InteractiveSearch: Sendable {
    let search: CandidateSearch
    let scorer: CandidateScorer

    public init(search: CandidateSearch, autoApproveThreshold: Double, preferFreeleech: Bool = true) {
        self.search = search
        scorer = CandidateScorer(autoApproveThreshold: autoApproveThreshold, preferFreeleech: preferFreeleech)
    }

    /// What the searches met per indexer (shared with the ticket pipeline's searches).
    public var health: IndexerHealth { search.health }

    /// The names a search can be limited to.
    public var indexerNames: [String] { search.indexers.map(\.name) }

    /// A ticket of no tracks for a search by artist and album alone: the scorer then judges titles.
    public static func ticket(artist: String, album: String, year: Int?) -> Ticket {
        Ticket(
            ticketId: "interactive-search", search: TicketSearch(artist: artist, album: album, year: year), tracks: [],
            constraints: TicketConstraints(format: .flac))
    }

    /// Runs every query tier (or `query`) over every indexer (or the one named), and scores what came back.
    /// `blocked`: info-hashes on the blocklist for this album, marked as such.
    public func run(_ ticket: Ticket, query: String? = nil, indexer: String? = nil, blocked: Set<String> = []) async -> JSONValue {
        let outcome = await search.search(ticket.search, override: query, only: indexer.map { [$0] })
        let scored = scorer.score(ticket, outcome.candidates)
        let releases = scored.map { candidate -> JSONValue in
            let torrent = candidate.torrent
            let parsed = ReleaseTitleParser.parse(torrent.title)
            var fields: [String: JSONValue] = [
                "title": .string(torrent.title), "indexer": .string(torrent.indexer), "info_hash": .string(torrent.infoHash),
                "size_bytes": .number(Double(torrent.sizeBytes)), "seeders": .number(Double(torrent.seeders)),
                "leechers": .number(Double(torrent.leechers)), "freeleech": .bool(torrent.isFreeleech),
                "score": .number((candidate.score * 1000).rounded() / 1000), "reasoning": .string(candidate.reasoning),
                "auto_approvable": .bool(candidate.score >= scorer.autoApproveThreshold),
                "blocked": .bool(blocked.contains(torrent.infoHash.lowercased())),
                "parsed": (try? JSONValue(encoding: parsed)) ?? .null,
                "candidate": (try? JSONValue(encoding: candidate)) ?? .null,
            ]
            if let value = torrent.minimumRatio { fields["minimum_ratio"] = .number(value) }
            if let value = torrent.minimumSeedTimeSecs { fields["minimum_seed_time_secs"] = .number(Double(value)) }
            if let value = torrent.downloadVolumeFactor { fields["download_volume_factor"] = .number(value) }
            if let value = torrent.uploadVolumeFactor { fields["upload_volume_factor"] = .number(value) }
            if let value = torrent.grabs { fields["grabs"] = .number(Double(value)) }
            if let value = torrent.fileCount { fields["file_count"] = .number(Double(value)) }
            if let value = torrent.publishDate { fields["publish_date"] = .string(ISO8601DateFormatter().string(from: value)) }
            return .object(fields)
        }
        // Download links carry indexer keys and trackers' passkeys: redacted here, given back when fetched.
        let answer: JSONValue = .object([
            "artist": .string(ticket.search.artist), "album": .string(ticket.search.album),
            "queries": .array(outcome.queries.map(JSONValue.string)), "indexers": .array(outcome.reports.map(\.json)),
            "releases": .array(releases), "auto_approve_threshold": .number(scorer.autoApproveThreshold),
        ])
        return answer.mappingStrings { Secrets.shared.redact($0) }
    }
}
