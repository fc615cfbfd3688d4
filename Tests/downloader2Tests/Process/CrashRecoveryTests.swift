import Foundation
import Hummingbird
import HummingbirdTesting
import Storage
import Synchronization
import Testing
import Tickets
import Torrent

/// SIGKILL of the real binary the moment a ticket enters each stage, then a restart: the ticket
/// still completes, and what it leaves behind is whole.
@Suite("Faults through the real binary: crashes, full disks, a failing indexer; the same invariants after each", .system, .serialized)
struct CrashRecoveryTests {
    static let seconds = 6.0

    @Test(
        "SIGKILL on entering a stage, restart: completed, every file whole, no .partial left, events contiguous, records match",
        arguments: [
            "searching", "matching", "downloading", "converting", "placing",
        ])
    func killAt(stage: String) async throws {
        let e2e = ServiceEndToEndTests()
        let dir = TemporaryDirectory("crash-\(stage)")
        try FileManager.default.createDirectory(atPath: dir.file("media"), withIntermediateDirectories: true)
        let folder = try PipelineEndToEndTests.writeAlbum(in: dir.file("seed"), seconds: Self.seconds, noise: 0.05)
        let (tracker, torrent, hash) = try LoopbackTracker.serving(folder, pieceSize: 32768, in: dir.file("tracker"))
        let seeder = try TorrentSession(settings: .loopback(), seedingPolicy: .seedForever)
        try await withRunning([seeder]) {
            _ = try await seeder.add(torrentFile: torrent, savePath: dir.file("seed"), seedMode: true)
            // Slow enough that a download is still running when the kill lands there.
            try await seeder.setRateLimits(downloadKbps: 0, uploadKbps: stage == "downloading" ? 200 : 0)
            let port = PortBox()
            let router = PipelineEndToEndTests.indexer(
                field: "Link", link: { "http://127.0.0.1:\(port.value)/dl/album.torrent" }, hash: hash, torrent: torrent,
                delay: stage == "searching" ? .seconds(2) : .zero)
            let indexer = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
            try await indexer.test(.live) { client in
                port.value = client.port!
                try await scenario(e2e, dir: dir, stage: stage, indexerPort: client.port!)
            }
        }
    }

    @Test(
        "a fault that passes: the ticket fails retryably while it lasts, then completes with the same invariants",
        arguments: [
            "indexer_502", "disk_full_convert", "disk_full_place",
        ])
    func recoversAfter(fault: String) async throws {
        let e2e = ServiceEndToEndTests()
        let dir = TemporaryDirectory("fault-\(fault)")
        let disk = fault.hasPrefix("disk_full") ? try SmallFileSystem(at: dir.file("small"), size: "8m") : nil
        defer { withExtendedLifetime(disk) {} }
        let media = fault == "disk_full_place" ? disk!.path : dir.file("media")
        let tempDir = fault == "disk_full_convert" ? disk!.path : dir.file("tmp")
        try FileManager.default.createDirectory(atPath: media, withIntermediateDirectories: true)
        let folder = try PipelineEndToEndTests.writeAlbum(in: dir.file("seed"), seconds: Self.seconds, noise: 0.05)
        let torrent = try TorrentCreator.create(from: folder, pieceSize: 32768, kind: .v1Only)
        let seeder = try TorrentSession(settings: .loopback(), seedingPolicy: .seedForever)
        try await withRunning([seeder]) {
            let hash = try await seeder.add(torrentFile: torrent, savePath: dir.file("seed"), seedMode: true)
            let magnet = try TorrentMetadata.magnetLink(forTorrentFile: torrent) + "&x.pe=127.0.0.1:\(await seeder.listenPort)"
            let router = PipelineEndToEndTests.indexer(field: "MagnetUri", link: { magnet }, hash: hash, failFirst: fault == "indexer_502" ? 6 : 0)
            let indexer = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
            try await indexer.test(.live) { client in
                let port = try freeLoopbackPort()
                let config = try e2e.config(dir, port: port, jackett: client.port!, retries: 20, tempDir: tempDir, media: media)
                let ticket = PipelineEndToEndTests.ticket(id: "fault-\(fault)", media: media, seconds: Self.seconds)
                let http = LiveHTTP(port: port, token: ServiceEndToEndTests.token)
                let service = try ServiceProcess(["serve", "--config", config], log: dir.file("serve.log"))
                await service.waitUntilHealthy(http)
                // Given the fault in place
                let filler = disk.map { try? StorageFaultTests.fill($0.path) } ?? nil
                #expect(try await http.send("POST", "/api/v1/ticket", body: Fixtures.json(ticket)).status == 201)

                // When the ticket fails because of it, the fault goes away (for the 502s: by itself)
                let expected = fault == "indexer_502" ? "indexer_unavailable" : "disk_full"
                let sawFailure = Mutex(false)
                // (a retryable failure schedules its retry: a `retry_scheduled` event names its code)
                await e2e.follow(port: port, ticketId: ticket.ticketId, since: 0, seen: ServiceEndToEndTests.Seen()) { event in
                    let failedHere =
                        event.type == .retryScheduled || (event.type == .stateChange && event.payload["new_state"]?.stringValue == "failed")
                    guard failedHere else { return ServiceEndToEndTests.isFinal(event) }
                    let code = event.payload["code"]?.stringValue ?? event.payload["details"]?["code"]?.stringValue
                    if code == expected {
                        sawFailure.withLock { $0 = true }
                        if let filler { try? FileManager.default.removeItem(atPath: filler) }
                    }
                    return true
                }
                #expect(sawFailure.withLock { $0 }, "the ticket failed with \(expected) while the fault lasted: \(service.log.suffix(2000))")

                // Then a retry completes it
                await e2e.follow(port: port, ticketId: ticket.ticketId, since: 0, seen: ServiceEndToEndTests.Seen()) { event in
                    event.type == .stateChange
                        && ["completed", "cancelled", "rejected", "needs_approval"].contains(event.payload["new_state"]?.stringValue ?? "")
                }
                let answer = try await http.send("GET", "/api/v1/ticket/\(ticket.ticketId)")
                #expect(answer.json["state"]?.stringValue == "completed", "\(answer.json["state"] ?? .null): \(service.log.suffix(3000))")
                service.stop()
                try await Self.checkInvariants(ticket, dir: dir, database: dir.file("data/db.sqlite"), roots: [media, tempDir])
            }
        }
    }

