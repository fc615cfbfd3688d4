import Foundation
import Pipeline
import Storage
import Tickets

/// One client's view of the event history: stored events after `since`, then live ones, each stored
/// event exactly once and in `seq` order per ticket.
///
/// It subscribes to the bus before reading the store, so nothing committed in between is missed;
/// an event already replayed is skipped when the bus delivers it too; and a gap in a ticket's
/// sequence (a slow client whose bus buffer overflowed) is filled from the store. Progress
/// snapshots are memory-only (`seq` 0) and pass straight through.
public struct EventFeed: Sendable {
    let database: any TicketStore
    let bus: EventBus

    public init(database: any TicketStore, bus: EventBus) {
        self.database = database
        self.bus = bus
    }

    /// Runs until `send` throws or the task is cancelled.
    public func run(ticketId: String?, since: Int, send: (TicketEvent) async throws -> Void) async throws {
        let live = bus.subscribe()
        var delivered: [String: Int] = [:]
        if let ticketId {
            delivered[ticketId] = since
            for event in try await database.events(ticketId: ticketId, since: since) {
                try await send(event)
                delivered[ticketId] = event.seq
            }
        }
        for await event in live {
            try Task.checkCancellation()
            if let ticketId, event.ticketId != ticketId { continue }
            guard event.seq > 0 else {
                try await send(event)
                continue
            }
            let last = delivered[event.ticketId]
            if let last, event.seq <= last { continue }
            if let last, event.seq > last + 1 {
                for missed in try await database.events(ticketId: event.ticketId, since: last) where missed.seq < event.seq {
                    try await send(missed)
                }
            }
            try await send(event)
            delivered[event.ticketId] = event.seq
        }
    }
}
