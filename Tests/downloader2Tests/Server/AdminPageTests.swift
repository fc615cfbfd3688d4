import Foundation
import Hummingbird
import Logging
import Pipeline
import HummingbirdTesting
import Storage
import Testing
import Torrent
import Tickets
import Server

/// The admin page in a real headless browser (Debian's chromium through chromedriver), against the
/// production server on a loopback port with a seeded database. Screenshots of each view go to
/// `.build/admin-screenshots/`.
@Suite("Admin page in a real browser", .system)
struct AdminPageTests {
    static let screenshots: String = {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../../.build/admin-screenshots")
            .standardized.path
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }()

    @Test("sign in, see a ticket waiting for approval, approve candidate 2, and see a state change pushed by the server arrive live")
    func approveInBrowser() async throws {
        let harness = try APIHarness()
        let waiting = Fixtures.ticket(id: "ui-approve", root: harness.mediaRoot)
        try await harness.database.storeTicket(waiting, in: .needsApproval)
        var broken = Fixtures.ticket(id: "ui-failed", root: harness.mediaRoot)
        broken.search.album = "Kid A"
        try await harness.database.storeTicket(broken, in: .searching)
        _ = try await harness.database.updateTicket(id: "ui-failed") { _ in
            TicketUpdate(
                state: .failed(
                    .init(
                        failedAtState: .downloading, code: "stalled", error: "no data and no seed for too long (0 seeds, 0 peers)",
                        retryable: true, retryCount: 3, failedAt: Date())))
        }
        try await Self.inBrowser(harness) { browser, page in
            // The page asks for the token; a wrong one is refused with a message
            let field = try await browser.wait(for: "#token")
            try await browser.screenshot(to: Self.screenshots + "/1-sign-in.png")
            try await browser.type("wrong-token", into: field)
            try await browser.click("#login-form button[type=submit]")
            _ = try await browser.wait(for: "#login-error", containing: "not valid")

            // With the right token: the queue, newest first, coloured by state, counts per state, live
            try await browser.clear(field)
            try await browser.type(APIHarness.token, into: field)
            try await browser.click("#login-form button[type=submit]")
            _ = try await browser.wait(for: "tr[data-ticket=\"ui-approve\"]", containing: "needs approval")
            _ = try await browser.wait(for: "tr[data-ticket=\"ui-failed\"] .s-failed")
            _ = try await browser.wait(for: "#counts .s-needs_approval", containing: "1")
            _ = try await browser.wait(for: "#live", containing: "live")
            // The health checks' problems show as a banner (this harness configures no indexer)
            _ = try await browser.wait(for: "#health", containing: "no indexer is configured")
            #expect(try await browser.script("return sessionStorage.getItem('downloader2.token')") == .string(APIHarness.token))
            #expect(try await browser.script("return location.href") == .string(page), "the token never goes into the URL")
            try await browser.screenshot(to: Self.screenshots + "/2-queue.png")

            // A failed ticket explains itself in plain words
            try await browser.click("tr[data-ticket=\"ui-failed\"]")
            _ = try await browser.wait(for: "#detail-hint .hint", containing: "no seeders")
            try await browser.screenshot(to: Self.screenshots + "/3-failed-ticket.png")
            try await browser.click("#back")

            // The waiting ticket: both candidates ranked, with score, reasons and the track ↔ file mapping
            try await browser.click("tr[data-ticket=\"ui-approve\"]")
            _ = try await browser.wait(for: ".candidate[data-idx=\"1\"]", containing: "score 0.600")
            #expect(try await browser.all(".candidate").count == 2)
            _ = try await browser.wait(for: "#detail-state", containing: "needs approval")
            try await browser.screenshot(to: Self.screenshots + "/4-needs-approval.png")

            // Approve candidate 2
            try await browser.click(".candidate[data-idx=\"1\"] button.primary", containing: "Approve #2")
            _ = try await browser.wait(for: "#detail-state", containing: "approved")
            let approved = try await harness.database.ticket(id: "ui-approve")
            #expect(approved?.approval?.selectedCandidate == Fixtures.scored(1, score: 0.6))

            // A change made on the server (not by this page) arrives over the WebSocket
            _ = try await harness.orchestrator.cancel("ui-approve")
            _ = try await browser.wait(for: "#detail-state", containing: "cancelled")
            try await browser.screenshot(to: Self.screenshots + "/5-after-live-change.png")

            // Readable at phone width
            try await browser.setWindow(width: 390, height: 844)
            try await browser.click("#back")
            _ = try await browser.wait(for: "tr[data-ticket=\"ui-approve\"]", containing: "cancelled")
            try await browser.screenshot(to: Self.screenshots + "/6-queue-phone.png")
            print("admin page screenshots: \(Self.screenshots)")
        }
    }