    @Test("the tracker is down when the download starts, then comes back: the stalled ticket retries and completes")
    func trackerDownThenBack() async throws {
        let e2e = ServiceEndToEndTests()
        let dir = TemporaryDirectory("fault-tracker")
        try FileManager.default.createDirectory(atPath: dir.file("media"), withIntermediateDirectories: true)
        let folder = try PipelineEndToEndTests.writeAlbum(in: dir.file("seed"), seconds: Self.seconds, noise: 0.05)
        // The torrent announces to a tracker port where nothing listens yet.
        let trackerPort = try freeLoopbackPort()
        let torrent = try TorrentCreator.create(
            from: folder, trackers: ["http://127.0.0.1:\(trackerPort)/announce"], pieceSize: 32768, kind: .v1Only)
        let hash = try TorrentMetadata.parse(torrentFile: torrent).infoHash
        let seeder = try TorrentSession(settings: .loopback(), seedingPolicy: .seedForever)
        try await withRunning([seeder]) {
            _ = try await seeder.add(torrentFile: torrent, savePath: dir.file("seed"), seedMode: true)
            let port = PortBox()
            let router = PipelineEndToEndTests.indexer(
                field: "Link", link: { "http://127.0.0.1:\(port.value)/dl/album.torrent" }, hash: hash, torrent: torrent)
            let indexer = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
            try await indexer.test(.live) { client in
                port.value = client.port!
                let apiPort = try freeLoopbackPort()
                let config = try e2e.config(dir, port: apiPort, jackett: client.port!, retries: 20, stallTimeoutSecs: 5)
                let ticket = PipelineEndToEndTests.ticket(id: "fault-tracker", media: dir.file("media"), seconds: Self.seconds)
                let http = LiveHTTP(port: apiPort, token: ServiceEndToEndTests.token)
                let service = try ServiceProcess(["serve", "--config", config], log: dir.file("serve.log"))
                await service.waitUntilHealthy(http)
                #expect(try await http.send("POST", "/api/v1/ticket", body: Fixtures.json(ticket)).status == 201)

                // When the download stalls for want of a tracker
                let stalled = Mutex(false)
                await e2e.follow(port: apiPort, ticketId: ticket.ticketId, since: 0, seen: ServiceEndToEndTests.Seen()) { event in
                    if event.type == .retryScheduled, event.payload["code"]?.stringValue == "stalled" { stalled.withLock { $0 = true }; return true }
                    return ServiceEndToEndTests.isFinal(event)
                }
                #expect(stalled.withLock { $0 }, "the download stalled while the tracker was down: \(service.log.suffix(2000))")
                // Then the tracker comes back on its port, the seeder announces again, and the retry completes
                let tracker = try LoopbackTracker(whitelist: [hash], in: dir.file("tracker"), port: trackerPort)
                defer { withExtendedLifetime(tracker) {} }
                try await seeder.forceReannounce(hash)
                #expect(await eventually(within: 60) { (await tracker.seeders(of: hash) ?? 0) >= 1 }, "the seeder registered: \(tracker.process.log)")
                await e2e.follow(port: apiPort, ticketId: ticket.ticketId, since: 0, seen: ServiceEndToEndTests.Seen()) { event in
                    event.type == .stateChange
                        && ["completed", "cancelled", "rejected", "needs_approval"].contains(event.payload["new_state"]?.stringValue ?? "")
                }
                let answer = try await http.send("GET", "/api/v1/ticket/\(ticket.ticketId)")
                #expect(answer.json["state"]?.stringValue == "completed", "\(answer.json["state"] ?? .null): \(service.log.suffix(3000))")
                service.stop()
                try await Self.checkInvariants(ticket, dir: dir, database: dir.file("data/db.sqlite"))
            }
        }
    }

