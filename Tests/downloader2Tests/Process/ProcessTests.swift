import Foundation
import Testing
import Tickets

/// The real `downloader2` binary, started and killed like an operator (or a power cut) would.
@Suite("The downloader2 process", .system)
struct ProcessTests {
    let dir = TemporaryDirectory("downloader2-proc")
    static let token = "process-test-token"

    /// `swift build --build-tests` puts the executable beside the test bundle.
    static var binary: String {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("downloader2").path
    }

    func environment(port: Int) -> [String: String] {
        var env = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("DOWNLOADER2_") }
        env["DOWNLOADER2_SERVER_HOST"] = "127.0.0.1"
        env["DOWNLOADER2_SERVER_PORT"] = "\(port)"
        env["DOWNLOADER2_SERVER_AUTH_TOKEN"] = Self.token
        env["DOWNLOADER2_DATABASE_PATH"] = dir.file("data/downloader2.db")
        env["DOWNLOADER2_PLACER_MEDIA_ROOTS"] = dir.file("media")
        env["DOWNLOADER2_TORRENT_ENABLE_DHT"] = "false"
        env["DOWNLOADER2_TORRENT_ENABLE_LSD"] = "false"
        env["DOWNLOADER2_TORRENT_ENABLE_UPNP"] = "false"
        env["DOWNLOADER2_TORRENT_ENABLE_NATPMP"] = "false"
        env["DOWNLOADER2_TORRENT_LISTEN_INTERFACES"] = "127.0.0.1:0"
        return env
    }

    func start(port: Int, arguments: [String] = ["serve"], environment extra: [String: String] = [:]) throws -> ServiceProcess {
        try ServiceProcess(
            arguments, environment: environment(port: port).merging(extra) { $1 }, log: dir.file("serve-\(port)-\(UUID().uuidString.prefix(4)).log"))
    }

    /// A server with the media root made, on a free port, once it answers `/health`.
    func startHealthy() async throws -> (process: ServiceProcess, http: LiveHTTP, port: Int) {
        try FileManager.default.createDirectory(atPath: dir.file("media"), withIntermediateDirectories: true)
        let port = try freeLoopbackPort()
        let process = try start(port: port)
        let http = LiveHTTP(port: port, token: Self.token)
        await process.waitUntilHealthy(http)
        return (process, http, port)
    }

    @Test("a ticket POSTed, the process killed with SIGKILL and restarted, is still there with its events")
    func survivesSIGKILL() async throws {
        try FileManager.default.createDirectory(atPath: dir.file("media"), withIntermediateDirectories: true)
        let port = try freeLoopbackPort()
        let http = LiveHTTP(port: port, token: Self.token)
        let first = try start(port: port)
        await first.waitUntilHealthy(http)
        let ticket = Fixtures.ticket(id: "survivor", root: dir.file("media"))
        let created = try await http.send("POST", "/api/v1/ticket", body: Fixtures.json(ticket))
        #expect(created.status == 201)
        let before = try await http.send("GET", "/api/v1/ticket/survivor/events")

        first.stop(SIGKILL)
        #expect(first.process.terminationReason == .uncaughtSignal && first.process.terminationStatus == SIGKILL)

        let second = try start(port: port)
        defer { second.stop(SIGKILL) }
        await second.waitUntilHealthy(http)
        let after = try await http.send("GET", "/api/v1/ticket/survivor")
        #expect(after.status == 200)
        #expect(after.json["ticket"]?["search"]?["album"] == .string("OK Computer"))
        guard case .array(let stored) = before.json["events"], case .array(let history) = after.json["history"] else {
            Issue.record("events missing: \(before.json) \(after.json)")
            return
        }
        #expect(!stored.isEmpty)
        #expect(Array(history.prefix(stored.count)) == stored, "every event acknowledged before the kill is still there")
    }

    @Test("a configured Torznab feed is searched and matched: unverifiable candidates wait for a person, ranked, with reasons")
    func searchThroughConfiguredFeed() async throws {
        try FileManager.default.createDirectory(atPath: dir.file("media"), withIntermediateDirectories: true)
        try await FixtureIndexer.serve { base, log in
            let port = try freeLoopbackPort()
            let process = try start(
                port: port,
                environment: [
                    "DOWNLOADER2_TORZNAB_FEEDS": "\(base)/torznab/api?apikey=\(FixtureIndexer.apiKey)",
                    "DOWNLOADER2_TORRENT_METADATA_TIMEOUT_SECS": "2",
                ])
            defer { process.stop(SIGKILL) }
            let http = LiveHTTP(port: port, token: Self.token)
            await process.waitUntilHealthy(http)
            let config = try await http.send("GET", "/api/v1/config")
            #expect(config.json["torznab"]?["feeds"] == .array([.string("\(base)/torznab/api?apikey=***")]))
            #expect(
                try await http.send("POST", "/api/v1/ticket", body: Fixtures.json(Fixtures.ticket(id: "feed-1", root: dir.file("media")))).status
                    == 201)
            // Without file lists nothing is verified: the matcher asks a person, with the candidates ranked.
            #expect(await eventually { (try? await http.send("GET", "/api/v1/ticket/feed-1").json["state"]) == .string("needs_approval") })
            let ticket = try await http.send("GET", "/api/v1/ticket/feed-1")
            let details = try #require(ticket.json["state_details"])
            #expect(details["reason"]?["kind"] == .string("no_exact_match"))
            guard case .array(let candidates) = details["candidates"] else { Issue.record("no candidates in \(details)"); return }
            #expect(candidates.count == 2)
            #expect(candidates.first?["torrent"]?["info_hash"] == .string(FixtureIndexer.okComputerHash))
            #expect(candidates.first?["torrent"]?["files_unavailable_reason"]?.stringValue?.contains(".torrent from") == true)
            #expect(candidates.first?["reasoning"]?.stringValue?.contains("no file list") == true)
            #expect(log.all.contains("music:Radiohead|OK Computer|1997"))
        }
    }

    @Test("SIGTERM shuts the service down gracefully with exit code 0")
    func gracefulShutdown() async throws {
        let port = try freeLoopbackPort()
        let process = try start(port: port)
        await process.waitUntilHealthy(LiveHTTP(port: port, token: nil))
        process.stop()
        #expect(process.process.terminationReason == .exit && process.process.terminationStatus == 0)
    }

    @Test("SIGTERM is heeded under a deep queue whose tickets each end at once (no indexer): the service exits 0 and leaves most of the queue")
    func shutdownUnderDeepQueue() async throws {
        // No indexer is configured: each claimed ticket fails at once, so a slot frees as soon as it fills.
        let (process, http, _) = try await startHealthy()
        defer { process.stop(SIGKILL) }
        #expect(try await http.send("POST", "/api/v1/pause").status == 200)
        let total = 1500
        let created = try await withThrowingTaskGroup(of: Int.self) { group in
            for lane in 0..<8 {
                group.addTask {
                    var created = 0
                    for n in stride(from: lane, to: total, by: 8) {
                        var ticket = Fixtures.ticket(id: "queued-\(n)", root: dir.file("media"))
                        ticket.search.album = "Album \(n)"
                        if try await http.send("POST", "/api/v1/ticket", body: Fixtures.json(ticket)).status == 201 { created += 1 }
                    }
                    return created
                }
            }
            return try await group.reduce(0, +)
        }
        #expect(created == total)
        func failures() -> Int { process.log.components(separatedBy: "failed in a stage").count - 1 }
        #expect(try await http.send("POST", "/api/v1/resume").status == 200)
        #expect(await eventually(within: 30) { failures() > 0 }, "the queue is being worked through: \(process.log.suffix(2000))")
        kill(process.pid, SIGTERM)
        let stopped = await eventually(within: 60) { !process.process.isRunning }
        #expect(stopped, "the service stopped within 60 s of SIGTERM")
        if stopped { #expect(process.process.terminationReason == .exit && process.process.terminationStatus == 0) }
        // The claim loop stops at the signal: most of the queue is left for the next start.
        #expect(failures() < total / 2, "\(failures()) of \(total) tickets were worked on; the claim loop stops at the signal")
    }

    @Test("a bad configuration value stops start-up with exit code 2 and names the key")
    func badConfigExitsWith2() throws {
        let result = try ExternalTool.outcome(
            Self.binary, ["serve"], environment: environment(port: 1).merging(["DOWNLOADER2_SERVER_PORT": "99999"]) { $1 })
        let message = result.stderr
        #expect(result.status == 2)
        #expect(message.contains("server.port") && message.contains("DOWNLOADER2_SERVER_PORT"))
    }

    @Test("submit and status talk to the running server; version names the native libraries")
    func cliCommands() async throws {
        let (server, _, port) = try await startHealthy()
        defer { server.stop(SIGKILL) }
        let file = dir.file("ticket.json")
        #expect(
            FileManager.default.createFile(atPath: file, contents: Data(Fixtures.json(Fixtures.ticket(id: "cli-1", root: dir.file("media"))).utf8)))
        let submitted = try run(["submit", file], port: port)
        #expect(submitted.status == 0 && submitted.output.contains("cli-1: created"))
        let status = try run(["status", "cli-1", "--json"], port: port)
        #expect(status.status == 0)
        #expect(try JSONValue(json: Data(status.output.utf8))["ticket_id"] == .string("cli-1"))
        let missing = try run(["status", "nope"], port: port)
        #expect(missing.status == 1 && missing.errors.contains("404"))
        let readable = try run(["release", "parse", "T-Pain-Rappa_Ternt_Sanga-CD-FLAC-2005-PERFECT"], port: port)
        #expect(
            readable.status == 0 && readable.output.contains("T-Pain / Rappa Ternt Sanga (2005)") && readable.output.contains("flac"),
            "\(readable.output)")
        let parsed = try run(
            ["release", "parse", "--json", "Radiohead - OK Computer (1997) [FLAC / Lossless / CD / Log (100%) / Cue]", "Burial-Untrue-2007-FTD"],
            port: port)
        let lines = parsed.output.split(separator: "\n").map { try? JSONValue(json: Data($0.utf8)) }
        #expect(parsed.status == 0 && lines.count == 2)
        #expect(lines.first??["artist"] == .string("Radiohead") && lines.first??["format"] == .string("flac"))
        #expect(lines.last??["scene_group"] == .string("FTD") && lines.last??["year"] == .number(2007))
        let candidates = [
            TorrentCandidate(
                title: "Radiohead - OK Computer (1997) [FLAC / Lossless / CD]", indexer: "i", infoHash: "aa", sizeBytes: 1, seeders: 9, leechers: 0,
                files: [
                    TorrentFileEntry(path: "OKC/01 - Airbag.flac", sizeBytes: 1),
                    TorrentFileEntry(path: "OKC/02 - Paranoid Android.flac", sizeBytes: 1),
                ]),
            TorrentCandidate(title: "Radiohead - OK Computer (1997) [FLAC]", indexer: "i", infoHash: "bb", sizeBytes: 1, seeders: 0, leechers: 0),
        ]
        let candidatesFile = dir.file("candidates.json")
        #expect(FileManager.default.createFile(atPath: candidatesFile, contents: try TicketJSON.encoder().encode(candidates)))
        let matched = try run(["match", file, candidatesFile, "--json"], port: port)
        #expect(matched.status == 0, "\(matched.errors)")
        let ranking = try JSONValue(json: Data(matched.output.utf8))
        #expect(ranking["decision"] == .string("auto_approved"), "\(ranking)")
        guard case .array(let ranked) = ranking["candidates"] else { Issue.record("no candidates"); return }
        #expect(ranked.first?["torrent"]?["info_hash"] == .string("aa") && ranked.last?["score"] == .number(0))
        let version = try run(["version", "--json"], port: port)
        let facts = try JSONValue(json: Data(version.output.utf8))
        #expect(facts["libtorrent"]?.stringValue?.hasPrefix("2.0") == true)
        #expect(facts["libavformat"]?.stringValue?.isEmpty == false)
    }

    private func run(_ arguments: [String], port: Int) throws -> (status: Int32, output: String, errors: String) {
        let result = try ExternalTool.outcome(Self.binary, arguments, environment: environment(port: port))
        return (result.status, String(decoding: result.stdout, as: UTF8.self), result.stderr)
    }
}
