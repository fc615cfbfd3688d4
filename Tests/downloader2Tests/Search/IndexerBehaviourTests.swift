import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Pipeline
import Search
import Server
import Storage
import Synchronization
import Testing
import Tickets

/// Searching indexers that behave like Jackett's trackers (``CardigannTracker``): q-only music search,
/// rate limits with `Retry-After`, a failing tracker behind the aggregate.
@Suite("Indexers as they behave: q-only music search, Retry-After, per-tracker errors")
struct IndexerBehaviourTests {
    static let apiKey = "tracker-key"
    static let okComputer = TicketSearch(artist: "Radiohead", album: "OK Computer", year: 1997)
    static let album = CardigannTracker.Release(
        title: "Radiohead - OK Computer (1997) [FLAC]", size: 420_000_000, seeders: 12, leechers: 3,
        infoHash: String(repeating: "1a", count: 20), link: "http://127.0.0.1:1/dl/okc.torrent",
        published: Date(timeIntervalSince1970: 1_600_000_000),
        downloadVolumeFactor: 0)

    static func serve(_ trackers: [CardigannTracker], _ body: @escaping @Sendable (String) async throws -> Void) async throws {
        let router = Router()
        // The last tracker is also the one behind Jackett's JSON API.
        for tracker in trackers { tracker.register(on: router, apiKey: apiKey, json: tracker === trackers.last) }
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live) { client in try await body("http://127.0.0.1:\(client.port!)") }
    }

    static func torznab(_ base: String, _ tracker: CardigannTracker) -> TorznabClient {
        TorznabClient(name: tracker.id, baseURL: "\(base)/api/v2.0/indexers/\(tracker.id)/results/torznab/api", apiKey: apiKey)
    }

    @Test("a q-only tracker gets t=music with q = artist album and nothing it does not take, and finds the album; an empty q lists its latest")
    func qOnly() async throws {
        let tracker = CardigannTracker(releases: [Self.album] + CardigannTracker.latest)
        #expect(tracker.find("").count == 4, "no keywords: the latest releases, whatever they are")
        try await Self.serve([tracker]) { base in
            let outcome = await CandidateSearch(indexers: [Self.torznab(base, tracker)], enough: 1).search(Self.okComputer)
            #expect(outcome.errors.isEmpty, "\(outcome.errors)")
            #expect(outcome.candidates.map(\.title) == [Self.album.title])
            let found = try #require(outcome.candidates.first)
            #expect(found.indexer == "ToneTracker" && found.isFreeleech && found.minimumSeedTimeSecs == 172_800 && found.leechers == 3)
            let search = try #require(tracker.searches.first)
            #expect(search.contains("t=music") && search.contains("q=Radiohead%20OK%20Computer"), "\(search)")
            #expect(!search.contains("artist=") && !search.contains("album=") && !search.contains("year="), "not in the caps: \(search)")
            #expect(search.contains("cat=3000%2C3010%2C3040"), "\(search)")
        }
    }

    @Test("a full music-search tracker gets artist, album, year and q; a '+' in a title stays a plus")
    func fullMusicSearch() async throws {
        let plus = CardigannTracker.Release(
            title: "Bob Marley + The Wailers - Exodus (1977) [FLAC]", size: 300_000_000, seeders: 4, leechers: 0,
            infoHash: String(repeating: "3c", count: 20),
            published: Date(timeIntervalSince1970: 1_600_000_000))
        let tracker = CardigannTracker(music: .full, releases: [Self.album, plus] + CardigannTracker.latest)
        try await Self.serve([tracker]) { base in
            let client = Self.torznab(base, tracker)
            let outcome = await CandidateSearch(indexers: [client], enough: 1).search(Self.okComputer)
            #expect(outcome.candidates.first?.title == Self.album.title)
            let search = try #require(tracker.searches.first)
            for part in ["t=music", "artist=Radiohead", "album=OK%20Computer", "year=1997", "q=Radiohead%20OK%20Computer"] {
                #expect(search.contains(part), "\(part) in \(search)")
            }
            _ = await CandidateSearch(indexers: [client], enough: 1).search(TicketSearch(artist: "Bob Marley + The Wailers", album: "Exodus"))
            #expect(tracker.searches.contains { $0.contains("artist=Bob%20Marley%20%2B%20The%20Wailers") }, "\(tracker.searches)")
        }
    }

    @Test("429 with Retry-After: that indexer is not asked inside the window, the others go on, the pause outlives a restart, then it is asked again")
    func retryAfter() async throws {
        let dir = TemporaryDirectory("retry-after")
        let limited = CardigannTracker(id: "limited", name: "Limited", releases: [Self.album])
        let other = CardigannTracker(id: "other", name: "Other", releases: [Self.album])
        limited.rateLimit.withLock { $0 = 10 }
        try await Self.serve([limited, other]) { base in
            let health = IndexerHealth(path: dir.file("indexer-pauses.json"))
            // No client-side rate limit in the way: the searches below must all fall inside the window.
            let search = CandidateSearch(
                indexers: [Self.torznab(base, limited), Self.torznab(base, other)], enough: 1, requestsPerSecond: 1000, health: health)
            let first = await search.search(Self.okComputer)
            let answeredAt = try #require(limited.requests.withLock { $0.last?.at })
            let until = try #require(await health.pausedUntil("limited"))
            let pause = until.timeIntervalSince(try #require(limited.requests.withLock { $0.last?.date }))
            #expect(pause > 9.5 && pause < 10.5, "paused for the 10 s it asked: \(pause)")
            #expect(first.candidates.count == 1, "the other indexer answered")
            guard case .rateLimited(let name, _)? = first.errors.first else { Issue.record("\(first.errors)"); return }
            #expect(name == "limited")
            let asked = limited.requests.withLock { $0.count }
            // More searches inside the window: none reaches it; the other indexer answers each. Only those that
            // ended inside the window count (a slow machine may reach its end before seven are done).
            var inside = 0
            for _ in 0..<7 where Date() < until {
                let again = await search.search(Self.okComputer)
                guard Date() < until else { break }
                inside += 1
                #expect(again.candidates.count == 1 && again.resumeAt != nil)
                #expect(limited.requests.withLock { $0.count } == asked, "no request inside the Retry-After window")
            }
            #expect(inside >= 1, "no search ended inside the 10 s window")
            // A restart reads the pause back.
            #expect(await IndexerHealth(path: dir.file("indexer-pauses.json")).pausedUntil("limited") != nil)
            // Once the window has passed (waiting for the pause itself to end), it is asked again.
            limited.rateLimit.withLock { $0 = nil }
            #expect(await eventually(within: 20) { await health.pausedUntil("limited") == nil })
            let after = await search.search(Self.okComputer)
            #expect(after.errors.isEmpty, "\(after.errors)")
            let next = try #require(limited.requests.withLock { $0.last?.at })
            #expect(next - answeredAt >= .seconds(10) - .milliseconds(500), "asked again only after the window: \(next - answeredAt)")
        }
    }

    @Test("every indexer paused: the ticket waits for the first to end without spending a retry; a failing tracker behind Jackett is in its history")
    func ticketHistory() async throws {
        let dir = TemporaryDirectory("indexer-history")
        let database = try AppDatabase.open(path: dir.file("db.sqlite"))
        let limited = CardigannTracker(id: "limited", name: "Limited", releases: [Self.album])
        limited.rateLimit.withLock { $0 = 30 }
        let jackett = CardigannTracker(releases: [Self.album] + CardigannTracker.latest)
        jackett.trackerError.withLock {
            $0 = "Jackett.Common.IndexerException: Exception (brokentracker): The cookies provided by FlareSolverr are not valid"
        }
        try await Self.serve([limited, jackett]) { base in
            // Only the paused indexer: the search stage asks the ticket to wait for it.
            let paused = IndexerSearchStage(search: CandidateSearch(indexers: [Self.torznab(base, limited)]))
            let throughJackett = IndexerSearchStage(search: CandidateSearch(indexers: [JackettClient(baseURL: base, apiKey: Self.apiKey)]))
            let stages = ScriptedStages(search: { ticket, query, context in
                try await (ticket.ticket.search.album == "OK Computer" ? throughJackett : paused).search(ticket, query: query, context: context)
            })
            let orchestrator = Orchestrator(
                database: database, stages: stages.pipeline, settings: PipelineSettings(checkInterval: 0.1, retry: RetryPolicy(maxAttempts: 3)),
                logger: Logger(label: "indexer-history"))
            var waiting = Fixtures.ticket(id: "waits", root: dir.file("media"))
            waiting.search.album = "Kid A"
            let found = Fixtures.ticket(id: "found", root: dir.file("media"))
            try await withRunning([orchestrator]) {
                _ = try await orchestrator.submit(waiting, submittedJSON: Fixtures.json(waiting))
                _ = try await orchestrator.submit(found, submittedJSON: Fixtures.json(found))
                #expect(try await eventually(within: 20) { try await database.ticket(id: "found")?.state.name == .completed })
                #expect(try await eventually(within: 20) { try await database.ticket(id: "waits")?.waitUntil != nil })
            }
            let stored = try #require(try await database.ticket(id: "waits"))
            #expect(stored.state.name == .pending && stored.retryCount == 0, "\(stored.state.name) after \(stored.retryCount) retries")
            let asked = try #require(limited.requests.withLock { $0.last?.date })
            let wait = try #require(stored.waitUntil).timeIntervalSince(asked)
            #expect(wait > 29 && wait < 31, "waits for the indexer's 30 s from its answer, not the retry backoff: \(wait)")
            #expect(stored.errorHistory.last?.code == "indexer_rate_limited")

            let events = try await database.events(ticketId: "found")
            let report = try #require(events.first { $0.type == .searchReport })
            let text = String(describing: report.payload)
            #expect(text.contains("jackett/BrokenTracker") && text.contains("FlareSolverr"), "\(text)")
        }
    }

    @Test("the health checks name a failing tracker behind Jackett and a paused indexer")
    func healthChecks() async throws {
        let limited = CardigannTracker(id: "limited", name: "Limited", releases: [Self.album])
        let jackett = CardigannTracker(releases: [Self.album])
        jackett.trackerError.withLock { $0 = "Jackett.Common.IndexerException: Exception (brokentracker): Login failed" }
        try await Self.serve([limited, jackett]) { base in
            var config = AppConfig()
            config.jackett.url = base
            config.jackett.apiKey = Self.apiKey
            config.torznab.indexers = [
                AppConfig.TorznabIndexer(url: "\(base)/api/v2.0/indexers/limited/results/torznab/api", apiKey: Self.apiKey, name: "limited")
            ]
            let health = IndexerHealth()
            await health.record("limited", failures: [.rateLimited(indexer: "limited", until: Date().addingTimeInterval(60))])
            let checks = await HealthChecks.run(config, listenPort: false, indexers: health).filter { $0.check == "indexer" }
            let broken = try #require(checks.first { $0.subject == "jackett/BrokenTracker" }, "\(checks)")
            #expect(broken.status == .warning && broken.message.contains("Login failed"))
            let paused = try #require(checks.first { $0.subject == "limited" }, "\(checks)")
            #expect(paused.status == .warning && paused.message.contains("paused until"))
            #expect(limited.searches.isEmpty, "a paused indexer is not asked by the health check either")
            #expect(checks.first { $0.subject == "jackett" }?.status == .ok)
        }
    }
}