    private func scenario(_ e2e: ServiceEndToEndTests, dir: TemporaryDirectory, stage: String, indexerPort: Int) async throws {
        let port = try freeLoopbackPort()
        let config = try e2e.config(dir, port: port, jackett: indexerPort)
        let ticket = PipelineEndToEndTests.ticket(id: "crash-\(stage)", media: dir.file("media"), seconds: Self.seconds)
        let http = LiveHTTP(port: port, token: ServiceEndToEndTests.token)

        // Given the service working on a ticket
        var service = try ServiceProcess(["serve", "--config", config], log: dir.file("serve.log"))
        await service.waitUntilHealthy(http)
        #expect(try await http.send("POST", "/api/v1/ticket", body: Fixtures.json(ticket)).status == 201)

        // When it is killed the moment the ticket enters the stage
        let seen = ServiceEndToEndTests.Seen()
        let pid = service.pid
        let killed = Mutex(false)
        await e2e.follow(port: port, ticketId: ticket.ticketId, since: 0, seen: seen) { event in
            if event.type == .stateChange, event.payload["new_state"]?.stringValue == stage {
                kill(pid, SIGKILL)
                killed.withLock { $0 = true }
                return true
            }
            return ServiceEndToEndTests.isFinal(event)
        }
        #expect(killed.withLock { $0 }, "the ticket entered \(stage): \(seen.stored.map(\.type))")
        service.stop(SIGKILL)
        #expect(service.process.terminationReason == .uncaughtSignal, "killed, not stopped")

        // Then, restarted, it finishes
        service = try ServiceProcess(["serve", "--config", config], log: dir.file("serve.log"))
        await service.waitUntilHealthy(http)
        await e2e.follow(port: port, ticketId: ticket.ticketId, since: 0, seen: ServiceEndToEndTests.Seen()) { ServiceEndToEndTests.isFinal($0) }
        let answer = try await http.send("GET", "/api/v1/ticket/\(ticket.ticketId)")
        #expect(answer.json["state"]?.stringValue == "completed", "\(answer.json["state"] ?? .null): \(service.log.suffix(3000))")
        service.stop()

        // And the invariants hold
        try await Self.checkInvariants(ticket, dir: dir, database: dir.file("data/db.sqlite"))
    }

    /// What any fault must leave: every dest_path a whole valid file (never a partial one), no
    /// `.partial` or placement temp files anywhere, events 1…n, and `downloadFile` rows that match.
    static func checkInvariants(_ ticket: Ticket, dir: TemporaryDirectory, database: String, roots: [String]? = nil) async throws {
        for track in ticket.tracks {
            let probe = try AudioCheck.ffprobe(track.destPath)
            #expect(probe.codec == "vorbis" && abs(probe.durationSecs - seconds) < 0.05, "\(track.destPath): \(probe)")
        }
        for root in roots ?? [dir.file("media"), dir.file("tmp")] {
            let leftovers = (FileManager.default.enumerator(atPath: root)?.allObjects as? [String] ?? [])
                .filter { $0.contains(".partial") || $0.contains("d2tmp") }
            #expect(leftovers.isEmpty, "left behind under \(root): \(leftovers)")
        }
        let store = try AppDatabase.open(path: database)
        let events = try await store.events(ticketId: ticket.ticketId)
        #expect(events.map(\.seq) == Array(1...events.count), "events contiguous, no duplicates")
        let placed = try await store.downloadFiles(ticketId: ticket.ticketId).filter { $0.type.hasPrefix("placed_") }
        #expect(Set(placed.map(\.path)) == Set(ticket.tracks.map(\.destPath) + ticket.images.map(\.destPath)))
        for row in placed {
            #expect(try AudioCheck.sha256(row.path) == row.sha256, "\(row.path) matches its record")
        }
    }
}
