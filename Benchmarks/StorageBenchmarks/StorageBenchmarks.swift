import Benchmark
import Foundation
import GRDB
import Storage
import Tickets

/// Ticket submission cost on a real SQLite file (WAL, synchronous=FULL), beside the floor it is
/// compared with: a bare INSERT of the same JSON bytes into a one-column table with the same
/// durability settings, one transaction each.
let benchmarks: @Sendable () -> Void = {
    let directory = NSTemporaryDirectory() + "downloader2-bench-\(UUID().uuidString)"
    try! FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    let ticket = Ticket(
        ticketId: "bench",
        search: TicketSearch(artist: "Radiohead", album: "OK Computer", year: 1997),
        tracks: (1...12).map {
            TicketTrack(catalogTrackId: "t\($0)", trackNumber: $0, name: "Track \($0)", durationSecs: 240, destPath: "/media/a/d1t\($0).ogg")
        },
        constraints: TicketConstraints(format: .oggVorbis, bitrateKbps: 320))
    let json = String(decoding: try! TicketJSON.encoder().encode(ticket), as: UTF8.self)
    let configuration = Benchmark.Configuration(metrics: [.wallClock, .throughput], maxDuration: .seconds(3), maxIterations: 2000)

    Benchmark("submit ticket (row + created event)", configuration: configuration) { benchmark in
        let db = try AppDatabase.open(path: directory + "/tickets-\(UUID().uuidString).db")
        benchmark.startMeasurement()
        for i in benchmark.scaledIterations {
            var copy = ticket
            copy.ticketId = "bench-\(i)"
            blackHole(try await db.insertTicket(copy, submittedJSON: json))
        }
    }

    Benchmark("reference: bare SQLite INSERT of the same JSON", configuration: configuration) { benchmark in
        var config = Configuration()
        config.prepareDatabase { try $0.execute(sql: "PRAGMA synchronous = FULL") }
        let pool = try DatabasePool(path: directory + "/bare-\(UUID().uuidString).db", configuration: config)
        try await pool.write { try $0.execute(sql: "CREATE TABLE t (id TEXT PRIMARY KEY, json TEXT NOT NULL)") }
        benchmark.startMeasurement()
        for i in benchmark.scaledIterations {
            try await pool.write { try $0.execute(sql: "INSERT INTO t VALUES (?, ?)", arguments: ["bench-\(i)", json]) }
        }
    }
}
