import Foundation
@testable import Storage
import Testing
import Tickets

@Suite("Restart recovery")
struct RecoveryTests {
    let dir = TemporaryDirectory()
    var path: String { dir.file("downloader2.db") }

    @Test("after reopening the file, tickets left mid-stage go back to a resumable state with a recovered event")
    func interruptedTicketsResume() async throws {
        // Given tickets in every state, written by a process that then disappears without closing
        var ids: [TicketStateName: String] = [:]
        do {
            let db = try AppDatabase.open(path: path)
            for state in TicketStateName.allCases {
                let ticket = Fixtures.ticket(id: "in-\(state.rawValue)", root: dir.path)
                try await db.storeTicket(ticket, in: state)
                ids[state] = ticket.ticketId
            }
        }

        // When a new process opens the same file and recovers
        let reopened = try AppDatabase.open(path: path)
        let changes = try await reopened.recoverInterruptedTickets()

        // Then exactly the transient ones moved, each to where its work can restart
        #expect(Set(changes.map(\.ticket.id)) == Set(TicketStateName.allCases.filter(\.isTransient).map { ids[$0]! }))
        let expected: [TicketStateName: TicketStateName] = [
            .searching: .pending, .matching: .pending,
            .downloading: .autoApproved, .converting: .autoApproved, .placing: .autoApproved,
        ]
        for state in TicketStateName.allCases {
            let stored = try #require(try await reopened.ticket(id: ids[state]!))
            #expect(stored.state.name == expected[state] ?? state, "ticket that was \(state)")
            let events = try await reopened.events(ticketId: ids[state]!)
            if let resumed = expected[state] {
                let recovered = try #require(events.last)
                #expect(recovered.type == .recovered)
                #expect(recovered.payload["interrupted_state"] == .string(state.rawValue))
                #expect(recovered.payload["resumed_state"] == .string(resumed.rawValue))
                #expect(events.dropLast().last?.type == .stateChange)
            } else {
                #expect(!events.contains { $0.type == .recovered })
            }
        }
        // The approval survives: a resumed download still knows which release was chosen.
        let resumed = try #require(try await reopened.ticket(id: ids[.converting]!))
        #expect(resumed.state.selectedCandidate == Fixtures.scored(0))

        // And a second start finds nothing more to recover
        #expect(try await AppDatabase.open(path: path).recoverInterruptedTickets().isEmpty)
    }

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
