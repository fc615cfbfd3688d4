import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Pipeline
import Search
import Storage
import Synchronization
import Testing
import Tickets

/// The RSS sync: one read of each indexer's recent-release feed serves every wanted ticket, and a new
/// item that looks like one sends it to search at once, long before its scheduled search.
@Suite("RSS sync: wanted albums picked up when they appear")
struct RSSSyncTests {
    /// A Torznab indexer that lists "Portishead - Dummy" only once `listed` is set; its feed always
    /// carries another album of the same artist. Logs every call as `caps`, `rss` or `search:<artist>|<album>`.
    final class Indexer: Sendable {
        let listed = Atomic(false)
        let calls = Mutex<[String]>([])
        static let dummyHash = String(repeating: "5e", count: 20)
        static let thirdHash = String(repeating: "6f", count: 20)

        var log: [String] { calls.withLock { $0 } }

        func items(artist: String?) -> String {
            var items: [(title: String, hash: String, seeders: Int)] = [("Portishead - Third (2008) [FLAC]", Self.thirdHash, 4)]
            if listed.load(ordering: .acquiring), artist == nil || artist == "Portishead" {
                items.append(("Portishead-Dummy-CD-FLAC-1994-GRP", Self.dummyHash, 11))
            }
            if artist != nil, artist != "Portishead" { items = [] }
            return FixtureIndexer.torznabItems(items)
        }

        var router: Router<BasicRequestContext> {
            let router = Router()
            router.get("api") { request, _ -> Response in
                let p = request.uri.queryParameters
                let body: String
                switch p.get("t") {
                case "caps":
                    self.calls.withLock { $0.append("caps") }
                    body =
                        #"<?xml version="1.0"?><caps><searching><music-search available="yes" supportedParams="q,artist,album"/></searching></caps>"#
                case "music":
                    self.calls.withLock { $0.append("search:\(p.get("artist") ?? "")|\(p.get("album") ?? "")") }
                    body = self.items(artist: p.get("artist"))
                default:
                    // The recent-release feed: no query, music categories.
                    let q = p.get("q") ?? ""
                    self.calls.withLock { $0.append(q.isEmpty ? "rss:\(p.get("cat") ?? "")" : "search:\(q)") }
                    body = q.isEmpty ? self.items(artist: nil) : FixtureIndexer.torznabItems([])
                }
                return Response(status: .ok, headers: [.contentType: "application/rss+xml"], body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
            }
            router.get("broken/api") { _, _ -> Response in
                Response(status: .internalServerError, body: ResponseBody(byteBuffer: ByteBuffer(string: "indexer down")))
            }
            return router
        }
    }

    func ticket(_ id: String, artist: String, album: String, root: String) -> Ticket {
        var ticket = Fixtures.ticket(id: id, root: root)
        ticket.search = TicketSearch(artist: artist, album: album)
        return ticket
    }

