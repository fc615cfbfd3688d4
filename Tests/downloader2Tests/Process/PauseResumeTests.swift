import Foundation
import Hummingbird
import HummingbirdTesting
import Synchronization
import Testing
import Tickets
import Torrent

/// Pause and resume through the real binary: a ticket paused mid-download stops its torrent, stays
/// paused across a restart, and once resumed completes without the payload being sent twice.
@Suite("Pause and resume (real binary, restart between)", .system)
struct PauseResumeTests {
    @Test("paused mid-download it stops; after a restart it is still paused; resumed, it completes without downloading the payload again")
    func pauseRestartResume() async throws {
        let e2e = ServiceEndToEndTests()
        let dir = TemporaryDirectory("pause")
        try FileManager.default.createDirectory(atPath: dir.file("media"), withIntermediateDirectories: true)
        let folder = try PipelineEndToEndTests.writeAlbum(in: dir.file("seed"), seconds: 8, noise: 0.05)
        let payload = try FileManager.default.contentsOfDirectory(atPath: folder).reduce(Int64(0)) { total, name in
            total + ((try? FileManager.default.attributesOfItem(atPath: "\(folder)/\(name)")[.size] as? Int64) ?? 0)
        }
        let pieceSize = 32768
        let (tracker, torrent, hash) = try LoopbackTracker.serving(folder, pieceSize: pieceSize, in: dir.file("tracker"))
        let seeder = try TorrentSession(settings: .loopback(), seedingPolicy: .seedForever)
        try await withRunning([seeder]) {
            _ = try await seeder.add(torrentFile: torrent, savePath: dir.file("seed"), seedMode: true)
            // Slow enough that the pause lands mid-download on any machine.
            try await seeder.setRateLimits(downloadKbps: 0, uploadKbps: 100)
            let jackettPort = Mutex(0)
            let router = PipelineEndToEndTests.indexer(
                field: "Link", link: { "http://127.0.0.1:\(jackettPort.withLock { $0 })/dl/album.torrent" }, hash: hash, torrent: torrent)
            let indexer = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
            try await indexer.test(.live) { client in
                jackettPort.withLock { $0 = client.port! }
                let port = try freeLoopbackPort()
                let config = try e2e.config(dir, port: port, jackett: client.port!)
                let log = dir.file("serve.log")
                // At debug level the service logs what each resume data it writes holds (pieces
                // verified, pieces begun): on failure, that tells bytes lost at the pause from a
                // second download after the restart.
                let debug = ["LOG_LEVEL": "debug"]
                var process = try e2e.start(config: config, log: log, environment: debug)
                defer { process.stop(SIGKILL) }
                let http = LiveHTTP(port: port, token: ServiceEndToEndTests.token)
                await process.waitUntilHealthy(http)
                let ticket = PipelineEndToEndTests.ticket(id: "pause-1", media: dir.file("media"), seconds: 8)
                #expect(try await http.send("POST", "/api/v1/ticket", body: Fixtures.json(ticket)).status == 201)

                // When a fifth of the album is here, the ticket is paused
                let seen = ServiceEndToEndTests.Seen()
                await e2e.follow(port: port, ticketId: ticket.ticketId, since: 0, seen: seen, within: 120) { event in
                    ServiceEndToEndTests.isFinal(event)
                        || (event.type == .progress && event.payload["stage"]?.stringValue == "downloading"
                            && (event.payload["percent"]?.doubleValue ?? 0) >= 20)
                }
                #expect(!seen.stored.contains(where: ServiceEndToEndTests.isFinal), "still downloading when paused")
                let paused = try await http.send("POST", "/api/v1/ticket/\(ticket.ticketId)/pause")
                #expect(paused.status == 200 && paused.json["state"]?.stringValue == "paused", "\(paused.json)")
                #expect(paused.json["state_details"]?["paused_from"]?.stringValue == "downloading")
                // Then the torrent stops: the service drops its connection to the seeder, and the seeder's
                // upload counter stands still. The counter alone is no proof: a rate-limited seeder's
                // counter moves in bursts (256 KiB after 1.5 s of standing still was seen), so a 1-s
                // sample once took a pause that was still draining for a stopped one.
                let last = Mutex(Int64(-1))
                let stopped = await eventually(within: 30) {
                    // One second between samples: the counter must stand still across a libtorrent tick.
                    try? await Task.sleep(for: .seconds(1))
                    guard let now = try? await seeder.progress(hash), now.peers == 0 else { return false }
                    return last.withLock { previous in
                        defer { previous = now.allTimeUpload }
                        return previous >= 0 && now.allTimeUpload - previous < 4096
                    }
                }
                #expect(stopped, "the seeder kept its connection or kept sending after the pause")
                let after = try await seeder.progress(hash).allTimeUpload
                #expect(Double(after) < Double(payload) * 0.9, "the download was stopped before the end (\(after) of \(payload))")
                // A ticket that is not paused cannot be resumed, nor a paused one paused again
                #expect(try await http.send("POST", "/api/v1/ticket/\(ticket.ticketId)/pause").status == 409)

                // After a restart it is still paused
                process.stop()
                process = try e2e.start(config: config, log: log, environment: debug)
                await process.waitUntilHealthy(http)
                #expect(try await http.send("GET", "/api/v1/ticket/\(ticket.ticketId)").json["state"]?.stringValue == "paused")
                // A negative check: how long it watches for a claim of the paused ticket.
                try await Task.sleep(for: .seconds(2))
                #expect(
                    try await http.send("GET", "/api/v1/ticket/\(ticket.ticketId)").json["state"]?.stringValue == "paused",
                    "nothing claims a paused ticket")

                // Resumed, it completes, and the seeder sent the payload once
                let resumed = try await http.send("POST", "/api/v1/ticket/\(ticket.ticketId)/resume")
                #expect(resumed.status == 200 && resumed.json["state"]?.stringValue == "auto_approved", "\(resumed.json)")
                try await seeder.setRateLimits(downloadKbps: 0, uploadKbps: 0)
                await e2e.follow(port: port, ticketId: ticket.ticketId, since: seen.lastSeq, seen: seen, within: 120) {
                    ServiceEndToEndTests.isFinal($0)
                }
                let answer = try await http.send("GET", "/api/v1/ticket/\(ticket.ticketId)")
                #expect(
                    answer.json["state"]?.stringValue == "completed",
                    "\(answer.json["state"] ?? .null)\n\((try? String(contentsOfFile: log, encoding: .utf8))?.suffix(3000) ?? "")")
                let sent = try await seeder.progress(hash).allTimeUpload
                // On failure, what is needed to tell a second download from bytes lost in flight at the
                // pause: the seeder's count at the pause, and what the service logged about the torrent.
                let resumeLines = ((try? String(contentsOfFile: log, encoding: .utf8)) ?? "").split(separator: "\n")
                    .filter { $0.localizedCaseInsensitiveContains("resume") || $0.localizedCaseInsensitiveContains(hash) }.suffix(20).joined(
                        separator: "\n")
                // Beyond the payload: the one piece the release check samples before the download (into
                // a folder of its own), and at most 4 pieces in flight when the pause cut the
                // connection. A pause that let requests drain (libtorrent's graceful pause) lost 5.5–9
                // pieces here under load: whatever the seeder had sent when the process stopped.
                let allowance = Int64(5 * pieceSize)
                #expect(
                    sent <= payload + allowance,
                    "the seeder sent \(sent) bytes for a \(payload)-byte payload (allowed: \(allowance) more), \(after) of them before the pause; the service logged:\n\(resumeLines)"
                )
                #expect(try await http.send("POST", "/api/v1/ticket/\(ticket.ticketId)/resume").status == 409)
                for track in ticket.tracks { #expect(FileManager.default.fileExists(atPath: track.destPath)) }
            }
        }
    }
}
