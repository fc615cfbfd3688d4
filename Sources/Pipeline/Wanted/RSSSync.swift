import Basics
import Foundation
import Logging
import Search
import ServiceLifecycle
import Storage
import Synchronization
import Tickets

/// Reads every indexer's feed of recent music releases on an interval and matches each item it has
/// not seen before against all `wanted` tickets; a likely match sends that ticket to search and
/// matching at once instead of waiting for its next scheduled search. One read of a feed serves every
/// wanted ticket, and a feed that fails is logged and read again next time (it never touches a ticket).
public final class RSSSync: Service, Sendable {
    let indexers: [any IndexerClient]
    let database: any TicketStore
    let orchestrator: Orchestrator
    let interval: Duration
    let logger: Logger
    let seen: SeenReleases
    /// The pauses indexers asked for and their failures, shared with the ticket searches: a paused
    /// indexer's feed is not read, and a 429 here pauses it for the searches too.
    let health: IndexerHealth
    private let lastRound = Mutex<RSSRound?>(nil)

    public init(
        indexers: [any IndexerClient], database: any TicketStore, orchestrator: Orchestrator, interval: Duration, remember: Int = 10_000,
        health: IndexerHealth = IndexerHealth(), logger: Logger = Logger(label: "rss")
    ) {
        self.health = health
        self.indexers = indexers
        self.database = database
        self.orchestrator = orchestrator
        self.interval = interval
        self.logger = logger
        self.seen = SeenReleases(capacity: remember)
    }

    /// What the last read found (for `/stats`), nil before the first.
    public var last: RSSRound? { lastRound.withLock { $0 } }

    public func run() async throws {
        guard !indexers.isEmpty, interval > .zero else {
            // Nothing to read: stay up until the group stops (a service must not end early).
            try? await gracefulShutdown()
            return
        }
        while !Task.isCancelled, !Task.isShuttingDownGracefully {
            _ = await syncOnce()
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: self.interval) }
        }
    }

    /// One read of every feed; returns what it did.
    @discardableResult
    public func syncOnce() async -> RSSRound {
        var round = RSSRound(at: Date())
        var fresh: [TorrentCandidate] = []
        for indexer in indexers {
            if let until = await health.pausedUntil(indexer.name) {
                round.failures.append("\(indexer.name) paused until \(ISO8601DateFormatter().string(from: until)) (it asked for a pause): not read")
                continue
            }
            do {
                let answer = try await indexer.recentReleases()
                await health.record(indexer.name, failures: answer.failures.filter { $0.indexer == indexer.name })
                let items = answer.candidates
                round.failures += answer.failures.map(\.description)
                round.itemsRead += items.count
                fresh += items.filter { seen.insert(SeenReleases.key($0)) }
            } catch {
                await health.record(indexer.name, failures: [error])
                round.failures.append("\(error)")
                logger.warning("RSS sync: \(error)")
            }
        }
        round.newItems = fresh.count
        if !fresh.isEmpty {
            do {
                round.triggered = try await trigger(fresh)
            } catch {
                round.failures.append("reading the wanted tickets failed: \(error)")
                logger.error("RSS sync: reading the wanted tickets failed: \(error)")
            }
        }
        lastRound.withLock { $0 = round }
        return round
    }

    /// Sends every wanted ticket some new item looks like to search now; the ids it sent.
    private func trigger(_ items: [TorrentCandidate]) async throws -> [String] {
        var triggered: [String] = []
        var offset = 0
        while true {
            let page = try await database.tickets(inStates: [.wanted], limit: 200, offset: offset)
            for stored in page.tickets {
                let wanted = stored.ticket.search
                guard
                    let (item, reading) = items.lazy.compactMap({ item in
                        WantedMatch.reading(item.title, artist: wanted.artist, album: wanted.album).map { (item, $0) }
                    }).first
                else { continue }
                let note = JSONValue.object([
                    "title": .string(item.title), "indexer": .string(item.indexer), "info_hash": .string(item.infoHash),
                    "agreement": .number((reading.agreement * 100).rounded() / 100),
                ])
                do {
                    if try await orchestrator.searchWanted(stored.id, because: note) {
                        triggered.append(stored.id)
                        logger.info("RSS sync: '\(item.title)' on \(item.indexer) looks like wanted ticket \(stored.id): searching now")
                    }
                } catch {
                    logger.warning("RSS sync: could not send ticket \(stored.id) to search: \(error)")
                }
            }
            offset += page.tickets.count
            if page.tickets.count < 200 { break }
        }
        return triggered
    }
}

/// What one RSS sync round read and did.
public struct RSSRound: Sendable, Equatable, Codable {
    public var at: Date
    public var itemsRead = 0
    public var newItems = 0
    public var triggered: [String] = []
    public var failures: [String] = []
}

/// Whether a feed item is likely the album a ticket wants: the title, read with the ticket's artist
/// and album in hand, names the artist and carries most of the album's words.
public enum WantedMatch {
    /// Share of the album's words the title must carry.
    public static let minimumAgreement = 0.75

    public static func reading(_ title: String, artist: String, album: String) -> GuidedReading? {
        let reading = ReleaseTitleParser.parse(title, artist: artist, album: album)
        return reading.artistFound && reading.agreement >= minimumAgreement ? reading : nil
    }
}

/// The feed items already matched, by info-hash (or indexer and title when the feed gives none),
/// remembered up to `capacity`; the oldest are forgotten first.
public final class SeenReleases: Sendable {
    private struct State {
        var keys: Set<String> = []
        var order: [String] = []
        var head = 0
    }

    public let capacity: Int
    private let state = Mutex(State())

    public init(capacity: Int) { self.capacity = max(capacity, 1) }

    static func key(_ item: TorrentCandidate) -> String {
        item.infoHash.isEmpty ? "\(item.indexer)\u{1F}\(item.title)" : item.infoHash.lowercased()
    }

    /// True when `key` was not remembered (it is now).
    public func insert(_ key: String) -> Bool {
        state.withLock { state in
            guard state.keys.insert(key).inserted else { return false }
            state.order.append(key)
            if state.keys.count > capacity {
                state.keys.remove(state.order[state.head])
                state.head += 1
                // Compact now and then so the order list stays within twice the capacity.
                if state.head >= capacity {
                    state.order.removeFirst(state.head)
                    state.head = 0
                }
            }
            return true
        }
    }

    public var count: Int { state.withLock { $0.keys.count } }
}
