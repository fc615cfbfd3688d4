import Foundation
import GRDB
import Storage
import Testing
import Tickets

@Suite("Storage on a real SQLite file")
struct StorageTests {
    let dir = TemporaryDirectory()
    var path: String { dir.file("db/downloader2.db") }

    @Test("opening creates the file in WAL mode with every named migration applied")
    func openingMigrates() async throws {
        let db = try AppDatabase.open(path: path)
        #expect(FileManager.default.fileExists(atPath: path))
        #expect(try await db.journalMode() == "wal")
        #expect(
            try await db.appliedMigrations() == [
                "v1-ticket", "v1-ticketEvent", "v1-candidate", "v1-downloadFile", "v2-ticketTorrent", "v3-blocklist", "v4-setting",
                "v5-queue-indexes",
            ])
        try await db.ping()
    }

    @Test("events are append-only and their seq strictly increases per ticket, enforced by SQLite itself")
    func eventsAreAppendOnly() async throws {
        let db = try AppDatabase.open(path: path)
        let a = Fixtures.ticket(root: dir.path)
        let b = Fixtures.ticket(root: dir.path)
        try await db.storeTicket(a, in: .placing)
        try await db.storeTicket(b, in: .matching)
        let seqs = try await db.events(ticketId: a.ticketId).map(\.seq)
        #expect(seqs == Array(1...seqs.count))
        #expect(try await db.events(ticketId: b.ticketId).map(\.seq) == [1, 2, 3])
        #expect(try await db.events(ticketId: a.ticketId, since: 3).map(\.seq) == Array(4...seqs.count))
        await #expect(throws: DatabaseError.self) {
            try await db.writer.write { try $0.execute(sql: "UPDATE ticketEvent SET type = 'x'") }
        }
        await #expect(throws: DatabaseError.self) {
            try await db.writer.write { try $0.execute(sql: "DELETE FROM ticketEvent") }
        }
        await #expect(throws: DatabaseError.self) {
            try await db.writer.write {
                try $0.execute(
                    sql: "INSERT INTO ticketEvent (ticketId, seq, type, payload, createdAt) VALUES (?, 2, 'progress', '{}', '2026-01-01')",
                    arguments: [a.ticketId])
            }
        }
        #expect(try await db.events(ticketId: a.ticketId).map(\.seq) == seqs)
    }

    @Test("tickets submitted at once are committed together: every one stored with its created event, a repeated id stored once")
    func groupCommit() async throws {
        let db = try AppDatabase.open(path: path)
        let tickets = (0..<200).map { Fixtures.ticket(id: "batch-\($0)", root: dir.path) }
        let outcomes = try await withThrowingTaskGroup(of: (String, Bool).self) { group in
            for ticket in tickets + [tickets[7], tickets[42]] {
                group.addTask { (ticket.ticketId, try await db.insertTicket(ticket, submittedJSON: Fixtures.json(ticket)).created) }
            }
            return try await group.reduce(into: [(String, Bool)]()) { $0.append($1) }
        }
        #expect(outcomes.count == 202)
        #expect(outcomes.filter(\.1).count == 200, "each id created once")
        #expect(Set(outcomes.filter { !$0.1 }.map(\.0)) == ["batch-7", "batch-42"])
        let page = try await db.tickets(limit: 500, offset: 0)
        #expect(page.total == 200)
        for id in ["batch-0", "batch-7", "batch-199"] {
            #expect(try await db.events(ticketId: id).map(\.type) == [.created])
        }
    }
}
