import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import HummingbirdWSClient
import Logging
import NIOCore
import Storage
import Synchronization
import Testing
import Tickets
import Torrent

/// The real binary, configured by a TOML file, takes a ticket over HTTP and completes it from a
/// loopback swarm found through a fixture indexer; the test follows it on the WebSocket.
@Suite("The service end to end (real binary, WebSocket, SIGKILL)", .system)
struct ServiceEndToEndTests {
    static let token = "e2e-service-token"
    static let seconds = 8.0

    /// Every event the WebSocket delivered, across connections.
    final class Seen: Sendable {
        let events = Mutex<[TicketEvent]>([])
        var stored: [TicketEvent] { events.withLock { $0.filter { $0.seq > 0 } } }
        var lastSeq: Int { stored.last?.seq ?? 0 }
        func add(_ event: TicketEvent) { events.withLock { $0.append(event) } }
    }

    func config(
        _ dir: TemporaryDirectory, port: Int, jackett: Int, retries: Int = 0, tempDir: String? = nil, media: String? = nil,
        jackettPath: String = "", apiKey: String = "k", indexerTimeoutSecs: Int = 5, stallTimeoutSecs: Int = 120, extraSections: String = ""
    ) throws -> String {
        let text = """
            [server]
            host = "127.0.0.1"
            port = \(port)
            auth_token = "\(Self.token)"
            [database]
            path = "\(dir.file("data/db.sqlite"))"
            [jackett]
            url = "http://127.0.0.1:\(jackett)\(jackettPath)"
            api_key = "\(apiKey)"
            timeout_secs = \(indexerTimeoutSecs)
            [torrent]
            download_path = "\(dir.file("dl"))"
            listen_interfaces = "127.0.0.1:0"
            enable_dht = false
            enable_lsd = false
            enable_upnp = false
            enable_natpmp = false
            metadata_timeout_secs = 5
            stall_timeout_secs = \(stallTimeoutSecs)
            [converter]
            temp_dir = "\(tempDir ?? dir.file("tmp"))"
            [processing]
            check_interval_secs = 1
            retry_max_attempts = \(retries)
            retry_initial_delay_secs = 1
            retry_max_delay_secs = 2
            [placer]
            media_roots = ["\(media ?? dir.file("media"))"]
            \(extraSections)
            """
        try text.write(toFile: dir.file("downloader2.toml"), atomically: true, encoding: .utf8)
        return dir.file("downloader2.toml")
    }

    func start(config: String, log: String, environment: [String: String] = [:]) throws -> ServiceProcess {
        try ServiceProcess(["serve", "--config", config], environment: environment, log: log)
    }

