import Foundation
import Hummingbird
import HummingbirdTesting
import Synchronization
import Testing
import Tickets
import Torrent

/// A private release, found through a fixture Jackett whose result carries the tracker's seeding rules
/// (`MinimumRatio`, `MinimumSeedTime`), announced to opentracker with a passkey in its announce URL:
/// the real binary completes the ticket, seeds on towards the goal across a restart, serves the whole
/// album to aria2c once the original seeder has left, and removes the payload only when the goal is met.
@Suite("Private trackers end to end: seeding to the goal (real binary, opentracker, aria2c)", .system)
struct PrivateSeedingTests {
    @Test("seeded until the goal across a restart; a new leecher gets the album from us; the goal met, the payload goes; no passkey shown")
    func seedsToItsGoal() async throws {
        let e2e = ServiceEndToEndTests()
        let dir = TemporaryDirectory("e2e-private")
        try FileManager.default.createDirectory(atPath: dir.file("media"), withIntermediateDirectories: true)
        let folder = try PipelineEndToEndTests.writeAlbum(in: dir.file("seed"), seconds: 4, noise: 0.05)
        let passkey = (0..<4).map { _ in String(format: "%08x", UInt32.random(in: 0...UInt32.max)) }.joined()
        // The private flag is inside the info dictionary (it changes the info-hash); the announce URL is not.
        let hash = try TorrentMetadata.parse(torrentFile: try TorrentCreator.create(from: folder, pieceSize: 32768, kind: .v1Only, isPrivate: true))
            .infoHash
        let tracker = try LoopbackTracker(whitelist: [hash], in: dir.file("tracker"))
        let torrent = try TorrentCreator.create(
            from: folder, trackers: [tracker.announceURL + "?passkey=" + passkey], pieceSize: 32768, kind: .v1Only, isPrivate: true)
        #expect(FileManager.default.createFile(atPath: dir.file("album.torrent"), contents: torrent))
        let seeder = try TorrentSession(settings: .loopback(), seedingPolicy: .seedForever)
        try await withRunning([seeder]) {
            _ = try await seeder.add(torrentFile: torrent, savePath: dir.file("seed"), seedMode: true)
            let jackettPort = Mutex(0)
            // The tracker's rule: ratio 0.5 or a day, whichever comes first (the ratio is what this test reaches).
            let router = PipelineEndToEndTests.indexer(
                field: "Link", link: { "http://127.0.0.1:\(jackettPort.withLock { $0 })/dl/album.torrent" }, hash: hash, torrent: torrent,
                minimumRatio: 0.5, minimumSeedTimeSecs: 86_400)
            let indexer = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
            try await indexer.test(.live) { client in
                jackettPort.withLock { $0 = client.port! }
                let port = try freeLoopbackPort()
                let config = try e2e.config(dir, port: port, jackett: client.port!)
                let log = dir.file("serve.log")
                var process = try e2e.start(config: config, log: log)
                defer { process.stop(SIGKILL) }
                let http = LiveHTTP(port: port, token: ServiceEndToEndTests.token)
                await process.waitUntilHealthy(http)

                // The ticket completes as soon as its files are placed
                let ticket = PipelineEndToEndTests.ticket(id: "private-1", media: dir.file("media"), seconds: 4)
                #expect(try await http.send("POST", "/api/v1/ticket", body: Fixtures.json(ticket)).status == 201)
                await e2e.follow(port: port, ticketId: ticket.ticketId, since: 0, seen: ServiceEndToEndTests.Seen()) {
                    ServiceEndToEndTests.isFinal($0)
                }
                let answer = try await http.send("GET", "/api/v1/ticket/\(ticket.ticketId)?history=true")
                #expect(answer.json["state"]?.stringValue == "completed", "\(answer.json["state"] ?? .null)\n\(Self.tail(log))")
                let library = ticket.tracks.map(\.destPath)
                #expect(library.allSatisfy { FileManager.default.fileExists(atPath: $0) })

                // …and its torrent seeds on, private, towards the indexer's goal, its payload kept
                func ours() async throws -> JSONValue? {
                    let listing = try await http.send("GET", "/api/v1/torrents")
                    guard case .array(let torrents)? = listing.json["torrents"] else { return nil }
                    return torrents.first { $0["info_hash"]?.stringValue == hash }
                }
                #expect(await eventually(within: 60) { ((try? await ours())??["seed_time_secs"]?.doubleValue ?? 0) >= 1 }, "it never seeded")
                let before = try #require(try await ours())
                #expect(
                    before["private"] == .bool(true) && before["kept_for_seeding"] == .bool(true) && before["goal_met"] == .bool(false), "\(before)")
                #expect(before["goal"]?["ratio"]?.doubleValue == 0.5 && before["goal"]?["seed_time_secs"]?.doubleValue == 86_400, "\(before)")
                #expect(before["goal"]?["source"]?.stringValue?.contains("indexer ToneTracker") == true, "\(before)")
                #expect(before["tickets"]?[0]?["id"]?.stringValue == ticket.ticketId && before["tickets"]?[0]?["state"]?.stringValue == "completed")
                let payload = dir.file("dl/\(ticket.ticketId)")
                #expect(FileManager.default.fileExists(atPath: payload))
                let metrics = try String(contentsOf: URL(string: "http://127.0.0.1:\(port)/metrics")!, encoding: .utf8)
                #expect(
                    metrics.contains("downloader2_seeding_short_of_goal 1"), "\(metrics.split(separator: "\n").filter { $0.contains("seeding") })")
                let cli = try ExternalTool.run(ProcessTests.binary, ["torrents", "--config", config])
                let listed = String(decoding: cli.stdout, as: UTF8.self)
                #expect(listed.contains(String(hash.prefix(12))) && listed.contains("private") && listed.contains("to go"), "\(listed)")

                // A restart in the middle of seeding keeps the seed time and the goal
                let secondsBefore = before["seed_time_secs"]?.doubleValue ?? 0
                process.stop()
                process = try e2e.start(config: config, log: log)
                await process.waitUntilHealthy(http)
                let after = try #require(try await ours(), "the torrent came back after the restart")
                #expect((after["seed_time_secs"]?.doubleValue ?? -1) >= secondsBefore, "seed time \(secondsBefore) s, then \(after)")
                #expect(after["goal"] == before["goal"] && after["goal_met"] == .bool(false), "\(after)")
                // Once the payload cleaner has swept (it does at start), the payload is still there: its goal is not met.
                let swept = await eventually(within: 60) {
                    (try? await http.send("GET", "/api/v1/torrents"))?.json["budget_checked_at"]?.stringValue != nil
                }
                #expect(swept, "the payload cleaner never swept")
                #expect(FileManager.default.fileExists(atPath: payload), "not a minute less: the goal is not met")

                // The original seeder leaves; a new leecher (aria2c) gets the whole album from downloader2
                try await seeder.remove(hash, deleteFiles: false)
                let aria = try ExternalProcess(
                    "aria2c",
                    [
                        "--interface=127.0.0.1", "--dir=\(dir.file("aria"))", "--seed-time=0", "--check-integrity=true",
                        "--listen-port=\(try freeLoopbackPort())", "--enable-dht=false", "--enable-dht6=false", "--bt-enable-lpd=false",
                        "--enable-peer-exchange=false", "--disable-ipv6=true", "--summary-interval=0", "--console-log-level=warn",
                        dir.file("album.torrent"),
                    ], logDirectory: dir.path)
                #expect(await aria.waitForExit(within: 120) == 0, "aria2c: \(aria.log)")
                let name = (folder as NSString).lastPathComponent
                for file in try FileManager.default.contentsOfDirectory(atPath: folder) {
                    #expect(filesEqual(folder + "/" + file, dir.file("aria/\(name)/\(file)")), "aria2c got \(file) whole")
                }

                // Its upload brings the ratio to the goal: the payload goes, the library keeps the converted copies
                let gone = await eventually(within: 120) { (try? await ours()) == .some(nil) && !FileManager.default.fileExists(atPath: payload) }
                let left = try? await ours()
                #expect(gone, "the payload was not removed once the goal was met: \(String(describing: left))\n\(Self.tail(log))")
                #expect(library.allSatisfy { FileManager.default.fileExists(atPath: $0) })

                // The passkey appears nowhere: the log, the API's answers, the CLI
                let texts = [
                    (try? String(contentsOfFile: log, encoding: .utf8)) ?? "", "\(answer.json)", "\(before)", "\(after)", listed,
                    "\(try await http.send("GET", "/api/v1/ticket/\(ticket.ticketId)?history=true").json)",
                ]
                #expect(!texts.contains { $0.contains(passkey) }, "the passkey was shown")
            }
        }
    }

    static func tail(_ log: String) -> String { String(((try? String(contentsOfFile: log, encoding: .utf8)) ?? "").suffix(3000)) }
}
