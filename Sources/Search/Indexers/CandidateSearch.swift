import Basics
import Foundation
import Tickets

/// Runs a ticket's query tiers over every configured indexer until enough candidates are found,
/// de-duplicating by info-hash (keeping the best-seeded listing). An indexer that asked for a
/// pause is not asked before its time; the others go on.
public struct CandidateSearch: Sendable {
    public let indexers: [any IndexerClient]
    /// Stop trying further tiers once this many distinct candidates are known.
    public var enough: Int
    /// Retries per indexer call on refused connections and 5xx, with doubling delays from `retryDelay`.
    /// A timeout is not retried at once (it already waited its whole budget), nor is a rate limit.
    public var retries: Int
    public var retryDelay: Duration
    public let health: IndexerHealth
    let limiters: [String: RateLimiter]

    public init(
        indexers: [any IndexerClient], enough: Int = 10, retries: Int = 2, retryDelay: Duration = .milliseconds(500), requestsPerSecond: Double = 2,
        health: IndexerHealth = IndexerHealth()
    ) {
        self.indexers = indexers
        self.enough = enough
        self.retries = retries
        self.retryDelay = retryDelay
        self.health = health
        limiters = Dictionary(indexers.map { ($0.name, RateLimiter(perSecond: requestsPerSecond, burst: 3)) }, uniquingKeysWith: { a, _ in a })
    }

    /// What one indexer answered to one query, and how long it took.
    public struct Report: Sendable, Equatable {
        public var indexer: String
        public var query: String
        public var candidates: [TorrentCandidate]
        public var failures: [IndexerError]
        public var seconds: Double

        /// For events and the API: the indexer, the query, how many releases, the time, each failure.
        public var json: JSONValue {
            .object([
                "indexer": .string(indexer), "query": .string(query), "results": .number(Double(candidates.count)),
                "seconds": .number((seconds * 1000).rounded() / 1000),
                "errors": .array(
                    failures.map { .object(["indexer": .string($0.indexer), "kind": .string($0.kind), "message": .string($0.description)]) }),
            ])
        }
    }

    /// What a search found, which queries it tried, what went wrong per indexer, and each answer.
    public struct Outcome: Sendable {
        public var candidates: [TorrentCandidate]
        public var queries: [String]
        public var errors: [IndexerError]
        public var reports: [Report]

        /// The earliest moment a paused indexer may be asked again, when the search met one.
        public var resumeAt: Date? {
            errors.compactMap { if case .rateLimited(_, let until) = $0 { until } else { nil } }.min()
        }
    }

    /// Every query tier (or `override`), each over every indexer (or those `only` names).
    public func search(_ search: TicketSearch, override: String? = nil, only: Set<String>? = nil) async -> Outcome {
        let asked = indexers.filter { only?.contains($0.name) ?? true }
        var byKey: [String: TorrentCandidate] = [:]
        var order: [String] = []
        var tried: [String] = []
        var errors: [IndexerError] = []
        var reports: [Report] = []
        for query in QueryPlanner.tiers(for: search, override: override) {
            tried.append(query.text)
            let results = await withTaskGroup(of: Report.self) { group in
                for indexer in asked {
                    group.addTask { await self.ask(indexer, query) }
                }
                return await group.reduce(into: []) { $0.append($1) }
            }
            for report in results.sorted(by: { $0.indexer < $1.indexer }) {
                reports.append(report)
                for error in report.failures where !errors.contains(error) { errors.append(error) }
                for candidate in report.candidates {
                    let key = candidate.infoHash.isEmpty ? "\(candidate.title.lowercased())|\(candidate.sizeBytes)" : candidate.infoHash
                    if let existing = byKey[key] {
                        if candidate.seeders > existing.seeders { byKey[key] = candidate }
                    } else {
                        byKey[key] = candidate
                        order.append(key)
                    }
                }
            }
            if byKey.count >= enough { break }
            // An indexer refusing the key, or paused, refuses every tier: stop asking when all are so.
            let stuck = Set(
                errors.filter { if case .unauthorized = $0 { true } else if case .rateLimited = $0 { true } else { false } }.map(\.indexer))
            if !asked.isEmpty, asked.allSatisfy({ stuck.contains($0.name) }) { break }
        }
        let candidates = order.compactMap { byKey[$0] }.sorted { $0.seeders > $1.seeders }
        return Outcome(candidates: candidates, queries: tried, errors: errors, reports: reports)
    }

    private func ask(_ indexer: any IndexerClient, _ query: IndexerQuery) async -> Report {
        let started = ContinuousClock.now
        func report(_ answer: IndexerAnswer) async -> Report {
            let now = Date()
            let failures = answer.failures
            await health.record(indexer.name, failures: failures.filter { $0.indexer == indexer.name }, at: now)
            for (name, theirs) in Dictionary(grouping: failures.filter { $0.indexer != indexer.name }, by: \.indexer) {
                await health.record(name, failures: theirs, at: now)
            }
            return Report(
                indexer: indexer.name, query: query.text, candidates: answer.candidates, failures: failures,
                seconds: (ContinuousClock.now - started).inSeconds)
        }
        if let until = await health.pausedUntil(indexer.name) {
            // Not asked: the pause is its answer (and not a new failure on its record).
            return Report(
                indexer: indexer.name, query: query.text, candidates: [], failures: [.rateLimited(indexer: indexer.name, until: until)], seconds: 0)
        }
        var delay = retryDelay
        for attempt in 0...retries {
            await limiters[indexer.name]?.acquire()
            do {
                return await report(try await indexer.search(query))
            } catch {
                guard error.isRetryable, attempt < retries else { return await report(IndexerAnswer(candidates: [], failures: [error])) }
                try? await Task.sleep(for: delay)
                delay *= 2
            }
        }
        return await report(IndexerAnswer(candidates: []))
    }
}

/// A token bucket: at most `burst` requests at once, refilled at `perSecond`.
actor RateLimiter {
    let perSecond: Double
    let burst: Double
    private var tokens: Double
    private var updated = ContinuousClock.now

    init(perSecond: Double, burst: Double) {
        self.perSecond = perSecond
        self.burst = burst
        tokens = burst
    }

    func acquire() async {
        while true {
            let now = ContinuousClock.now
            let elapsed = now - updated
            tokens = min(burst, tokens + elapsed.inSeconds * perSecond)
            updated = now
            if tokens >= 1 {
                tokens -= 1
                return
            }
            try? await Task.sleep(for: .milliseconds(Int((1 - tokens) / perSecond * 1000) + 1))
        }
    }
}
