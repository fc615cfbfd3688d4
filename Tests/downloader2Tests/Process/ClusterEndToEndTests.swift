import Foundation
import Hummingbird
import HummingbirdTesting
import HummingbirdWSClient
import Logging
import NIOCore
import PostgresNIO
import Synchronization
import Testing
import Tickets
import Torrent

/// Two `downloader2 serve` processes share one PostgreSQL 15, a download folder and a media root; a
/// loopback swarm (opentracker and one seeder) and a fixture Jackett serve six albums. Twelve tickets
/// (two per album) go to either node. One node is killed mid-download; PostgreSQL is stopped for 10 s.
@Suite("Several nodes on one PostgreSQL (real binaries, SIGKILL, a database outage)", .system, .timeLimit(.minutes(8)))
struct ClusterEndToEndTests {
    static let token = "cluster-token"
    static let albums = ["Amber", "Birch", "Cedar", "Dune", "Ember", "Fjord"]
    static let tones: [Double] = [330, 495]
    static let seconds = 8.0
    static let leaseSecs = 8

    /// A two-track FLAC album as a release folder.
    static func writeAlbum(_ album: String, in root: String) throws -> String {
        let folder = (root as NSString).appendingPathComponent("Cluster Band - \(album) (2024) [FLAC]")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        for (index, tone) in tones.enumerated() {
            let wav = (root as NSString).appendingPathComponent("\(album)-\(index).wav")
            ToneAudio.writeWAV(wav, frequency: tone, seconds: seconds, noise: 0.05)
            try ExternalTool.run("ffmpeg", ["-v", "error", "-i", wav, "-c:a", "flac", "\(folder)/0\(index + 1) - \(album) \(index + 1).flac"])
            try FileManager.default.removeItem(atPath: wav)
        }
        return folder
    }

    static func ticket(id: String, album: String, media: String) -> Ticket {
        Ticket(
            ticketId: id,
            search: TicketSearch(artist: "Cluster Band", album: album, year: 2024),
            tracks: tones.indices.map { index in
                TicketTrack(
                    catalogTrackId: "\(id)-\(index + 1)", trackNumber: index + 1, name: "\(album) \(index + 1)", durationSecs: seconds,
                    destPath: "\(media)/\(id)/0\(index + 1).ogg")
            },
            images: [],
            constraints: TicketConstraints(format: .oggVorbis, bitrateKbps: 128),
            metadataToEmbed: MetadataToEmbed(artist: "Cluster Band", album: album, albumArtist: "Cluster Band", year: 2024, genre: "Test"))
    }

