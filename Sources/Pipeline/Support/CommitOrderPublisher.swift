import Synchronization
import Tickets

/// Publishes each ticket's stored events in the order their transactions committed.
///
/// A write commits in the store, then its caller resumes and publishes. Two writes on one ticket
/// (a submission and the worker's claim of the ticket it just stored, a stage's move and an
/// operator's cancel) can resume in the other order, and a subscriber would see `state_change`
/// seq 2 before `created` seq 1. So every write that stores events is bracketed by ``begin(_:)`` and
/// ``end(_:publishing:)``: while a write on a ticket is on its way, that ticket's events wait here,
/// and when the last one comes back they go out sorted by `seq`. A write that does not know its
/// ticket beforehand (a claim, start-up recovery) holds every ticket's events while it runs.
///
/// Nothing waits on a timer: events wait only for writes that have not returned, and every write
/// returns (or throws, which ends it with nothing to publish). Progress snapshots (seq 0) are not
/// stored and go straight to the bus.
public final class CommitOrderPublisher: Sendable {
    private struct State {
        var writing: [String: Int] = [:]
        var writingAnyTicket = 0
        var held: [String: [TicketEvent]] = [:]
    }

    private let bus: EventBus
    private let state = Mutex(State())

    public init(bus: EventBus) {
        self.bus = bus
    }

    /// A write is about to be made on `ticketId` (nil: on a ticket it will choose).
    public func begin(_ ticketId: String?) {
        state.withLock { state in
            if let ticketId { state.writing[ticketId, default: 0] += 1 } else { state.writingAnyTicket += 1 }
        }
    }

    /// The write begun for `ticketId` returned (or failed, with no events); its events, and any
    /// held for tickets no other write is on, are published in `seq` order.
    public func end(_ ticketId: String?, publishing events: [TicketEvent]) {
        // Published under the lock, so that two ends cannot publish in the other order.
        state.withLock { state in
            if let ticketId {
                let left = (state.writing[ticketId] ?? 1) - 1
                state.writing[ticketId] = left > 0 ? left : nil
            } else {
                state.writingAnyTicket = max(0, state.writingAnyTicket - 1)
            }
            for event in events { state.held[event.ticketId, default: []].append(event) }
            guard state.writingAnyTicket == 0 else { return }
            for ticket in state.held.keys where state.writing[ticket] == nil {
                let ready = state.held.removeValue(forKey: ticket) ?? []
                bus.publish(ready.sorted { $0.seq < $1.seq })
            }
        }
    }

    /// A progress snapshot: not stored, so never held.
    public func publishProgress(_ event: TicketEvent) {
        bus.publish(event)
    }

}
