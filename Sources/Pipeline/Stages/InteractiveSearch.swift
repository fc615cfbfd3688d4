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

    /// An interactive search over the indexers of `search`, scored as the pipeline scores.
    ///
    /// - Parameters:
    ///   - search: The configured indexers; what they meet is shared with the pipeline's searches.
    ///   - autoApproveThreshold: The score from which the pipeline would take a release without a person; each
    ///     release says whether it reaches it.
    ///   - preferFreeleech: Among releases that match equally well, ranks a freeleech one first.
    public init(search: CandidateSearch, autoApproveThreshold: Double, preferFreeleech: Bool = true) {
        self.search = search
        scorer = CandidateScorer(autoApproveThreshold: autoApproveThreshold, preferFreeleech: preferFreeleech)
    }

    /// What the searches met per indexer (shared with the ticket pipeline's searches).
    public var health: IndexerHealth { search.health }

    /// The names a search can be limited to.
    public var indexerNames: [String] { search.indexers.map(\.name) }

    /// A ticket of no tracks for a search by artist and album alone: the scorer then judges titles.
    ///
    /// - Parameters:
    ///   - artist: The artist to search for.
    ///   - album: The album to search for.
    ///   - year: The album's year; nil when unknown.
    /// - Returns: A FLAC ticket with no tracks, its id `interactive-search`.
    public static func ticket(artist: String, album: String, year: Int?) -> Ticket {
        Ticket(
            ticketId: "interactive-search", search: TicketSearch(artist: artist, album: album, year: year), tracks: [],
            constraints: TicketConstraints(format: .flac))
    }

    /// Runs every query tier (or `query`) over every indexer (or the one named), and scores what came back.
    /// `blocked`: info-hashes on the blocklist for this album, marked as such.
    ///
    /// - Parameters:
    ///   - ticket: What to search for; ``ticket(artist:album:year:)`` makes one from an artist and an album.
    ///   - query: Search text used instead of the ticket's query tiers; nil runs the tiers.
    ///   - indexer: The name of the one indexer to ask (see ``indexerNames``); nil asks every one.
    ///   - blocked: Lower-case info-hashes on the blocklist for this album.
    /// - Returns: A JSON object: the artist and album, the queries run, each indexer's report, the releases best first
    ///   (parsed title, seeding rules, score and reasons), and the auto-approve threshold. Secrets in it are redacted.
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