    @Test(
        "a release listed later is found by the feed, not by a scheduled search, and completes; other wanted tickets and a failing feed are untouched"
    )
    func pickedUpFromTheFeed() async throws {
        let dir = TemporaryDirectory("rss")
        let database = try AppDatabase.open(path: dir.file("db.sqlite"))
        let indexer = Indexer()
        let app = Application(router: indexer.router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live) { client in
            let base = "http://127.0.0.1:\(client.port!)"
            let torznab = TorznabClient(name: "fixture", baseURL: "\(base)/api", apiKey: "rss-key")
            let broken = TorznabClient(name: "broken", baseURL: "\(base)/broken/api", apiKey: "rss-key")
            // The search stage asks the fixture for real; matching takes the first candidate.
            let stages = ScriptedStages(search: { ticket, _, _ in
                try await torznab.search(
                    IndexerQuery(
                        text: "\(ticket.ticket.search.artist) \(ticket.ticket.search.album)", artist: ticket.ticket.search.artist,
                        album: ticket.ticket.search.album)
                ).candidates
                    .filter {
                        ReleaseTitleParser.parse($0.title, artist: ticket.ticket.search.artist, album: ticket.ticket.search.album).agreement == 1
                    }
            })
            // The next scheduled search is an hour away: only the feed can bring the album in time.
            let orchestrator = Orchestrator(
                database: database, stages: stages.pipeline,
                settings: PipelineSettings(
                    checkInterval: 0.1, retry: RetryPolicy(maxAttempts: 0), wanted: WantedPolicy(intervals: [3600], giveUpAfter: 86_400)),
                logger: Logger(label: "rss"))
            let rss = RSSSync(indexers: [broken, torznab], database: database, orchestrator: orchestrator, interval: .milliseconds(200))
            try await withRunning([orchestrator, rss]) {
                for (id, artist, album) in [("dummy", "Portishead", "Dummy"), ("mezzanine", "Massive Attack", "Mezzanine")] {
                    let t = ticket(id, artist: artist, album: album, root: dir.file("media/\(id)"))
                    _ = try await orchestrator.submit(t, submittedJSON: Fixtures.json(t))
                }
                #expect(
                    try await eventually(within: 20) {
                        let dummy = try await database.ticket(id: "dummy")?.state.name
                        let mezzanine = try await database.ticket(id: "mezzanine")?.state.name
                        return dummy == .wanted && mezzanine == .wanted
                    })
                // Feed rounds while the album is not listed: the same artist's other album sends nothing to search.
                let readsBefore = indexer.log.filter { $0.hasPrefix("rss") }.count
                #expect(await eventually(within: 10) { indexer.log.filter { $0.hasPrefix("rss") }.count >= readsBefore + 2 })
                #expect(try await database.ticket(id: "dummy")?.state.name == .wanted)
                let failures = try #require(rss.last?.failures)
                #expect(failures.count == 1 && failures[0].contains("broken"), "the failing feed is reported: \(failures)")

                indexer.listed.store(true, ordering: .releasing)
                #expect(try await eventually(within: 20) { try await database.ticket(id: "dummy")?.state.name == .completed })
            }
        }
        let log = indexer.log
        #expect(log.filter { $0.hasPrefix("rss") }.allSatisfy { $0 == "rss:3000" }, "the feed is read in the music categories: \(log)")
        #expect(log.filter { $0 == "search:Portishead|Dummy" }.count == 2, "one scheduled search, one sent by the feed: \(log)")
        #expect(log.filter { $0 == "search:Massive Attack|Mezzanine" }.count == 1, "the other wanted ticket was not searched again: \(log)")
        // The feed read that saw the album came before the search it caused.
        let firstListedSearch = try #require(log.lastIndex(of: "search:Portishead|Dummy"))
        #expect(log[..<firstListedSearch].contains { $0.hasPrefix("rss") })

        let events = try await database.events(ticketId: "dummy")
        let matches = events.filter { $0.type == .rssMatch }
        #expect(matches.count == 1, "\(events.map(\.type))")
        #expect(matches.first?.payload["title"]?.stringValue == "Portishead-Dummy-CD-FLAC-1994-GRP")
        #expect(matches.first?.payload["info_hash"]?.stringValue == Indexer.dummyHash)
        guard case .completed = try await database.ticket(id: "dummy")?.state else { Issue.record("not completed"); return }
        #expect(try await database.ticket(id: "mezzanine")?.state.name == .wanted)
        #expect(try await database.events(ticketId: "mezzanine").allSatisfy { $0.type != .rssMatch })
    }

    @Test("likely matches: the artist and most of the album's words, hyphenated scene artists included")
    func matching() {
        #expect(WantedMatch.reading("Portishead-Dummy-CD-FLAC-1994-GRP", artist: "Portishead", album: "Dummy") != nil)
        #expect(WantedMatch.reading("T-Pain-Rappa_Ternt_Sanga-CD-FLAC-2005-PERFECT", artist: "T-Pain", album: "Rappa Ternt Sanga") != nil)
        #expect(WantedMatch.reading("Massive Attack - Mezzanine (Deluxe) [2019] [FLAC]", artist: "Massive Attack", album: "Mezzanine") != nil)
        #expect(WantedMatch.reading("Portishead - Third (2008) [FLAC]", artist: "Portishead", album: "Dummy") == nil, "another album of the artist")
        #expect(WantedMatch.reading("Various Artists - Dummy Hits (2001)", artist: "Portishead", album: "Dummy") == nil, "another artist")
        #expect(WantedMatch.reading("Low - Things We Lost in the Fire (2001)", artist: "Lowlands", album: "Things We Lost in the Fire") == nil)
    }

    @Test("items already seen are remembered up to the bound, the oldest forgotten first")
    func seenIsBounded() {
        let seen = SeenReleases(capacity: 3)
        #expect(["a", "b", "c"].allSatisfy { seen.insert($0) })
        #expect(!seen.insert("a"), "a is remembered")
        #expect(seen.insert("d"))
        #expect(seen.count == 3)
        #expect(seen.insert("a"), "a was the oldest and is forgotten")
        for n in 0..<1000 { _ = seen.insert("k\(n)") }
        #expect(seen.count == 3)
        #expect(!seen.insert("k999") && seen.insert("k0"))
    }
}
