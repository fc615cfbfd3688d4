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
    /// Several nodes: the events other nodes stored, relayed by `ClusterMembership`.
    let remote: EventBus?

    public init(database: any TicketStore, bus: EventBus, remote: EventBus? = nil) {
        self.database = database
        self.bus = bus
        self.remote = remote
    }

    /// Runs until `send` throws or the task is cancelled.
    public func run(ticketId: String?, since: Int, send: @escaping @Sendable (TicketEvent) async throws -> Void) async throws {
        let live = bus.subscribe()
        guard let remote else {
            try await deliver(live, ticketId: ticketId, since: since, reordered: false, send: send)
            return
        }
        // This node's events and the other nodes', in one stream (both subscribed before the replay).
        let others = remote.subscribe()
        let (merged, sink) = AsyncStream<TicketEvent>.makeStream(bufferingPolicy: .bufferingNewest(4096))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { for await event in live { sink.yield(event) } }
            group.addTask { for await event in others { sink.yield(event) } }
            group.addTask { try await self.deliver(merged, ticketId: ticketId, since: since, reordered: true, send: send) }
            defer { group.cancelAll() }
            try await group.next()
        }
    }

    private func deliver(
        _ live: AsyncStream<TicketEvent>, ticketId: String?, since: Int, reordered: Bool, send: (TicketEvent) async throws -> Void
    ) async throws {
        var delivered: [String: Int] = [:]
        // Following every ticket "from now on": a ticket's events stored after this moment are all
        // due, even when a later one arrives first (another node's event comes through the store's
        // announcement, this node's straight from its bus, so a claim here can overtake the
        // creation there; `reordered`: two streams are merged). The margin covers stored times kept to the second and a little clock skew.
        let from = Date().addingTimeInterval(-2)
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
            if reordered, last == nil, ticketId == nil, event.seq > 1 {
                // The first event of this ticket seen here is not its first: send the earlier ones
                // stored since the subscription, so the order holds and none is dropped later as old.
                for earlier in try await database.events(ticketId: event.ticketId, since: 0) where earlier.seq < event.seq && earlier.at >= from {
                    try await send(earlier)
                }
            }
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