    @Test(
        "a ticket's Search panel lists each indexer's answer and error and the scored releases; one is approved from there; a paused indexer shows in the banner"
    )
    func searchInBrowser() async throws {
        try await IndexerBehaviourTests.serve(SearchAPITests.trackers()) { base in
            let harness = try SearchAPITests.harness(base)
            await harness.indexerHealth.record(
                "tonetracker", failures: [.rateLimited(indexer: "tonetracker", until: Date().addingTimeInterval(3600))])
            try await harness.database.storeTicket(Fixtures.ticket(id: "ui-search", root: harness.mediaRoot), in: .needsApproval)
            try await Self.inBrowser(harness) { browser, _ in
                let field = try await browser.wait(for: "#token")
                try await browser.type(APIHarness.token, into: field)
                try await browser.click("#login-form button[type=submit]")
                _ = try await browser.wait(for: "#health", containing: "paused until")
                try await browser.click("tr[data-ticket=\"ui-search\"]")
                _ = try await browser.wait(for: "#search-panel h3", containing: "Search indexers")
                try await browser.click("#search-form button[type=submit]")
                _ = try await browser.wait(for: ".indexer-report[data-indexer=\"jackett\"]", containing: "1 release(s)")
                _ = try await browser.wait(for: ".indexer-report[data-indexer=\"jackett\"] .hint", containing: "jackett/BrokenTracker")
                _ = try await browser.wait(for: ".indexer-report[data-indexer=\"tonetracker\"] .hint", containing: "rate limited")
                _ = try await browser.wait(for: ".search-release[data-idx=\"0\"]", containing: "freeleech")
                _ = try await browser.script("document.getElementById('search-indexers').scrollIntoView(); return null")
                try await browser.screenshot(to: Self.screenshots + "/9-search.png")
                try await browser.click(".search-release[data-idx=\"0\"] button.primary", containing: "Approve this release")
                _ = try await browser.wait(for: "#detail-state", containing: "approved")
                let approved = try await harness.database.ticket(id: "ui-search")
                #expect(approved?.approval?.selectedCandidate?.torrent.infoHash == IndexerBehaviourTests.album.infoHash)
            }
        }
    }

