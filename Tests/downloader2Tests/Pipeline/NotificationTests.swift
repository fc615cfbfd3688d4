import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Pipeline
import Server
import Storage
import Synchronization
import Testing
import Tickets

/// `[[notify]]`: webhook receivers and a Subsonic server on loopback get exactly the calls they should,
/// signed and authenticated as their own tools check it; a failing receiver is retried and never
/// touches the ticket.
@Suite("Notifications: webhooks and Subsonic scans")
struct NotificationTests {
    struct Call: Sendable {
        var path: String
        var query: String
        var headers: [String: String]
        var body: Data
        var at: Date
    }

    /// A loopback server that records every request and answers with `status(n)` for the n-th (0-based).
    final class Receiver: Sendable {
        let calls = Mutex<[Call]>([])
        let status: @Sendable (Int) -> HTTPResponse.Status
        let answer: @Sendable (String) -> String

        init(status: @escaping @Sendable (Int) -> HTTPResponse.Status = { _ in .ok }, answer: @escaping @Sendable (String) -> String = { _ in "{}" })
        {
            self.status = status
            self.answer = answer
        }

        var router: Router<BasicRequestContext> {
            let router = Router()
            let handler: @Sendable (Request, BasicRequestContext) async throws -> Response = { request, _ in
                var request = request
                let body = Data(buffer: try await request.collectBody(upTo: 1 << 20))
                var headers: [String: String] = [:]
                for field in request.headers { headers[field.name.canonicalName] = field.value }
                let index = self.calls.withLock { calls in
                    calls.append(Call(path: request.uri.path, query: request.uri.query ?? "", headers: headers, body: body, at: Date()))
                    return calls.count - 1
                }
                return Response(
                    status: self.status(index), headers: [.contentType: "application/json"],
                    body: ResponseBody(byteBuffer: ByteBuffer(string: self.answer(request.uri.path))))
            }
            router.post("hook", use: handler)
            router.get("rest/startScan", use: handler)
            return router
        }

        var recorded: [Call] { calls.withLock { $0 } }
    }

    static let subsonicOK = #"{"subsonic-response":{"status":"ok","version":"1.16.1","scanStatus":{"scanning":true,"count":0}}}"#

