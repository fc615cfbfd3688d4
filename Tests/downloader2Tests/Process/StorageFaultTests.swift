import Foundation
import GRDB
import Storage
import Testing
import Tickets

/// The real binary when its database cannot take writes, and under a burst of requests.
@Suite("Storage faults and load through the real binary", .system)
struct StorageFaultTests {
    static let token = "storage-fault-token"

    /// The service on a loopback port with DHT, LSD, UPnP and NAT-PMP off, its folders under `dir`.
    static func environment(_ dir: TemporaryDirectory, port: Int, database: String, token: String = token) -> [String: String] {
        [
            "DOWNLOADER2_SERVER_HOST": "127.0.0.1", "DOWNLOADER2_SERVER_PORT": "\(port)", "DOWNLOADER2_SERVER_AUTH_TOKEN": token,
            "DOWNLOADER2_DATABASE_PATH": database, "DOWNLOADER2_PLACER_MEDIA_ROOTS": dir.file("media"),
            "DOWNLOADER2_TORRENT_DOWNLOAD_PATH": dir.file("dl"), "DOWNLOADER2_CONVERTER_TEMP_DIR": dir.file("tmp"),
            "DOWNLOADER2_TORRENT_ENABLE_DHT": "false", "DOWNLOADER2_TORRENT_ENABLE_LSD": "false", "DOWNLOADER2_TORRENT_ENABLE_UPNP": "false",
            "DOWNLOADER2_TORRENT_ENABLE_NATPMP": "false", "DOWNLOADER2_TORRENT_LISTEN_INTERFACES": "127.0.0.1:0",
        ]
    }

    /// Fills the file system under `folder` with one file until a write fails with ENOSPC.
    static func fill(_ folder: String) throws -> String {
        let path = (folder as NSString).appendingPathComponent("filler")
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        #expect(fd >= 0)
        defer { close(fd) }
        let chunk = [UInt8](repeating: 0xAB, count: 64 << 10)
        while true {
            let written = chunk.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if written <= 0 {
                #expect(errno == ENOSPC, "filled up to ENOSPC, got errno \(errno)")
                break
            }
        }
        return path
    }

    @Test(
        "the disk under the database fills: POST gets a clear 503, reads still work, nothing stored is damaged, and it recovers when space is freed")
    func databaseDiskFull() async throws {
        let dir = TemporaryDirectory("db-full")
        try FileManager.default.createDirectory(atPath: dir.file("media"), withIntermediateDirectories: true)
        let disk = try SmallFileSystem(at: dir.file("dbfs"), size: "4m")
        defer { withExtendedLifetime(disk) {} }
        let database = disk.path + "/downloader2.db"
        let port = try freeLoopbackPort()
        // No indexer: tickets stay pending-then-failed quickly, so the pipeline writes too.
        let service = try ServiceProcess(["serve"], environment: Self.environment(dir, port: port, database: database), log: dir.file("serve.log"))
        let http = LiveHTTP(port: port, token: Self.token)
        await service.waitUntilHealthy(http)
        let before = Fixtures.ticket(id: "before-full", root: dir.file("media"))
        #expect(try await http.send("POST", "/api/v1/ticket", body: Fixtures.json(before)).status == 201)

        // When the disk under the database is full
        let filler = try Self.fill(disk.path)
        let refused = try await http.send("POST", "/api/v1/ticket", body: Fixtures.json(Fixtures.ticket(id: "during-full", root: dir.file("media"))))
        // Then a write is refused with 503 and says why; reads still answer
        #expect(refused.status == 503, "\(refused.json)")
        #expect(refused.json["error"]?["code"]?.stringValue == "storage_unavailable", "\(refused.json)")
        #expect(refused.json["error"]?["message"]?.stringValue?.contains("full") == true, "\(refused.json)")
        #expect(try await http.send("GET", "/api/v1/ticket/before-full").status == 200)
        #expect(try await http.send("GET", "/api/v1/ticket/during-full").status == 404, "nothing half-stored")

        // When space comes back, the same request succeeds, and the service never stopped
        try FileManager.default.removeItem(atPath: filler)
        let accepted = await eventually(within: 30) {
            (try? await http.send("POST", "/api/v1/ticket", body: Fixtures.json(Fixtures.ticket(id: "during-full", root: dir.file("media"))))).map {
                [200, 201].contains($0.status)
            } ?? false
        }
        #expect(accepted, "accepted again after space was freed: \(service.log.suffix(2000))")
        #expect(service.process.isRunning)
        service.stop()
        #expect(service.process.terminationStatus == 0, "a graceful stop after the outage")

        // And the database is whole: integrity check passes, both tickets and their events are there
        let queue = try DatabaseQueue(path: database)
        #expect(try await queue.read { try String.fetchOne($0, sql: "PRAGMA integrity_check") } == "ok")
        let store = try AppDatabase.open(path: database)
        for id in ["before-full", "during-full"] {
            let events = try await store.events(ticketId: id)
            #expect(events.first?.type == .created, "\(id)")
            #expect(events.map(\.seq) == Array(1...max(events.count, 1)), "\(id): contiguous seq")
        }
    }

    @Test("1,000 concurrent POSTs and 1,000 concurrent GETs while tickets are in flight: all stored, no 5xx")
    func burst() async throws {
        let dir = TemporaryDirectory("burst")
        try FileManager.default.createDirectory(atPath: dir.file("media"), withIntermediateDirectories: true)
        let port = try freeLoopbackPort()
        let service = try ServiceProcess(
            ["serve"],
            environment: Self.environment(dir, port: port, database: dir.file("data/db.sqlite")).merging([
                "DOWNLOADER2_PROCESSING_MAX_PARALLEL_TICKETS": "8"
            ]) { $1 },
            log: dir.file("serve.log"))
        let http = LiveHTTP(port: port, token: Self.token, maxConnections: 64)
        await service.waitUntilHealthy(http)
        let bodies = (0..<1000).map { Fixtures.json(Fixtures.ticket(id: "burst-\($0)", root: dir.file("media"))) }
        // The orchestrator works on the tickets (they fail: no indexer) while the requests come in.
        let statuses = try await withThrowingTaskGroup(of: (String, Int).self) { group in
            for (index, body) in bodies.enumerated() {
                group.addTask { ("POST", try await http.send("POST", "/api/v1/ticket", body: body).status) }
                group.addTask {
                    let path = index.isMultiple(of: 2) ? "/api/v1/ticket/burst-\(index / 2)" : "/api/v1/tickets?limit=20&offset=\(index % 100)"
                    return ("GET", try await http.send("GET", path).status)
                }
            }
            return try await group.reduce(into: [String: [Int: Int]]()) { $0[$1.0, default: [:]][$1.1, default: 0] += 1 }
        }
        #expect(statuses["POST"] == [201: 1000], "\(statuses)")
        #expect(
            statuses["GET"]?.keys.allSatisfy { $0 == 200 || $0 == 404 } == true, "GETs answer 200, or 404 for a ticket not posted yet: \(statuses)")
        let list = try await http.send("GET", "/api/v1/tickets?limit=1")
        #expect(list.json["total"] == .number(1000))
        service.stop()
        #expect(!service.log.contains("internal_error") && !service.log.contains("unhandled error"), "\(service.log.suffix(2000))")
    }
}
