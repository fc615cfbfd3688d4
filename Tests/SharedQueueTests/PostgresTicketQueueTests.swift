import Foundation
import Logging
import PostgresNIO
import SharedQueue
import Synchronization
import Testing

/// The shared queue against a real PostgreSQL 15 started for each test (`PostgresServer`).
@Suite("Shared queue on PostgreSQL: claims, leases, fencing, events", .serialized)
struct PostgresTicketQueueTests {
    let logger = Logger(label: "shared-queue-test")

    /// A server for one test, stopped and removed afterwards whether the test passes or throws.
    func withServer(_ body: (PostgresServer) async throws -> Void) async throws {
        let server = try await PostgresServer.start()
        do {
            try await body(server)
        } catch {
            await server.stop()
            throw error
        }
        await server.stop()
    }

    /// A server and a migrated queue on it.
    func withQueue(_ body: (PostgresServer, PostgresTicketQueue) async throws -> Void) async throws {
        try await withServer { server in
            try await server.withClient { client in
                let queue = PostgresTicketQueue(client: client, logger: logger)
                try await queue.migrate()
                try await body(server, queue)
            }
        }
    }

    @Test("migrations apply once, also when four nodes start at the same moment")
    func migrationsRaceSafely() async throws {
        try await withServer { server in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<4 {
                    group.addTask {
                        try await server.withClient { client in try await PostgresTicketQueue(client: client, logger: self.logger).migrate() }
                    }
                }
                try await group.waitForAll()
            }
            try await server.withClient { client in
                let queue = PostgresTicketQueue(client: client, logger: logger)
                #expect(try await queue.appliedMigrations() == ["v1-tickets-leases-events"])
                try await queue.migrate()
                #expect(try await queue.appliedMigrations() == ["v1-tickets-leases-events"])
            }
        }
    }

    @Test("two nodes claiming 60 tickets at once: each ticket is claimed exactly once, most urgent first")
    func claimsAreExclusive() async throws {
        try await withQueue { server, queue in
            for n in 0..<60 { try await queue.insert(ticketId: String(format: "t%02d", n), ticketJSON: "{}", priority: n == 59 ? 10 : 0) }
            #expect(try await queue.insert(ticketId: "t00", ticketJSON: #"{"other":true}"#) == false, "an existing id keeps its ticket")
            // Each node claims through its own client (its own connections), as two processes would.
            let ready = Heard()
            let claimed = try await withThrowingTaskGroup(of: [String].self) { group in
                for node in ["node-a", "node-b"] {
                    group.addTask {
                        try await server.withClient { client in
                            let mine = PostgresTicketQueue(client: client, logger: self.logger)
                            // Both nodes connected before either claims, so neither finishes before the other starts.
                            _ = try await mine.appliedMigrations()
                            ready.connected.add(1, ordering: .relaxed)
                            while ready.connected.load(ordering: .relaxed) < 2 { try await Task.sleep(for: .milliseconds(5)) }
                            var ids: [String] = []
                            while let lease = try await mine.claim(node: node, leaseSecs: 60, movingTo: "searching") {
                                #expect(lease.node == node && lease.version == 1 && lease.state == "searching")
                                ids.append(lease.ticketId)
                                try await Task.sleep(for: .milliseconds(5))   // a little work per ticket
                            }
                            return ids
                        }
                    }
                }
                var all: [[String]] = []
                for try await ids in group { all.append(ids) }
                return all
            }
            let everything = claimed.flatMap { $0 }
            #expect(everything.count == 60)
            #expect(Set(everything).count == 60, "no ticket was claimed twice")
            #expect(claimed.allSatisfy { !$0.isEmpty }, "both nodes took work: \(claimed.map(\.count))")
            #expect(claimed.contains { $0.first == "t59" }, "the highest priority went first")
            let nodes = try await queue.nodes()
            #expect(nodes.isEmpty, "no heartbeat yet: \(nodes)")
        }
    }

    @Test("a lease that is not renewed expires; another node takes the ticket over in its last state, and the first node is fenced off")
    func expiredLeaseIsTakenOver() async throws {
        try await withQueue { _, queue in
            try await queue.insert(ticketId: "album", ticketJSON: #"{"ticket_id":"album"}"#)
            let first = try #require(try await queue.claim(node: "node-a", leaseSecs: 3, movingTo: "searching"))
            try await queue.transition(first, to: "downloading", release: false, eventPayload: #"{"to":"downloading"}"#)
            try await queue.renew(first, leaseSecs: 3)
            #expect(try await queue.claim(node: "node-b", leaseSecs: 30, movingTo: "searching") == nil, "a live lease is not taken")
            try await queue.heartbeat(node: "node-a")
            #expect(try await queue.nodes().map(\.tickets) == [["album"]])
            // node-a stops renewing (SIGKILL, power loss).
            try await Task.sleep(for: .milliseconds(3_500))
            let second = try #require(try await queue.claim(node: "node-b", leaseSecs: 30, movingTo: "searching"))
            #expect(second.ticketId == "album" && second.version == first.version + 1)
            #expect(second.state == "downloading", "taken over from its last safe state, not started again")
            // Whatever node-a still tries is refused: it lost the lease.
            await #expect(throws: PostgresTicketQueue.QueueError.leaseLost(ticketId: "album", node: "node-a", version: first.version)) {
                try await queue.renew(first, leaseSecs: 30)
            }
            await #expect(throws: PostgresTicketQueue.QueueError.self) {
                try await queue.transition(first, to: "failed", release: true)
            }
            await #expect(throws: PostgresTicketQueue.QueueError.self) {
                try await queue.appendEvent(first, type: "progress", payload: #"{"percent":50}"#)
            }
            try await queue.transition(second, to: "completed", release: true, eventPayload: #"{"to":"completed"}"#)
            let stored = try #require(try await queue.ticket(id: "album"))
            #expect(stored.state == "completed" && stored.leaseNode == nil)
            #expect(try await queue.claim(node: "node-b", leaseSecs: 30, movingTo: "searching") == nil, "a finished ticket is not claimed")
            let types = try await queue.events(ticketId: "album").map(\.type)
            #expect(types == ["created", "claimed", "state_change", "claimed", "state_change"])
        }
    }

    @Test("events are announced with LISTEN/NOTIFY to a listener on another connection, in order, and replayed with since")
    func eventsAreAnnounced() async throws {
        try await withQueue { server, queue in
            try await queue.insert(ticketId: "live", ticketJSON: "{}")
            let lease = try #require(try await queue.claim(node: "node-b", leaseSecs: 30, movingTo: "downloading"))
            let heard = Heard()
            try await withThrowingTaskGroup(of: Void.self) { group in
                // The listener: another client, as a WebSocket client's node would have.
                group.addTask {
                    try await server.withClient { client in
                        try await client.withConnection { connection in
                            try await connection.listen(on: PostgresTicketQueue.eventChannel) { notifications in
                                heard.listening.store(true, ordering: .releasing)
                                for try await notification in notifications {
                                    let count = heard.payloads.withLock { heard in
                                        heard.append(notification.payload)
                                        return heard.count
                                    }
                                    if count == 5 { return }
                                }
                            }
                        }
                    }
                }
                while !heard.listening.load(ordering: .acquiring) { try await Task.sleep(for: .milliseconds(20)) }
                try await Task.sleep(for: .milliseconds(200))
                for percent in [10, 40, 70, 100] {
                    try await queue.appendEvent(lease, type: "progress", payload: #"{"percent":\#(percent)}"#)
                }
                try await queue.transition(lease, to: "converting", release: false)
                try await group.waitForAll()
            }
            #expect(heard.payloads.withLock { $0 } == ["live\t3", "live\t4", "live\t5", "live\t6", "live\t7"])
            let replay = try await queue.events(ticketId: "live", since: 4)
            #expect(replay.map(\.seq) == [5, 6, 7] && replay.map(\.type) == ["progress", "progress", "state_change"])
            #expect(replay.first?.payload == #"{"percent":70}"#)
        }
    }

    @Test("PostgreSQL stopped for 3 s: a call made meanwhile waits, then succeeds once it is back; nothing is lost or claimed twice")
    func survivesAnOutage() async throws {
        try await withQueue { server, queue in
            try await queue.insert(ticketId: "kept", ticketJSON: #"{"ticket_id":"kept"}"#)
            try await server.stopServer()
            let started = ContinuousClock.now
            async let during = queue.insert(ticketId: "during", ticketJSON: #"{"ticket_id":"during"}"#)
            try await Task.sleep(for: .seconds(3))
            try await server.restart()
            #expect(try await during, "the insert made while the server was down is stored once it is back")
            #expect(ContinuousClock.now - started >= .seconds(3))
            let first = try #require(try await queue.claim(node: "node-a", leaseSecs: 30, movingTo: "searching"))
            let second = try #require(try await queue.claim(node: "node-a", leaseSecs: 30, movingTo: "searching"))
            #expect([first.ticketId, second.ticketId] == ["kept", "during"])
            #expect(first.ticketJSON == #"{"ticket_id":"kept"}"#)
            #expect(try await queue.claim(node: "node-a", leaseSecs: 30, movingTo: "searching") == nil)
            #expect(try await queue.events(ticketId: "during").map(\.type) == ["created", "claimed"])
        }
    }
}

/// What concurrent parts of a test share: what a listener heard, whether it listens, how many nodes are connected.
final class Heard: Sendable {
    let payloads = Mutex<[String]>([])
    let listening = Atomic<Bool>(false)
    let connected = Atomic<Int>(0)
}