    @Test(
        "completed, failed and needs_approval reach the webhooks that asked for them, signed; a 500 is retried; Subsonic scans once per interval",
        .system)
    func notifies() async throws {
        let dir = TemporaryDirectory("notify")
        let database = try AppDatabase.open(path: dir.file("db.sqlite"))
        let hooks = Receiver()
        let flaky = Receiver(status: { $0 == 0 ? .internalServerError : .ok })
        let subsonic = Receiver(answer: { _ in Self.subsonicOK })
        let apps = [hooks, flaky, subsonic].map { Application(router: $0.router, configuration: .init(address: .hostname("127.0.0.1", port: 0))) }
        try await apps[0].test(.live) { hookClient in
            try await apps[1].test(.live) { flakyClient in
                try await apps[2].test(.live) { subsonicClient in
                    // Given three targets, read from TOML like the service does
                    let toml = """
                        [[notify]]
                        type = "webhook"
                        url = "http://127.0.0.1:\(hookClient.port!)/hook"
                        secret = "s3cret-hmac-key"
                        [[notify]]
                        type = "webhook"
                        url = "http://127.0.0.1:\(flakyClient.port!)/hook"
                        events = ["completed"]
                        [[notify]]
                        type = "subsonic"
                        url = "http://127.0.0.1:\(subsonicClient.port!)"
                        username = "navidrome-user"
                        password = "sesame-open"
                        scan_interval_secs = 2
                        """
                    try toml.write(toFile: dir.file("config.toml"), atomically: true, encoding: .utf8)
                    let config = try AppConfig.load(path: dir.file("config.toml"), environment: [:]).config
                    #expect(config.notify.map(\.kind) == [.webhook, .webhook, .subsonic])

                    // and a pipeline whose second ticket fails in the download and third waits for a person
                    let stages = ScriptedStages(
                        match: { ticket, candidates, _ in
                            if ticket.id == "n-wait" {
                                return .needsApproval(
                                    .init(
                                        candidates: [ScoredCandidate(torrent: candidates[0], score: 0.5, trackMapping: [], reasoning: "scripted")],
                                        recommendedIdx: 0, confidence: 0.5, reason: .lowConfidence(score: 0.5, threshold: 0.85), waitingSince: Date())
                                )
                            }
                            return .autoApproved(
                                ScoredCandidate(torrent: candidates[0], score: 0.95, trackMapping: [], reasoning: "scripted"), confidence: 0.95)
                        },
                        download: { ticket, _, _ in
                            if ticket.id == "n-fail" { throw StageError(code: "stalled", message: "no seeds", retryable: false) }
                            return DownloadResult(directory: "/tmp", filesByTrackId: [:], totalBytes: 1000)
                        },
                        convert: { ticket, _, _ in
                            // What placement records, so the webhook can list the files with their SHA-256
                            for track in ticket.ticket.tracks {
                                try await database.recordDownloadFile(
                                    DownloadFileRecord(
                                        ticketId: ticket.id, path: track.destPath, size: 1234, type: "placed_track",
                                        sha256: String(repeating: "a", count: 64), verifiedAt: Date()))
                            }
                            return ScriptedStages.converted(ticket)
                        })
                    let orchestrator = Orchestrator(
                        database: database, stages: stages.pipeline,
                        settings: PipelineSettings(checkInterval: 0.2, retry: RetryPolicy(maxAttempts: 0)),
                        logger: Logger(label: "notify"))
                    let notifier = Notifier(targets: config.notify, database: database, events: orchestrator.events, backoff: { _ in 0.2 })
                    try await withRunning([orchestrator, notifier]) {
                        // When one ticket completes, one fails and one waits for approval (a second completion soon after)
                        // (each its own album: a ticket for an album another one chose a release for would follow it)
                        for id in ["n-done", "n-fail", "n-wait"] {
                            var ticket = Fixtures.ticket(id: id, root: dir.file("media"))
                            ticket.search.album = "Album \(id)"
                            _ = try await orchestrator.submit(ticket, submittedJSON: Fixtures.json(ticket))
                            #expect(
                                try await eventually(within: 20) {
                                    let state = try await database.ticket(id: id)?.state.name
                                    return state == .completed || state == .failed || state == .needsApproval
                                })
                        }
                        var second = Fixtures.ticket(id: "n-done-2", root: dir.file("media"))
                        second.search.album = "Album n-done-2"
                        _ = try await orchestrator.submit(second, submittedJSON: Fixtures.json(second))
                        #expect(try await eventually(within: 20) { try await database.ticket(id: "n-done-2")?.state.name == .completed })

                        // Then every target got exactly its calls
                        #expect(
                            await eventually(within: 20) { hooks.recorded.count == 4 && flaky.recorded.count == 3 && subsonic.recorded.count == 2 },
                            "hooks \(hooks.recorded.count), flaky \(flaky.recorded.count), subsonic \(subsonic.recorded.count)")
                    }
                    // The signed webhook: four events, each verified with openssl's HMAC
                    let events = hooks.recorded.compactMap { (try? JSONValue(json: $0.body))?["event"]?.stringValue }
                    #expect(events.sorted() == ["completed", "completed", "failed", "needs_approval"])
                    for call in hooks.recorded {
                        let signature = call.headers["x-downloader2-signature"] ?? ""
                        let reference = try Self.opensslHMAC(key: "s3cret-hmac-key", body: call.body, in: dir)
                        #expect(signature == "sha256=" + reference, "\(signature)")
                        #expect(call.headers["content-type"] == "application/json")
                    }
                    let done = try #require(hooks.recorded.map { try JSONValue(json: $0.body) }.first { $0["ticket_id"]?.stringValue == "n-done" })
                    #expect(done["album"]?["artist"]?.stringValue == "Radiohead")
                    guard case .array(let files)? = done["files"] else { Issue.record("no files: \(done)"); return }
                    #expect(
                        files.count == Fixtures.ticket(id: "x", root: "/m").tracks.count
                            && files.allSatisfy { $0["sha256"]?.stringValue?.count == 64 })
                    let failed = try #require(hooks.recorded.map { try JSONValue(json: $0.body) }.first { $0["ticket_id"]?.stringValue == "n-fail" })
                    #expect(failed["error"]?["code"]?.stringValue == "stalled")

                    // The flaky one asked for completions only: 500 then 200 for the first (retried), 200 for the second
                    let flakyTickets = flaky.recorded.map { (try? JSONValue(json: $0.body))?["ticket_id"]?.stringValue ?? "" }
                    #expect(flakyTickets.first == "n-done" && flakyTickets.sorted() == ["n-done", "n-done", "n-done-2"], "\(flakyTickets)")
                    #expect(flaky.recorded.allSatisfy { $0.headers["x-downloader2-signature"] == nil }, "no secret, no signature")
                    #expect(try await database.ticket(id: "n-done")?.state.name == .completed, "the ticket is unaffected by a failing receiver")

                    // Subsonic: a scan per completion, the second held back to the end of the 2 s interval;
                    // token authentication (t = md5(password + salt), checked with Python's hashlib), no password sent
                    for call in subsonic.recorded {
                        let query = Dictionary(
                            uniqueKeysWithValues: (URLComponents(string: "http://x/?" + call.query)?.queryItems ?? []).map {
                                ($0.name, $0.value ?? "")
                            })
                        #expect(query["u"] == "navidrome-user" && query["c"] == "downloader2" && query["v"] == "1.16.1" && query["f"] == "json")
                        #expect(query["t"] == (try Self.md5("sesame-open" + (query["s"] ?? ""))), "\(call.query)")
                        #expect(query["p"] == nil && !call.query.contains("sesame"))
                    }
                    let scans = subsonic.recorded.map(\.at)
                    #expect(scans.count == 2 && scans[1].timeIntervalSince(scans[0]) >= 1.9, "scans at \(scans)")
                    let status = notifier.status()
                    #expect(status.allSatisfy { $0.status.lastError == nil || $0.status.lastSuccessAt != nil })
                    #expect(notifier.healthChecks().allSatisfy { $0.status == .ok }, "\(notifier.healthChecks())")
                }
            }
        }
    }

    @Test("a receiver that never answers 2xx: the attempts are spent, the ticket completes, the health checks warn; bad [[notify]] entries are named")
    func failingTarget() async throws {
        let dir = TemporaryDirectory("notify-down")
        let database = try AppDatabase.open(path: dir.file("db.sqlite"))
        let down = Receiver(status: { _ in .badGateway })
        let app = Application(router: down.router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live) { client in
            let target = NotifyTarget(kind: .webhook, url: "http://127.0.0.1:\(client.port!)/hook", attempts: 3)
            let orchestrator = Orchestrator(
                database: database, stages: ScriptedStages().pipeline, settings: PipelineSettings(checkInterval: 0.2), logger: Logger(label: "notify")
            )
            let notifier = Notifier(targets: [target], database: database, events: orchestrator.events, backoff: { _ in 0.1 })
            try await withRunning([orchestrator, notifier]) {
                let ticket = Fixtures.ticket(id: "n-down", root: dir.file("media"))
                _ = try await orchestrator.submit(ticket, submittedJSON: Fixtures.json(ticket))
                #expect(try await eventually(within: 20) { try await database.ticket(id: "n-down")?.state.name == .completed })
                #expect(await eventually(within: 20) { notifier.status().first?.status.failed == 1 })
            }
            #expect(down.recorded.count == 3, "three attempts, then given up")
            let check = try #require(notifier.healthChecks().first)
            #expect(check.status == .warning, "\(check)")
            #expect(check.message.contains("502"), "\(check.message)")
        }
        // Bad entries stop start-up naming the key
        for (toml, key) in [
            ("[[notify]]\ntype = \"email\"\nurl = \"http://x\"", "notify[0].type"),
            ("[[notify]]\ntype = \"webhook\"\nurl = \"ftp://x\"", "notify[0].url"),
            ("[[notify]]\ntype = \"webhook\"\nurl = \"http://x\"\nevents = [\"done\"]", "notify[0].events"),
            ("[[notify]]\ntype = \"subsonic\"\nurl = \"http://x\"", "notify[0].username"),
            ("[notify]\ntype = \"webhook\"", "notify"),
        ] {
            try toml.write(toFile: dir.file("bad.toml"), atomically: true, encoding: .utf8)
            do {
                _ = try AppConfig.load(path: dir.file("bad.toml"), environment: [:])
                Issue.record("accepted: \(toml)")
            } catch {
                #expect(error.key == key, "\(error)")
            }
        }
    }

    static func opensslHMAC(key: String, body: Data, in dir: TemporaryDirectory) throws -> String {
        let file = dir.file("body-\(UUID().uuidString)")
        try body.write(to: URL(fileURLWithPath: file))
        let output = try ExternalTool.run("openssl", ["dgst", "-sha256", "-hmac", key, "-r", file])
        return String(String(decoding: output.stdout, as: UTF8.self).split(separator: " ").first ?? "")
    }

    static func md5(_ text: String) throws -> String {
        let output = try ExternalTool.run("python3", ["-c", "import hashlib, sys; print(hashlib.md5(sys.argv[1].encode()).hexdigest())", text])
        return String(decoding: output.stdout, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}
