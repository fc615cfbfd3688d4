import Foundation
import Storage
import Synchronization
import Tickets
import Torrent

/// A torrent in the engine with the tickets that used it (`GET /torrents`, the Seeding view, the
/// disk budget, the gauges).
public struct SeedingEntry: Sendable {
    public var torrent: SeedingState
    /// Ticket id → its state, every ticket whose download is this torrent.
    public var tickets: [String: TicketStateName]
    /// False when the store did not answer: nothing may then be removed on the strength of `tickets`.
    public var ticketsKnown: Bool

    /// Complete, and every ticket that used it is known to be finished: the payload is there for seeding alone.
    public var keptForSeeding: Bool { ticketsKnown && torrent.isComplete && tickets.values.allSatisfy(\.isTerminal) }
    /// Kept for seeding and still short of its goal.
    public var shortOfGoal: Bool { keptForSeeding && !torrent.goalMet }

    public init(torrent: SeedingState, tickets: [String: TicketStateName]?) {
        self.torrent = torrent
        self.tickets = tickets ?? [:]
        ticketsKnown = tickets != nil
    }

    /// What is left of the goal, as people read it: "ratio 0.42 or 51 h 12 min to go".
    public var remainingText: String {
        let (ratio, secs) = torrent.remaining
        var parts: [String] = []
        if let ratio, ratio > 0 { parts.append(String(format: "ratio %.2f", ratio)) }
        if let secs, secs > 0 { parts.append("\(secs / 3600) h \(secs % 3600 / 60) min") }
        if torrent.goal.forever { return "seeds without end" }
        return parts.isEmpty ? "nothing" : parts.joined(separator: " or ") + " to go"
    }
}

public enum SeedingOverview {
    /// Every torrent in `torrents`, with its tickets (unknown when the store does not answer).
    public static func entries(torrents: TorrentSession, database: any TicketStore) async -> [SeedingEntry] {
        var entries: [SeedingEntry] = []
        for state in await torrents.seedingStates() {
            entries.append(SeedingEntry(torrent: state, tickets: try? await database.ticketStates(holdingTorrent: state.infoHash)))
        }
        return entries
    }
}

/// What the payload cleaner found at its last sweep about the room kept for seeding: what the health
/// checks and `GET /torrents` say about the disk budget.
public final class SeedingBudgetReport: Sendable {
    public struct Verdict: Sendable {
        public var checkedAt: Date
        /// Bytes of payload kept for seeding alone (after any removal of this sweep).
        public var keptBytes: Int64
        /// `[seeding] max_disk_gb` in bytes; 0 = no budget.
        public var budgetBytes: Int64
        /// Over the budget with nothing left that may go: the torrents still short of their goal.
        public var overBudgetShortOfGoal: [SeedingEntry]
    }

    private let last = Mutex<Verdict?>(nil)

    public init() {}

    public var verdict: Verdict? { last.withLock { $0 } }
    func record(_ verdict: Verdict) { last.withLock { $0 = verdict } }
}