    @Test("a ticket's verification report with the spectrogram of a fake, and the blocklist with its remove button")
    func verificationAndBlocklistInBrowser() async throws {
        let harness = try APIHarness()
        // A fake-lossless file where a verification report says it is
        let folder = harness.dir.file("dl/Sine Waves")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let mp3 = harness.dir.file("fake.mp3")
        try ExternalTool.run(
            "ffmpeg", ["-v", "error", "-f", "lavfi", "-i", "anoisesrc=color=white:amplitude=0.4:r=44100", "-t", "3", "-b:a", "128k", mp3])
        try ExternalTool.run("ffmpeg", ["-v", "error", "-i", mp3, "-c:a", "flac", "\(folder)/01 - First.flac"])
        let hash = String(repeating: "ef", count: 20)
        let ticket = Fixtures.ticket(id: "ui-verify", root: harness.mediaRoot)
        try await harness.database.storeTicket(ticket, in: .downloading)
        _ = try await harness.database.recordEvent(
            ticketId: "ui-verify", type: .verified,
            payload: .object([
                "accepted": .bool(false), "verdict": .string("transcode"), "info_hash": .string(hash), "title": .string("Sine Waves [FLAC]"),
                "directory": .string(harness.dir.file("dl")),
                "problems": .array([.string("fake lossless: 1 of 1 lossless files are lossy transcodes (cutoff at 16000 Hz)")]),
                "rip_logs": .array([.string("rip.log: EAC V1.0 beta log, secure mode, AccurateRip 1/1 tracks, no errors")]),
                "files": .array([
                    .object([
                        "path": .string("Sine Waves/01 - First.flac"), "codec": .string("flac"), "sample_rate": .number(44100),
                        "bits_per_sample": .number(16),
                        "duration_secs": .number(3), "verdict": .string("transcode"), "cutoff_hz": .number(16000), "drop_db": .number(55),
                    ])
                ]),
            ]), whileIn: .downloading)
        try await harness.database.addToBlocklist(
            BlocklistEntry(infoHash: hash, title: "Sine Waves [FLAC]", reason: "fake lossless", album: "Sine Waves", source: "verification"))
        try await Self.inBrowser(harness) { browser, _ in
            let field = try await browser.wait(for: "#token")
            try await browser.type(APIHarness.token, into: field)
            try await browser.click("#login-form button[type=submit]")
            _ = try await browser.wait(for: "tr[data-ticket=\"ui-verify\"]")

            // The ticket shows what verification found, and draws the fake's spectrogram on demand
            try await browser.click("tr[data-ticket=\"ui-verify\"]")
            _ = try await browser.wait(for: ".verification h3", containing: "refused · transcode")
            _ = try await browser.wait(for: ".verification", containing: "cutoff 16000 Hz")
            _ = try await browser.wait(for: ".verification", containing: "AccurateRip 1/1")
            try await browser.click("button.spectrogram")
            _ = try await browser.wait(for: "img[alt^=\"Spectrogram\"]")
            #expect(
                try await browser.script("return document.querySelector('img[alt^=\"Spectrogram\"]').naturalWidth") == .number(640),
                "a decoded 640-pixel PNG")
            try await browser.screenshot(to: Self.screenshots + "/7-verification.png")

            // The blocklist, and its remove button
            try await browser.click("#blocklist-link")
            _ = try await browser.wait(for: "tr[data-hash=\"\(hash)\"]", containing: "fake lossless")
            try await browser.screenshot(to: Self.screenshots + "/8-blocklist.png")
            try await browser.click("tr[data-hash=\"\(hash)\"] button.danger", containing: "Remove")
            _ = try await browser.wait(for: "#blocklist-result", containing: "Removed")
            #expect(try await harness.database.blocklist().isEmpty)
        }
    }

    @Test("the Seeding view: a private torrent seeding towards its goal, with its ratio, seed time, goal and where the goal comes from")
    func seedingInBrowser() async throws {
        let harness = try APIHarness()
        let folder = try ReleaseFixture.write(in: harness.dir.file("dl"), name: "Seeded Album", files: [("01.flac", 200_000)])
        let torrent = try TorrentCreator.create(from: folder, pieceSize: 32768, kind: .v1Only, isPrivate: true)
        let engine = try TorrentSession(settings: .loopback())
        try await withRunning([engine]) {
            let hash = try await engine.add(
                torrentFile: torrent, savePath: harness.dir.file("dl"), seedMode: true,
                seeding: SeedingPolicy(timeLimitSecs: 259_200, source: "indexer RED: override in its entry"))
            _ = try await engine.waitUntilComplete(hash)
            var dependencies = harness.dependencies
            let database = harness.database
            dependencies.seeding = SeedingSource { await SeedingOverview.entries(torrents: engine, database: database) }
            try await Self.inBrowser(dependencies, logDirectory: harness.dir.path) { browser, _ in
                let field = try await browser.wait(for: "#token")
                try await browser.type(APIHarness.token, into: field)
                try await browser.click("#login-form button[type=submit]")
                _ = try await browser.wait(for: "#queue:not([hidden])")
                try await browser.click("#seeding-link")
                let row = "tr[data-hash=\"\(hash)\"]"
                _ = try await browser.wait(for: row, containing: "Seeded Album")
                _ = try await browser.wait(for: row, containing: "private")
                _ = try await browser.wait(for: row, containing: "72 h 0 min")
                _ = try await browser.wait(for: row, containing: "to go")
                _ = try await browser.wait(for: "\(row) .badge.private", containing: "private")
                _ = try await browser.wait(for: row, containing: "indexer RED: override in its entry")
                _ = try await browser.wait(for: "#seeding-summary", containing: "1 torrent(s)")
                #expect(try await browser.script("return document.querySelector('\(row) progress') !== null") == .bool(true))
                try await browser.screenshot(to: Self.screenshots + "/9-seeding.png")
            }
        }
    }

    @Test("several nodes on PostgreSQL: node A's page shows, live, a ticket node B stores and cancels, and an approval made on A's page reaches B")
    func sharedStoreInBrowser() async throws {
        let dir = TemporaryDirectory("downloader2-admin-pg")
        try await StoreOpener.with(.postgres) { opener in
            let a = try await opener.openPostgres(node: "node-a")
            let b = try await opener.openPostgres(node: "node-b")
            let logger = Logger(label: "test")
            let orchestratorA = Orchestrator(database: a, stages: ScriptedStages().pipeline, settings: PipelineSettings(), logger: logger)
            let orchestratorB = Orchestrator(database: b, stages: ScriptedStages().pipeline, settings: PipelineSettings(), logger: logger)
            // Node A's server, with other nodes' events relayed to its WebSocket as `serve` does.
            let remoteEvents = EventBus()
            let membership = Task {
                try? await ClusterMembership(store: a, orchestrator: orchestratorA, remoteEvents: remoteEvents, logger: logger).run()
            }
            defer { membership.cancel() }
            var config = AppConfig()
            config.server.authToken = APIHarness.token
            config.server.host = "127.0.0.1"
            config.server.port = 0
            config.placer.mediaRoots = [dir.file("media")]
            let nodeA = ServerDependencies(
                config: config, database: a, orchestrator: orchestratorA, authToken: APIHarness.token, logger: logger,
                remoteEvents: remoteEvents, cluster: a)
            try await Self.inBrowser(nodeA, logDirectory: dir.path) { browser, _ in
                let field = try await browser.wait(for: "#token")
                try await browser.type(APIHarness.token, into: field)
                try await browser.click("#login-form button[type=submit]")
                _ = try await browser.wait(for: "#live", containing: "live")

                // Node B stores a ticket that waits for approval: it appears on node A's page without a reload.
                try await b.storeTicket(Fixtures.ticket(id: "from-b", root: dir.file("media")), in: .needsApproval)
                _ = try await browser.wait(for: "tr[data-ticket=\"from-b\"]", containing: "needs approval")
                try await browser.screenshot(to: Self.screenshots + "/9-shared-store-queue.png")

                // Approved on node A's page: the shared database has the choice, as node B reads it.
                try await browser.click("tr[data-ticket=\"from-b\"]")
                try await browser.click(".candidate[data-idx=\"1\"] button.primary", containing: "Approve #2")
                _ = try await browser.wait(for: "#detail-state", containing: "approved")
                #expect(try await b.ticket(id: "from-b")?.approval?.selectedCandidate == Fixtures.scored(1, score: 0.6))

                // Cancelled on node B: node A's page shows it live.
                _ = try await orchestratorB.cancel("from-b")
                _ = try await browser.wait(for: "#detail-state", containing: "cancelled")
            }
        }
    }

    /// The production server on a loopback port and a headless chromium (through chromedriver) on its page.
    static func inBrowser(_ harness: APIHarness, _ body: @escaping @Sendable (WebDriver, String) async throws -> Void) async throws {
        try await inBrowser(harness.dependencies, logDirectory: harness.dir.path, body)
    }

    static func inBrowser(
        _ dependencies: ServerDependencies, logDirectory: String, _ body: @escaping @Sendable (WebDriver, String) async throws -> Void
    ) async throws {
        let driverPort = try freeLoopbackPort()
        let driver = try ExternalProcess("chromedriver", ["--port=\(driverPort)"], logDirectory: logDirectory)
        defer { driver.stop() }
        #expect(await eventually(within: 20) { driver.log.contains("started successfully") }, "chromedriver started: \(driver.log)")
        let app = buildApplication(dependencies)
        try await app.test(.live) { client in
            let browser = try await WebDriver.start(driverPort: driverPort)
            defer { browser.quit() }
            let page = "http://127.0.0.1:\(client.port!)/"
            try await browser.open(page)
            try await body(browser, page)
        }
    }
}