/// The RSS sync shares the searches' record of pauses.
@Suite("RSS sync and indexer pauses")
struct RSSPauseTests {
    @Test("a paused indexer's feed is not read; a 429 met by the sync pauses the indexer for the searches too")
    func pausedFeeds() async throws {
        let dir = TemporaryDirectory("rss-pause")
        let database = try AppDatabase.open(path: dir.file("db.sqlite"))
        let paused = CardigannTracker(id: "paused", name: "Paused", releases: CardigannTracker.latest)
        let limiting = CardigannTracker(id: "limiting", name: "Limiting", releases: CardigannTracker.latest)
        limiting.rateLimit.withLock { $0 = 120 }
        try await IndexerBehaviourTests.serve([paused, limiting]) { base in
            let health = IndexerHealth()
            await health.record("paused", failures: [.rateLimited(indexer: "paused", until: Date().addingTimeInterval(600))])
            let orchestrator = Orchestrator(
                database: database, stages: ScriptedStages().pipeline, settings: PipelineSettings(), logger: Logger(label: "rss-pause"))
            let rss = RSSSync(
                indexers: [IndexerBehaviourTests.torznab(base, paused), IndexerBehaviourTests.torznab(base, limiting)], database: database,
                orchestrator: orchestrator, interval: .seconds(3600), health: health)
            let round = await rss.syncOnce()
            #expect(paused.requests.withLock { $0.isEmpty }, "not read while paused: \(paused.searches)")
            #expect(round.failures.contains { $0.contains("paused paused until") }, "\(round.failures)")
            #expect(await health.pausedUntil("limiting") != nil, "the sync's 429 pauses the indexer for every search")
        }
    }
}
