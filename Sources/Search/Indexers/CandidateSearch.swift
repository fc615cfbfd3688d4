import Basics
import Foundation
import Tickets

/// Runs a ticket's query tiers over every configured indexer until enough candidates are found,
/// de-duplicating by info-hash (keeping the best-seeded listing).
public struct CandidateSearch: Sendable {
    public let indexers: [any IndexerClient]
    /// Stop trying further tiers once this many distinct candidates are known.
    public var enough: Int
    /// Retries per indexer call on timeouts and 5xx, with doubling delays from `retryDelay`.
    public var retries: Int
    public var retryDelay: Duration
    let limiters: [String: RateLimiter]

    public init(
        indexers: [any IndexerClient], enough: Int = 10, retries: Int = 2, retryDelay: Duration = .milliseconds(500), requestsPerSecond: Double = 2
    ) {
        self.indexers = indexers
        self.enough = enough
        self.retries = retries
        self.retryDelay = retryDelay
        limiters = Dictionary(indexers.map { ($0.name, RateLimiter(perSecond: requestsPerSecond, burst: 3)) }, uniquingKeysWith: { a, _ in a })
    }

    /// What a search found, which queries it tried, and what went wrong per indexer.
    public struct Outcome: Sendable {
        public var candidates: [TorrentCandidate]
        public var queries: [String]
        public var errors: [IndexerError]
    }

    public func search(_ search: TicketSearch, override: String? = nil) async -> Outcome {
        var byKey: [String: TorrentCandidate] = [:]
        var order: [String] = []
        var tried: [String] = []
        var errors: [IndexerError] = []
        for query in QueryPlanner.tiers(for: search, override: override) {
            tried.append(query.text)
            let results = await withTaskGroup(of: Result<[TorrentCandidate], IndexerError>.self) { group in
                for indexer in indexers {
                    group.addTask { await self.ask(indexer, query) }
                }
                return await group.reduce(into: []) { $0.append($1) }
            }
            for result in results {
                switch result {
                case .failure(let error): if !errors.contains(error) { errors.append(error) }
                case .success(let found):
                    for candidate in found {
                        let key = candidate.infoHash.isEmpty ? "\(candidate.title.lowercased())|\(candidate.sizeBytes)" : candidate.infoHash
                        if let existing = byKey[key] {
                            if candidate.seeders > existing.seeders { byKey[key] = candidate }
                        } else {
                            byKey[key] = candidate
                            order.append(key)
                        }
                    }
                }
            }
            if byKey.count >= enough { break }
            // An indexer refusing the key refuses every tier: stop asking.
            if !errors.isEmpty, errors.allSatisfy({ if case .unauthorized = $0 { true } else { false } }), errors.count == indexers.count { break }
        }
        let candidates = order.compactMap { byKey[$0] }.sorted { $0.seeders > $1.seeders }
        return Outcome(candidates: candidates, queries: tried, errors: errors)
    }

    private func ask(_ indexer: any IndexerClient, _ query: IndexerQuery) async -> Result<[TorrentCandidate], IndexerError> {
        var delay = retryDelay
        for attempt in 0...retries {
            await limiters[indexer.name]?.acquire()
            do {
                return .success(try await indexer.search(query))
            } catch {
                guard error.isRetryable, attempt < retries else { return .failure(error) }
                try? await Task.sleep(for: delay)
                delay *= 2
            }
        }
        return .success([])
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
