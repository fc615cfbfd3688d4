import Foundation
import Storage
import Testing
import Tickets

@Suite("Restart recovery")
struct RecoveryTests {
    let dir = TemporaryDirectory()
    var path: String { dir.file("downloader2.db") }

    @Test("a ticket approved by a person resumes as approved, keeping who approved it")
    func manualApprovalSurvives() async throws {
        do {
            let db = try AppDatabase.open(path: path)
            let ticket = Fixtures.ticket(id: "manual", root: dir.path)
            try await db.storeTicket(ticket, in: .approved)
            _ = try await db.updateTicket(id: "manual") { _ in TicketUpdate(state: Fixtures.state(.downloading)) }
        }
        let db = try AppDatabase.open(path: path)
        _ = try await db.recoverInterruptedTickets()
        guard case .approved(let approval) = try await db.ticket(id: "manual")?.state else {
            Issue.record("expected approved")
            return
        }
        #expect(approval.approvedBy == "tester" && approval.selected == Fixtures.scored(1))
    }

    @Test("a stored row that no longer decodes is reported, not silently dropped")
    func corruptRowIsReported() async throws {
        let db = try AppDatabase.open(path: path)
        try await db.storeTicket(Fixtures.ticket(id: "bad", root: dir.path))
        try await db.writer.write { try $0.execute(sql: "UPDATE ticket SET state = 'exploded' WHERE id = 'bad'") }
        await #expect(throws: StorageError.corruptRow(ticketId: "bad", reason: "unknown state 'exploded'")) {
            try await db.ticket(id: "bad")
        }
    }
}