    /// Follows the ticket on the WebSocket from `since` until `stop` says so or the connection ends.
    /// Gives up after `within` seconds, so a ticket stuck somewhere fails the test instead of hanging it.
    func follow(port: Int, ticketId: String, since: Int, seen: Seen, within: Double = 240, stop: @escaping @Sendable (TicketEvent) -> Bool) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await self.connect(port: port, ticketId: ticketId, since: since, seen: seen, stop: stop) }
            // The bound of the wait, not a wait in itself.
            group.addTask { try? await Task.sleep(for: .seconds(within)) }
            await group.next()
            group.cancelAll()
        }
    }

    private func connect(port: Int, ticketId: String, since: Int, seen: Seen, stop: @escaping @Sendable (TicketEvent) -> Bool) async {
        let configuration = WebSocketClientConfiguration(additionalHeaders: [.authorization: "Bearer \(Self.token)"])
        do {
            try await WebSocketClient.connect(
                url: "ws://127.0.0.1:\(port)/api/v1/ws?ticket_id=\(ticketId)&since=\(since)", configuration: configuration,
                logger: Logger(label: "e2e-ws")
            ) { inbound, outbound, _ in
                for try await message in inbound.messages(maxSize: 1 << 22) {
                    guard case .text(let text) = message else { continue }
                    let event = try TicketJSON.decoder().decode(TicketEvent.self, from: Data(text.utf8))
                    seen.add(event)
                    if stop(event) { break }
                }
                try? await outbound.close(.normalClosure, reason: nil)
            }
        } catch {
            // The server went away (killed): what arrived before is what counts.
        }
    }

    func announceDeadPeer(tracker: LoopbackTracker, infoHash: String) async throws {
        let escaped = stride(from: 0, to: 40, by: 2).map { offset -> String in
            let start = infoHash.index(infoHash.startIndex, offsetBy: offset)
            return "%" + infoHash[start..<infoHash.index(start, offsetBy: 2)]
        }.joined()
        let url = URL(
            string: "http://127.0.0.1:\(tracker.port)/announce?info_hash=\(escaped)&peer_id=-XX0000-deadpeer0001&port=1&left=1000&compact=1")!
        #expect(await eventually(within: 10) { (try? await URLSession.shared.data(from: url)) != nil }, "opentracker answers")
    }

    /// An end, or a wait for a person (which this test does not expect, and must not hang on).
    static func isFinal(_ event: TicketEvent) -> Bool {
        guard event.type == .stateChange, let state = event.payload["new_state"]?.stringValue else { return false }
        return ["completed", "failed", "cancelled", "rejected", "needs_approval"].contains(state)
    }

    @Test("POST a ticket, follow it on the WebSocket to completed; with SIGKILL mid-download, restart and finish", arguments: [false, true])
    func ticketOverHTTP(killMidDownload: Bool) async throws {
        let dir = TemporaryDirectory("e2e-service")
        try FileManager.default.createDirectory(atPath: dir.file("media"), withIntermediateDirectories: true)
        let folder = try PipelineEndToEndTests.writeAlbum(in: dir.file("seed"), seconds: Self.seconds, noise: 0.05)
        // A local tracker (opentracker) is how the service finds the seeder: the indexer links a .torrent.
        let (tracker, torrent, hash) = try LoopbackTracker.serving(folder, pieceSize: 32768, in: dir.file("tracker"))
        // A dead endpoint on 127.0.0.1 listed before the seeder: the service must still reach the live one.
        try await announceDeadPeer(tracker: tracker, infoHash: hash)
        let seeder = try TorrentSession(settings: .loopback(), seedingPolicy: .seedForever)
        try await withRunning([seeder]) {
            _ = try await seeder.add(torrentFile: torrent, savePath: dir.file("seed"), seedMode: true)
            // Slow enough that the kill lands mid-download on any machine.
            try await seeder.setRateLimits(downloadKbps: 0, uploadKbps: killMidDownload ? 150 : 0)
            let jackettPort = Mutex(0)
            let router = PipelineEndToEndTests.indexer(
                field: "Link", link: { "http://127.0.0.1:\(jackettPort.withLock { $0 })/dl/album.torrent" }, hash: hash, torrent: torrent)
            let indexer = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
            // A webhook receiver: the service tells it about the completion ([[notify]])
            let hook = NotificationTests.Receiver()
            let hookApp = Application(router: hook.router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
            try await hookApp.test(.live) { hookClient in
                try await indexer.test(.live) { client in
                    jackettPort.withLock { $0 = client.port! }
                    let port = try freeLoopbackPort()
                    let config = try config(
                        dir, port: port, jackett: client.port!,
                        extraSections: """
                            [[notify]]
                            type = "webhook"
                            url = "http://127.0.0.1:\(hookClient.port!)/hook"
                            events = ["completed"]
                            """)
                    let log = dir.file("serve.log")
                    var process = try start(config: config, log: log)
                    defer { process.stop(SIGKILL) }
                    let http = LiveHTTP(port: port, token: Self.token)
                    await process.waitUntilHealthy(http)

                    // When a ticket is POSTed and followed on the WebSocket
                    let ticket = PipelineEndToEndTests.ticket(
                        id: "svc-\(killMidDownload ? "kill" : "plain")", media: dir.file("media"), seconds: Self.seconds)
                    #expect(try await http.send("POST", "/api/v1/ticket", body: Fixtures.json(ticket)).status == 201)
                    let seen = Seen()
                    let pid = process.pid
                    await follow(port: port, ticketId: ticket.ticketId, since: 0, seen: seen) { event in
                        if Self.isFinal(event) { return true }
                        // The kill variant: SIGKILL once a fifth of the album is here
                        if killMidDownload, event.type == .progress, event.payload["stage"]?.stringValue == "downloading",
                            (event.payload["percent"]?.doubleValue ?? 0) >= 20
                        {
                            kill(pid, SIGKILL)
                            return true
                        }
                        return false
                    }
                    if killMidDownload {
                        process.stop(SIGKILL)
                        #expect(process.process.terminationReason == .uncaughtSignal, "the service was killed mid-download")
                        #expect(!seen.stored.contains(where: Self.isFinal), "killed before the end")
                        // Then, restarted, it continues from where it was and finishes
                        process = try start(config: config, log: log)
                        await process.waitUntilHealthy(http)
                        await follow(port: port, ticketId: ticket.ticketId, since: seen.lastSeq, seen: seen) { Self.isFinal($0) }
                    }

                    // Then it completed, every stored event reached the client exactly once, in order
                    let answer = try await http.send("GET", "/api/v1/ticket/\(ticket.ticketId)")
                    #expect(
                        answer.json["state"]?.stringValue == "completed",
                        "\(answer.json["state"] ?? .null)\n\((try? String(contentsOfFile: log, encoding: .utf8))?.suffix(3000) ?? "")")
                    #expect(await eventually(within: 30) { !hook.recorded.isEmpty }, "the [[notify]] webhook was called")
                    guard case .array(let history)? = answer.json["history"] else { Issue.record("no history: \(answer.json)"); return }
                    let storedSeqs = history.compactMap { $0["seq"]?.intValue }
                    #expect(storedSeqs == Array(1...storedSeqs.count), "stored events are 1…n with no gap or duplicate")
                    #expect(seen.stored.map(\.seq) == storedSeqs, "the WebSocket delivered each once, in order")
                    if killMidDownload {
                        #expect(seen.stored.contains { $0.type == .recovered }, "the restart recovered the interrupted download")
                    }
                    // Every dest_path: Vorbis, the right length, its own tone, tagged, with the cover
                    for (index, track) in ticket.tracks.enumerated() {
                        let probe = try AudioCheck.ffprobe(track.destPath)
                        #expect(probe.codec == "vorbis" && abs(probe.durationSecs - Self.seconds) < 0.05)
                        #expect(
                            try AudioCheck.dominantFrequency(track.destPath, among: PipelineEndToEndTests.tones) == PipelineEndToEndTests.tones[index]
                        )
                        let tags = try AudioCheck.mutagen(track.destPath)
                        #expect(tags.first("title") == track.name && tags.coverSHA256 != nil)
                    }
                    // `status --follow` replays the history to the end and exits 0 for a completed ticket
                    let followed = try ExternalTool.run(ProcessTests.binary, ["status", ticket.ticketId, "--follow", "--config", config])
                    let text = String(decoding: followed.stdout, as: UTF8.self)
                    for step in ["→ searching", "→ downloading", "→ converting", "→ placing", "→ completed"] {
                        #expect(text.contains(step), "status --follow printed: \(text)")
                    }
                    process.stop()
                    let rows = try await AppDatabase.open(path: dir.file("data/db.sqlite")).downloadFiles(ticketId: ticket.ticketId)
                    #expect(
                        Set(rows.filter { $0.type.hasPrefix("placed_") }.map(\.path))
                            == Set(ticket.tracks.map(\.destPath) + ticket.images.map(\.destPath)))
                    #expect(rows.filter { $0.type == "audio" }.count == ticket.tracks.count, "each downloaded source recorded too")
                    // The webhook heard of the completion once, with every placed file and its SHA-256
                    let heard = hook.recorded.compactMap { try? JSONValue(json: $0.body) }
                    #expect(
                        heard.count == 1 && heard.first?["ticket_id"]?.stringValue == ticket.ticketId
                            && heard.first?["event"]?.stringValue == "completed", "\(heard)")
                    if case .array(let files)? = heard.first?["files"] {
                        let placed = Dictionary(uniqueKeysWithValues: rows.filter { $0.type.hasPrefix("placed_") }.map { ($0.path, $0.sha256 ?? "") })
                        #expect(
                            files.count == placed.count && files.allSatisfy { placed[$0["path"]?.stringValue ?? ""] == $0["sha256"]?.stringValue },
                            "\(files)")
                    } else {
                        Issue.record("the webhook body lists no files: \(heard)")
                    }
                }
            }
        }
    }
}