    /// A fixture Jackett answering each search with the album it names (a .torrent link with its info-hash).
    static func indexer(port: @escaping @Sendable () -> Int, torrents: [String: (hash: String, data: Data)]) -> Router<BasicRequestContext> {
        let router = Router()
        router.get("dl/:album") { _, context in
            let album = String(context.parameters.get("album") ?? "").replacingOccurrences(of: ".torrent", with: "")
            guard let torrent = torrents[album] else { return Response(status: .notFound) }
            return Response(status: .ok, body: ResponseBody(byteBuffer: ByteBuffer(bytes: torrent.data)))
        }
        router.get("api/v2.0/indexers/all/results") { request, _ -> Response in
            let query = (request.uri.queryParameters.get("Query") ?? "").lowercased()
            let items = torrents.filter { query.contains($0.key.lowercased()) }.map { album, torrent in
                """
                {"Title":"Cluster Band - \(album) (2024) [FLAC]","Tracker":"t","Link":"http://127.0.0.1:\(port())/dl/\(album).torrent",\
                "InfoHash":"\(torrent.hash)","Size":3000000,"Seeders":5,"Peers":5}
                """
            }
            let json = #"{"Results":["# + items.joined(separator: ",") + #"],"Indexers":[]}"#
            return Response(status: .ok, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(string: json)))
        }
        return router
    }

    /// A node's config; without `databaseURL` the node must find it in `DOWNLOADER2_DATABASE_URL`.
    func config(_ dir: TemporaryDirectory, node: String, port: Int, jackett: Int, databaseURL: String?) throws -> String {
        let text = """
            [server]
            host = "127.0.0.1"
            port = \(port)
            auth_token = "\(Self.token)"
            [database]
            path = "\(dir.file("unused-\(node).sqlite"))"
            \(databaseURL.map { "url = \"\($0)\"" } ?? "")
            [cluster]
            node_id = "\(node)"
            lease_secs = \(Self.leaseSecs)
            [jackett]
            url = "http://127.0.0.1:\(jackett)"
            api_key = "k"
            timeout_secs = 5
            [torrent]
            download_path = "\(dir.file("dl"))"
            listen_interfaces = "127.0.0.1:0"
            enable_dht = false
            enable_lsd = false
            enable_upnp = false
            enable_natpmp = false
            metadata_timeout_secs = 10
            keep_payload = true
            [converter]
            temp_dir = "\(dir.file("tmp-\(node)"))"
            [processing]
            check_interval_secs = 1
            max_parallel_tickets = 4
            max_parallel_downloads = 3
            retry_max_attempts = 3
            retry_initial_delay_secs = 1
            retry_max_delay_secs = 2
            [placer]
            media_roots = ["\(dir.file("media"))"]
            [wanted]
            enabled = false
            """
        let path = dir.file("\(node).toml")
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// Every event the WebSocket on the surviving node delivered, in arrival order.
    final class Seen: Sendable {
        let events = Mutex<[TicketEvent]>([])
        func add(_ event: TicketEvent) { events.withLock { $0.append(event) } }
        func stored(_ ticketId: String) -> [Int] { events.withLock { $0.filter { $0.ticketId == ticketId && $0.seq > 0 }.map(\.seq) } }
    }

    /// Follows every ticket's events on `port` until cancelled.
    func follow(port: Int, seen: Seen) async {
        let configuration = WebSocketClientConfiguration(additionalHeaders: [.authorization: "Bearer \(Self.token)"])
        _ = try? await WebSocketClient.connect(
            url: "ws://127.0.0.1:\(port)/api/v1/ws", configuration: configuration, logger: Logger(label: "cluster-ws")
        ) { inbound, _, _ in
            for try await message in inbound.messages(maxSize: 1 << 22) {
                guard case .text(let text) = message else { continue }
                seen.add(try TicketJSON.decoder().decode(TicketEvent.self, from: Data(text.utf8)))
            }
        }
    }

    @Test(
        "12 tickets for 6 albums on two nodes: both work, each completes once, each album downloads once; a node killed mid-download is taken over; PostgreSQL away for 10 s loses nothing"
    )
    func twoNodes() async throws {
        let dir = TemporaryDirectory("cluster-e2e")
        let postgres = try await PostgresServer.start()
        do {
            try await run(dir, postgres)
        } catch {
            await postgres.stop()
            throw error
        }
        await postgres.stop()
    }

    func run(_ dir: TemporaryDirectory, _ postgres: PostgresServer) async throws {
        let databaseURL = "postgres://postgres@127.0.0.1:\(postgres.port)/postgres"
        try FileManager.default.createDirectory(atPath: dir.file("media"), withIntermediateDirectories: true)

        var torrents: [String: (hash: String, data: Data)] = [:]
        var folders: [String: String] = [:]
        for album in Self.albums { folders[album] = try Self.writeAlbum(album, in: dir.file("seed")) }
        var hashes: [String] = []
        for album in Self.albums {
            let hash = try TorrentMetadata.parse(torrentFile: try TorrentCreator.create(from: folders[album]!, pieceSize: 16384, kind: .v1Only))
                .infoHash
            hashes.append(hash)
            torrents[album] = (hash, Data())
        }
        let allHashes = hashes
        let tracker = try LoopbackTracker(whitelist: allHashes, in: dir.file("tracker"))
        for album in Self.albums {
            let data = try TorrentCreator.create(from: folders[album]!, trackers: [tracker.announceURL], pieceSize: 16384, kind: .v1Only)
            torrents[album] = (torrents[album]!.hash, data)
        }
        let albumBytes = try Dictionary(
            uniqueKeysWithValues: Self.albums.map { album in
                (
                    torrents[album]!.hash,
                    try FileManager.default.contentsOfDirectory(atPath: folders[album]!).reduce(Int64(0)) { sum, name in
                        sum + ((try FileManager.default.attributesOfItem(atPath: folders[album]! + "/" + name)[.size] as? Int64) ?? 0)
                    }
                )
            })

        let seeder = try TorrentSession(settings: .loopback(), seedingPolicy: .seedForever)
        try await withRunning([seeder]) {
            for album in Self.albums { _ = try await seeder.add(torrentFile: torrents[album]!.data, savePath: dir.file("seed"), seedMode: true) }
            // Slow enough that the kill lands mid-download.
            try await seeder.setRateLimits(downloadKbps: 0, uploadKbps: 400)
            let jackettPort = Mutex(0)
            let frozen = torrents
            let indexer = Application(
                router: Self.indexer(port: { jackettPort.withLock { $0 } }, torrents: frozen),
                configuration: .init(address: .hostname("127.0.0.1", port: 0)))
            try await indexer.test(.live) { client in
                jackettPort.withLock { $0 = client.port! }
                let ports = (a: try freeLoopbackPort(), b: try freeLoopbackPort())
                let nodeA = try ServiceProcess(
                    ["serve", "--config", try config(dir, node: "node-a", port: ports.a, jackett: client.port!, databaseURL: databaseURL)],
                    log: dir.file("node-a.log"))
                let configB = try config(dir, node: "node-b", port: ports.b, jackett: client.port!, databaseURL: databaseURL)
                let nodeB = try ServiceProcess(["serve", "--config", configB], log: dir.file("node-b.log"))
                var restartedA: ServiceProcess?
                defer {
                    nodeA.stop(SIGKILL)
                    nodeB.stop(SIGKILL)
                    restartedA?.stop(SIGKILL)
                }
                let a = LiveHTTP(port: ports.a, token: Self.token)
                let b = LiveHTTP(port: ports.b, token: Self.token)
                await nodeA.waitUntilHealthy(a)
                await nodeB.waitUntilHealthy(b)
                let nodes = try await b.send("GET", "/api/v1/nodes")
                #expect(nodes.json["database"] == .string("postgresql") && nodes.json["this_node"] == .string("node-b"))
                guard case .array(let listed)? = nodes.json["nodes"] else { Issue.record("no nodes: \(nodes.json)"); return }
                #expect(Set(listed.compactMap { $0["id"]?.stringValue }) == ["node-a", "node-b"])

                // A WebSocket client on node B, which survives, follows every ticket from the start.
                let seen = Seen()
                let watcher = Task { await follow(port: ports.b, seen: seen) }
                defer { watcher.cancel() }
                // The socket is live once it delivers an event: canary tickets (of an album no indexer
                // has) are submitted one after another until the watcher has seen one; then they are
                // cancelled and left out below.
                var canaries: [String] = []
                var live = false
                for attempt in 1...10 where !live {
                    let canary = "canary-\(attempt)"
                    canaries.append(canary)
                    let body = Fixtures.json(Self.ticket(id: canary, album: "Canary", media: dir.file("media")))
                    #expect(try await b.send("POST", "/api/v1/ticket", body: body).status == 201)
                    live = await eventually(within: 10) { seen.events.withLock { $0.contains { $0.ticketId == canary } } }
                }
                try #require(live, "the WebSocket on node B delivered no event of \(canaries); events seen: \(seen.events.withLock { $0.count })")
                for canary in canaries { _ = try await b.send("DELETE", "/api/v1/ticket/\(canary)") }

                // 12 tickets, two per album, sent to either node.
                var ids: [String] = []
                for (n, album) in Self.albums.enumerated() {
                    for copy in 0..<2 {
                        let id = "c-\(album.lowercased())-\(copy)"
                        ids.append(id)
                        let target = (n + copy) % 2 == 0 ? a : b
                        let body = Fixtures.json(Self.ticket(id: id, album: album, media: dir.file("media")))
                        #expect(try await target.send("POST", "/api/v1/ticket", body: body).status == 201)
                    }
                }

                // Both nodes take work; node A is killed while it downloads one of its tickets.
                let held = Mutex<[String: Set<String>]>([:])
                var victim: String?
                let killed = await eventually(within: 120) {
                    guard let answer = try? await b.send("GET", "/api/v1/nodes"), case .array(let list)? = answer.json["nodes"] else { return false }
                    for node in list {
                        guard let id = node["id"]?.stringValue, case .array(let tickets)? = node["tickets"] else { continue }
                        held.withLock { $0[id, default: []].formUnion(tickets.compactMap(\.stringValue)) }
                    }
                    guard held.withLock({ ($0["node-b"] ?? []).isEmpty == false }) else { return false }
                    for ticketId in held.withLock({ $0["node-a"] ?? [] }) {
                        guard let view = try? await b.send("GET", "/api/v1/ticket/\(ticketId)"),
                            view.json["state"]?.stringValue == "downloading",
                            let percent = view.json["state_details"]?["progress_pct"]?.doubleValue, percent >= 15, percent < 90
                        else { continue }
                        victim = ticketId
                        nodeA.stop(SIGKILL)
                        return true
                    }
                    return false
                }
                #expect(killed, "node A was killed mid-download; held: \(held.withLock { $0 })")
                let victimId = try #require(victim)
                let victimHash = try #require(Self.albums.first { victimId.contains($0.lowercased()) }.flatMap { frozen[$0]?.hash })

                // `status --follow` on node B follows the victim from its first event (stored while
                // node A worked on it) to its completion on node B.
                let followOutput = dir.file("follow.out")
                FileManager.default.createFile(atPath: followOutput, contents: nil)
                let follower = Process()
                follower.executableURL = URL(fileURLWithPath: ServiceProcess.binary)
                follower.arguments = ["status", victimId, "--follow", "--config", configB]
                follower.environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("DOWNLOADER2_") }
                follower.standardOutput = FileHandle(forWritingAtPath: followOutput)
                follower.standardError = FileHandle(forWritingAtPath: "/dev/null")
                try follower.run()
                defer { if follower.isRunning { follower.terminate() } }

                // Node B takes the victim over once its lease has expired.
                #expect(
                    await eventually(within: Double(Self.leaseSecs) * 4) {
                        guard let view = try? await b.send("GET", "/api/v1/ticket/\(victimId)"), case .array(let history)? = view.json["history"]
                        else { return false }
                        return history.contains { $0["type"]?.stringValue == "recovered" && $0["payload"]?["node"]?.stringValue == "node-a" }
                    }, "node B took over node A's ticket")

                // Node B goes on from the resume data node A left on the shared download folder (no
                // piece hashed again), and takes it over: node A's copy is gone.
                #expect(
                    await eventually(within: 60) { nodeB.log.contains("torrent \(victimHash) continues from node node-a's resume data") },
                    "node B adopted node A's resume data of \(victimHash)")
                #expect(!FileManager.default.fileExists(atPath: dir.file("dl/.resume/node-a/\(victimHash).resume")))

                // Node A comes back, its database URL from the environment this time, and joins again.
                restartedA = try ServiceProcess(
                    ["serve", "--config", try config(dir, node: "node-a", port: ports.a, jackett: client.port!, databaseURL: nil)],
                    environment: ["DOWNLOADER2_DATABASE_URL": databaseURL], log: dir.file("node-a.log"))
                await restartedA?.waitUntilHealthy(a)
                #expect(
                    await eventually(within: 30) {
                        guard let answer = try? await b.send("GET", "/api/v1/nodes"), case .array(let list)? = answer.json["nodes"] else {
                            return false
                        }
                        return list.contains { $0["id"]?.stringValue == "node-a" && $0["alive"] == .bool(true) }
                    }, "node A is alive again in /nodes")

                // PostgreSQL goes away for 10 s in the middle of the work, then comes back.
                try await postgres.stopServer()
                let during = try await b.send("GET", "/api/v1/tickets?limit=1")
                #expect(during.status == 503, "requests get 503 while PostgreSQL is away: \(during.json)")
                // Not synchronisation: the outage itself lasts 10 s (what the nodes must ride out).
                try await Task.sleep(for: .seconds(10))
                try await postgres.restart()

                // Every ticket completes.
                let done = await eventually(within: 300) {
                    guard let page = try? await b.send("GET", "/api/v1/tickets?limit=100"), case .array(let list)? = page.json["tickets"] else {
                        return false
                    }
                    let real = list.filter { $0["ticket_id"]?.stringValue?.hasPrefix("canary-") != true }
                    return real.count == 12 && real.allSatisfy { $0["state"]?.stringValue == "completed" || $0["state"]?.stringValue == "failed" }
                }
                if !done {
                    // Say where each unfinished ticket is, and what the nodes logged about it.
                    let page = try? await b.send("GET", "/api/v1/tickets?limit=100")
                    var report = ""
                    if case .array(let list)? = page?.json["tickets"] {
                        for view in list
                        where view["state"]?.stringValue != "completed" && view["ticket_id"]?.stringValue?.hasPrefix("canary-") != true {
                            let id = view["ticket_id"]?.stringValue ?? "?"
                            report += "\(id): \(view["state"] ?? .null)\n"
                            for node in ["node-a", "node-b"] {
                                let log = (try? String(contentsOfFile: dir.file("\(node).log"), encoding: .utf8)) ?? ""
                                report +=
                                    log.split(separator: "\n").filter { $0.contains(id) }.suffix(12).map { "  \(node): \($0)" }.joined(
                                        separator: "\n") + "\n"
                            }
                        }
                    }
                    // The logs outlive the test's folder, for the post-mortem.
                    let kept = NSTemporaryDirectory() + "cluster-e2e-failure-" + UUID().uuidString.prefix(8)
                    try? FileManager.default.createDirectory(atPath: kept, withIntermediateDirectories: true)
                    for node in ["node-a", "node-b"] {
                        try? FileManager.default.copyItem(atPath: dir.file("\(node).log"), toPath: kept + "/\(node).log")
                    }
                    Issue.record("not every ticket ended (the nodes' logs are kept in \(kept)):\n\(report)")
                }
                // The last events reach the socket after the store has them: wait until the socket has
                // delivered every stored event of every ticket (what it saw is checked per ticket below).
                _ = await eventually(within: 30) {
                    for id in ids {
                        guard let view = try? await b.send("GET", "/api/v1/ticket/\(id)"), case .array(let history)? = view.json["history"],
                            seen.stored(id).count >= history.count
                        else { return false }
                    }
                    return true
                }

                // Then: each completed exactly once, its files placed and playable, and the surviving
                // node's WebSocket saw every stored event of every ticket, in order.
                var takenOver = Set<String>()
                for id in ids {
                    let view = try await b.send("GET", "/api/v1/ticket/\(id)")
                    #expect(
                        view.json["state"]?.stringValue == "completed", "\(id): \(view.json["state"] ?? .null) \(view.json["error_message"] ?? .null)"
                    )
                    guard case .array(let history)? = view.json["history"] else { Issue.record("\(id): no history"); continue }
                    if history.contains(where: { $0["type"]?.stringValue == "recovered" && $0["payload"]?["node"]?.stringValue == "node-a" }) {
                        takenOver.insert(id)
                    }
                    let completions = history.filter {
                        $0["type"]?.stringValue == "state_change" && $0["payload"]?["new_state"]?.stringValue == "completed"
                    }
                    #expect(completions.count == 1, "\(id) completed once")
                    let storedSeqs = history.compactMap { $0["seq"]?.intValue }
                    #expect(storedSeqs == Array(1...storedSeqs.count))
                    #expect(seen.stored(id) == storedSeqs, "\(id): the WebSocket on node B delivered each stored event once, in order")
                    for index in Self.tones.indices {
                        let probe = try AudioCheck.ffprobe(dir.file("media/\(id)/0\(index + 1).ogg"))
                        #expect(probe.codec == "vorbis" && abs(probe.durationSecs - Self.seconds) < 0.05)
                    }
                }
                // Both nodes did work: the store records which node wrote each event.
                let writers = try await postgres.withClient { client in
                    var nodes = Set<String>()
                    for try await node in try await client.query("SELECT DISTINCT node FROM ticket_event", logger: Logger(label: "check")).decode(
                        String.self)
                    {
                        nodes.insert(node)
                    }
                    return nodes
                }
                #expect(writers == ["node-a", "node-b"])
                // The follower on node B saw the victim through both nodes to its completion.
                #expect(await eventually(within: 30) { !follower.isRunning }, "status --follow ended")
                let followed = (try? String(contentsOfFile: followOutput, encoding: .utf8)) ?? ""
                #expect(!follower.isRunning && follower.terminationStatus == 0, "status --follow exit status; it printed: \(followed)")
                for step in ["→ downloading", "→ completed"] {
                    #expect(followed.contains(step), "status --follow printed: \(followed)")
                }
                // Each album was downloaded once: the seeder sent each album's bytes once, give or take
                // a piece. An album node A was downloading when it was killed may cost more: what A had
                // fetched and what was in flight to it (printed), but never a second whole download.
                for (album, torrent) in frozen {
                    let sent = try await seeder.progress(torrent.hash).allTimeUpload
                    let size = albumBytes[torrent.hash] ?? 1
                    let ratio = Double(sent) / Double(size)
                    let wasTakenOver = takenOver.contains { $0.contains(album.lowercased()) }
                    print(
                        "cluster: album \(album)\(wasTakenOver ? " (taken over from node A)" : ""): the seeder sent \(sent) bytes for \(size) (\(String(format: "%.2f", ratio))×)"
                    )
                    if wasTakenOver {
                        #expect(ratio < 2.0, "album \(album), taken over: sent \(sent) bytes for \(size)")
                    } else {
                        #expect(Double(sent) <= Double(size + 16384), "album \(album): sent \(sent) bytes for \(size)")
                    }
                }
            }
        }
    }
}
