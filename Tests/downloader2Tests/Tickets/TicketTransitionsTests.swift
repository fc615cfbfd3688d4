import Testing
import Tickets

@Suite("State machine")
struct TicketTransitionsTests {
    /// The edges as written down independently of the table: the forward edges of docs/ARCHITECTURE.md, failure and
    /// cancel from every live state, and the three documented kinds of backward edge.
    static let expectedEdges: Set<String> = {
        var edges: Set<String> = [
            "pending>searching", "searching>matching", "matching>needs_approval", "matching>auto_approved",
            "needs_approval>approved", "needs_approval>rejected", "auto_approved>downloading", "approved>downloading",
            "downloading>converting", "converting>placing", "placing>completed",
            // verification refused the release and nothing is left to fall back to
            "downloading>needs_approval",
            // wanted: searched again on a schedule, force-searched, given up
            "searching>wanted", "wanted>searching", "wanted>pending", "wanted>failed", "wanted>cancelled",
            // pause and resume
            "downloading>paused", "converting>paused", "approved>paused", "auto_approved>paused", "paused>approved", "paused>auto_approved",
            "paused>cancelled",
            // recovery and backoff
            "searching>pending", "matching>pending",
            "downloading>approved", "downloading>auto_approved", "converting>approved", "converting>auto_approved",
            "placing>approved", "placing>auto_approved",
            // retry
            "failed>pending", "failed>approved", "failed>auto_approved",
            // force-search
            "needs_approval>pending", "rejected>pending",
        ]
        for live in ["pending", "searching", "matching", "needs_approval", "auto_approved", "approved", "downloading", "converting", "placing"] {
            edges.insert("\(live)>failed")
            edges.insert("\(live)>cancelled")
        }
        return edges
    }()

    @Test("the table holds exactly the documented edges")
    func tableMatchesDocumentedEdges() {
        var actual: Set<String> = []
        for (from, targets) in TicketTransitions.table {
            for to in targets { actual.insert("\(from.rawValue)>\(to.rawValue)") }
        }
        #expect(actual == Self.expectedEdges)
        #expect(Set(TicketTransitions.table.keys) == Set(TicketStateName.allCases))
    }

    @Test("every pair outside the table throws, naming both states", arguments: TicketStateName.allCases)
    func illegalPairsThrow(from: TicketStateName) {
        for to in TicketStateName.allCases where !Self.expectedEdges.contains("\(from.rawValue)>\(to.rawValue)") {
            #expect(throws: IllegalTransition(from: from, to: to)) { try TicketTransitions.check(from: from, to: to) }
            let message = IllegalTransition(from: from, to: to).description
            #expect(message.contains(from.rawValue) && message.contains(to.rawValue))
        }
    }

    @Test("completed and cancelled have no way out; terminal states are exactly the four of docs/ARCHITECTURE.md")
    func terminalStates() {
        #expect(TicketTransitions.table[.completed]!.isEmpty)
        #expect(TicketTransitions.table[.cancelled]!.isEmpty)
        #expect(Set(TicketStateName.allCases.filter(\.isTerminal)) == [.completed, .rejected, .failed, .cancelled])
        #expect(Set(TicketStateName.allCases.filter(\.isTransient)) == [.searching, .matching, .downloading, .converting, .placing])
        #expect(IllegalTransition(from: .completed, to: .pending).description.contains("final"))
    }

    @Test("a sample of illegal requests: skipping stages, reviving finished tickets")
    func sampleOfIllegalEdges() {
        let illegal: [(TicketStateName, TicketStateName)] = [
            (.pending, .downloading), (.pending, .completed), (.searching, .approved), (.needsApproval, .downloading),
            (.completed, .pending), (.cancelled, .pending), (.rejected, .approved), (.failed, .completed), (.placing, .pending),
            (.autoApproved, .approved), (.approved, .needsApproval),
        ]
        for (from, to) in illegal {
            #expect(!TicketTransitions.isLegal(from: from, to: to), "\(from) → \(to) must be illegal")
        }
    }

    @Test("state details round-trip through their stored JSON", arguments: TicketStateName.allCases)
    func detailsRoundTrip(name: TicketStateName) throws {
        let state = Fixtures.state(name)
        let decoded = try TicketState(name: name, detailsJSON: state.detailsJSON())
        #expect(decoded.name == name)
        #expect(try decoded.detailsJSON() == state.detailsJSON())
    }
}
