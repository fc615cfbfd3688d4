import Foundation
import Logging
import ServiceLifecycle
import Storage
import Tickets

/// A node's part in a shared store (several nodes, one PostgreSQL): the heartbeat that renews its
/// leases, the takeover of dead nodes' tickets, and other nodes' events relayed to this node.
///
/// Every third of a lease period it records the heartbeat and renews the leases; tickets whose lease
/// was lost stop here (`Orchestrator.leaseLost`). Then it takes over tickets whose lease expired (the
/// node stopped renewing: killed, powered off, cut off for longer than a lease). While the database is
/// away the beats fail, the workers' writes fail as `unavailable` and no ticket is claimed; all of it
/// resumes when the database answers again.
public struct ClusterMembership: Service {
    let store: any SharedTicketStore
    let orchestrator: Orchestrator
    /// Where other nodes' events go: the WebSocket feed reads them beside this node's own.
    let remoteEvents: EventBus
    let logger: Logger

    public init(store: any SharedTicketStore, orchestrator: Orchestrator, remoteEvents: EventBus, logger: Logger) {
        self.store = store
        self.orchestrator = orchestrator
        self.remoteEvents = remoteEvents
        self.logger = logger
    }

    public func run() async throws {
        await withDiscardingTaskGroup { group in
            group.addTask { await self.relayAnnouncements() }
            group.addTask { await self.beat() }
            await withGracefulShutdownHandler {
                try? await Task.sleep(for: .seconds(Int64.max / 4))
            } onGracefulShutdown: {
            }
            group.cancelAll()
        }
    }

    /// The heartbeat loop, until cancelled.
    func beat() async {
        let period = Duration.milliseconds(Int64(store.leaseSecs * 1000 / 3))
        var failing = false
        while !Task.isCancelled {
            do {
                let lost = try await store.heartbeat()
                if !lost.isEmpty { await orchestrator.leaseLost(lost) }
                try await orchestrator.takeOverExpiredTickets()
                if failing { logger.notice("node \(store.nodeId): the shared database answers again") }
                failing = false
            } catch is CancellationError {
                return
            } catch {
                if !failing { logger.error("node \(store.nodeId): heartbeat failed (\(error)); no ticket is claimed until the database answers") }
                failing = true
            }
            try? await Task.sleep(for: period)
        }
    }

    /// Reads each event another node announces and publishes it here; wakes the claim loop, since the
    /// event may have made a ticket ready (a takeover, an approval on another node).
    func relayAnnouncements() async {
        for await announcement in store.announcements {
            if Task.isCancelled { return }
            if let events = try? await store.events(ticketId: announcement.ticketId, since: announcement.seq - 1) {
                remoteEvents.publish(events.filter { $0.seq == announcement.seq })
            }
            orchestrator.wakeUp()
        }
    }
}
