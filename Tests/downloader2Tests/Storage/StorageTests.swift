import Foundation
import GRDB
@testable import Storage
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
        #expect(try await db.appliedMigrations() == ["v1-ticket", "v1-ticketEvent", "v1-candidate", "v1-downloadFile", "v2-ticketTorrent", "v3-blocklist", "v4-setting"])
        try await db.ping()
    }

    @Test("inserting is idempotent on ticket_id and never replaces the stored ticket")
    func idempotentInsert() async throws {
        let db = try AppDatabase.open(path: path)
        let ticket = Fixtures.ticket(root: dir.path)
        let first = try await db.insertTicket(ticket, submittedJSON: Fixtures.json(ticket))
        #expect(first.created && first.change.events.map(\.type) == [.created])
        var changed = ticket
        changed.search.album = "Kid A"
        let second = try await db.insertTicket(changed, submittedJSON: Fixtures.json(changed))
        #expect(!second.created && second.change.events.isEmpty)
        #expect(second.change.ticket.ticket.search.album == "OK Computer")
        #expect(try await db.events(ticketId: ticket.ticketId).count == 1)
        #expect(try await db.tickets(limit: 10, offset: 0).total == 1)
    }

    @Test("every legal edge of the table works through the store, with a state_change event", arguments: Array(TicketTransitions.table.keys).sorted())
    func everyLegalEdgeThroughTheStore(from: TicketStateName) async throws {
        let db = try AppDatabase.inMemory()
        for to in TicketTransitions.table[from]!.sorted() {
            let ticket = Fixtures.ticket(root: dir.path)
            let before = try await db.storeTicket(ticket, in: from)
            #expect(before.state.name == from)
            let lastSeq = try await db.events(ticketId: ticket.ticketId).last!.seq
            let change = try await db.updateTicket(id: ticket.ticketId) { _ in TicketUpdate(state: Fixtures.state(to)) }
            #expect(change.ticket.state.name == to)
            #expect(change.events.first?.type == .stateChange)
            #expect(change.events.first?.seq == lastSeq + 1)
            #expect(change.events.first?.payload["old_state"] == .string(from.rawValue))
            #expect(change.events.first?.payload["new_state"] == .string(to.rawValue))
            #expect(try await db.ticket(id: ticket.ticketId)?.state.name == to)
        }
    }

    @Test("an illegal change throws and writes nothing")
    func illegalChangeWritesNothing() async throws {
        let db = try AppDatabase.open(path: path)
        let ticket = Fixtures.ticket(root: dir.path)
        try await db.storeTicket(ticket, in: .completed)
        let eventsBefore = try await db.events(ticketId: ticket.ticketId)
        await #expect(throws: StorageError.illegalTransition(ticketId: ticket.ticketId, IllegalTransition(from: .completed, to: .pending))) {
            try await db.updateTicket(id: ticket.ticketId) { _ in TicketUpdate(state: Fixtures.state(.pending)) }
        }
        #expect(try await db.ticket(id: ticket.ticketId)?.state.name == .completed)
        #expect(try await db.events(ticketId: ticket.ticketId) == eventsBefore)
        await #expect(throws: StorageError.ticketNotFound("nope")) {
            try await db.updateTicket(id: "nope") { _ in TicketUpdate(state: Fixtures.state(.searching)) }
        }
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
                try $0.execute(sql: "INSERT INTO ticketEvent (ticketId, seq, type, payload, createdAt) VALUES (?, 2, 'progress', '{}', '2026-01-01')", arguments: [a.ticketId])
            }
        }
        #expect(try await db.events(ticketId: a.ticketId).map(\.seq) == seqs)
    }

    @Test("only the last three errors are kept, the latest as error_message")
    func errorHistoryIsBounded() async throws {
        let db = try AppDatabase.inMemory()
        let ticket = Fixtures.ticket(root: dir.path)
        try await db.storeTicket(ticket)
        for i in 1...5 {
            _ = try await db.updateTicket(id: ticket.ticketId) { _ in TicketUpdate(state: Fixtures.state(.searching)) }
            _ = try await db.updateTicket(id: ticket.ticketId) { t in
                TicketUpdate(
                    state: .pending(.init(since: Date())),
                    error: TicketErrorEntry(timestamp: Date(), state: .searching, code: "e\(i)", message: "error \(i)", retryCount: t.retryCount),
                    retryCount: i)
            }
        }
        let stored = try #require(try await db.ticket(id: ticket.ticketId))
        #expect(stored.errorHistory.map(\.code) == ["e3", "e4", "e5"])
        #expect(stored.errorMessage == "error 5")
        #expect(stored.retryCount == 5)
    }

    @Test("claiming takes priority first, then age, skips backoff and busy tickets, and moves the ticket in the same write")
    func claimOrder() async throws {
        let db = try AppDatabase.inMemory()
        let old = Fixtures.ticket(id: "old", root: dir.path)
        let urgent = Fixtures.ticket(id: "urgent", root: dir.path, priority: 5)
        let waiting = Fixtures.ticket(id: "waiting", root: dir.path, priority: 9)
        _ = try await db.insertTicket(old, submittedJSON: Fixtures.json(old), at: Date(timeIntervalSinceNow: -100))
        _ = try await db.insertTicket(urgent, submittedJSON: Fixtures.json(urgent))
        _ = try await db.insertTicket(waiting, submittedJSON: Fixtures.json(waiting))
        _ = try await db.updateTicket(id: "waiting") { _ in TicketUpdate(state: Fixtures.state(.searching)) }
        let later = Date(timeIntervalSinceNow: 3600)
        _ = try await db.updateTicket(id: "waiting") { _ in TicketUpdate(state: Fixtures.state(.pending), waitUntil: later) }

        let claim: @Sendable (StoredTicket) -> TicketUpdate = { _ in TicketUpdate(state: Fixtures.state(.searching)) }
        #expect(try await db.claimNextTicket(inStates: [.pending], claim)?.ticket.id == "urgent")
        #expect(try await db.claimNextTicket(inStates: [.pending], excluding: ["old"], claim) == nil)
        #expect(try await db.claimNextTicket(inStates: [.pending], claim)?.ticket.id == "old")
        #expect(try await db.claimNextTicket(inStates: [.pending], claim) == nil)
        #expect(try await db.nextWakeTime(inStates: [.pending]).map { abs($0.timeIntervalSince(later)) < 0.01 } == true)
        #expect(try await db.claimNextTicket(inStates: [.pending], excluding: [], at: later.addingTimeInterval(1), claim)?.ticket.id == "waiting")
    }

    @Test("listing filters by state, pages newest first, and counts all matches")
    func listing() async throws {
        let db = try AppDatabase.inMemory()
        for i in 0..<7 {
            let t = Fixtures.ticket(id: "t\(i)", root: dir.path)
            _ = try await db.insertTicket(t, submittedJSON: Fixtures.json(t), at: Date(timeIntervalSince1970: 1_000_000 + Double(i)))
        }
        try await db.storeTicket(Fixtures.ticket(id: "c", root: dir.path), in: .cancelled)
        let page = try await db.tickets(inStates: [.pending], limit: 3, offset: 2)
        #expect(page.total == 7)
        #expect(page.tickets.map(\.id) == ["t4", "t3", "t2"])
        #expect(try await db.tickets(inStates: [.cancelled, .failed], limit: 10, offset: 0).tickets.map(\.id) == ["c"])
        let stats = try await db.queueStats()
        #expect(stats.countByState == [.pending: 7, .cancelled: 1] && stats.total == 8)
        #expect(stats.oldestPendingCreatedAt == Date(timeIntervalSince1970: 1_000_000))
    }

    @Test("candidates and download files are stored per ticket")
    func candidatesAndFiles() async throws {
        let db = try AppDatabase.open(path: path)
        let ticket = Fixtures.ticket(root: dir.path)
        try await db.storeTicket(ticket)
        try await db.saveCandidates(ticketId: ticket.ticketId, [Fixtures.candidate(1), Fixtures.candidate(2)], scores: [0.4, 0.8])
        #expect(try await db.candidates(ticketId: ticket.ticketId).map(\.title) == [Fixtures.candidate(2).title, Fixtures.candidate(1).title])
        try await db.saveCandidates(ticketId: ticket.ticketId, [Fixtures.candidate(3)])
        #expect(try await db.candidates(ticketId: ticket.ticketId).count == 1)
        let file = DownloadFileRecord(ticketId: ticket.ticketId, path: "/x/01.flac", size: 123, type: "audio", sha256: String(repeating: "a", count: 64), verifiedAt: Date())
        try await db.recordDownloadFile(file)
        try await db.recordDownloadFile(file)
        #expect(try await db.downloadFiles(ticketId: ticket.ticketId).map(\.path) == ["/x/01.flac"])
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
