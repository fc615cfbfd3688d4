import Search
import Storage
import Tickets

/// The search stage: the ticket's query tiers over the configured indexers.
///
/// Candidates found → returned (the Orchestrator fails an empty list as retryable
/// `no_candidates`). Nothing found because every indexer refused its key → a non-retryable
/// configuration error; because indexers were down → a retryable `indexer_unavailable`.
public struct IndexerSearchStage: SearchStage {
    let search: CandidateSearch
    /// Gives the candidates their file lists before matching; nil leaves what the indexers said.
    let lister: CandidateFileLister?

    /// A search stage over the indexers of `search`.
    ///
    /// - Parameters:
    ///   - search: The configured indexers, with their retries and rate limits.
    ///   - lister: Gives the candidates their file lists before matching; nil leaves what the indexers said.
    public init(search: CandidateSearch, lister: CandidateFileLister? = nil) {
        self.search = search
        self.lister = lister
    }

    /// Runs the ticket's query tiers (or `query`) over every indexer, then gives the candidates their file lists.
    ///
    /// - Parameters:
    ///   - ticket: The ticket to find a release for.
    ///   - query: An operator's search text, used instead of the ticket's own query tiers; nil searches as the ticket says.
    ///   - context: Receives the queries run and the number of candidates; an indexer's failure is kept as a `search_report` note.
    /// - Returns: The candidates found, with file lists when a lister is set; empty when every indexer asked
    ///   answered and none found anything.
    /// - Throws: ``StageError``: `no_indexers` (none is configured) and `indexer_auth` (every indexer refused its key) are
    ///   not retryable; `indexer_rate_limited` waits until the first indexer's pause ends; `indexer_unavailable` when
    ///   nothing was found because indexers failed (retryable when their failures may pass). ``StageInterrupted`` when the
    ///   ticket is cancelled or paused, another node takes it over, or the service stops.
    public func search(_ ticket: StoredTicket, query: String?, context: StageContext) async throws -> [TorrentCandidate] {
        guard !search.indexers.isEmpty else {
            throw StageError(
                code: "no_indexers", message: "no indexer is configured: set [jackett] url and api_key, or [[torznab]] feeds", retryable: false)
        }
        let outcome = await search.search(ticket.ticket.search, override: query)
        await context.reportProgress(
            .object([
                "stage": .string("searching"), "queries": .array(outcome.queries.map { .string($0) }),
                "candidates": .number(Double(outcome.candidates.count)),
            ]))
        if !outcome.errors.isEmpty {
            // Kept in the history: which indexer failed or asked for a pause, on which query.
            context.note(.searchReport, .object(["indexers": .array(outcome.reports.map(\.json))]))
        }
        if !outcome.candidates.isEmpty {
            guard let lister else { return outcome.candidates }
            try context.checkCancellation()
            return await lister.resolve(outcome.candidates)
        }
        // A tracker failing behind an aggregate that answered (Jackett's `Indexers[]`) is reported above,
        // not a reason to fail: the aggregate's "nothing" is an answer.
        let asked = Set(search.indexers.map(\.name))
        let errors = outcome.errors.filter { asked.contains($0.indexer) }
        let unauthorized = errors.filter { if case .unauthorized = $0 { true } else { false } }
        if !unauthorized.isEmpty, unauthorized.count == errors.count, unauthorized.count >= search.indexers.count {
            throw StageError(code: "indexer_auth", message: unauthorized.map(\.description).joined(separator: "; "), retryable: false)
        }
        guard !errors.isEmpty else { return [] }
        let message =
            "nothing found for \(outcome.queries.map { "'\($0)'" }.joined(separator: ", ")); \(outcome.errors.map(\.description).joined(separator: "; "))"
        // Every indexer that could have answered (its key accepted) asked for a pause: the ticket waits
        // for the first to end.
        let answered = Set(
            outcome.reports.filter { report in
                !report.failures.contains { failure in
                    guard failure.indexer == report.indexer else { return false }
                    switch failure {
                    case .rateLimited, .unauthorized: return true
                    default: return false
                    }
                }
            }.map(\.indexer))
        if answered.isEmpty, let resumeAt = outcome.resumeAt {
            throw StageError(code: "indexer_rate_limited", message: message, retryable: true, notBefore: resumeAt)
        }
        throw StageError(code: "indexer_unavailable", message: message, retryable: errors.contains { $0.mayPass })
    }
}
