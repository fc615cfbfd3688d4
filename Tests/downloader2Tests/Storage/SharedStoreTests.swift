import Foundation
import Pipeline
import Storage
import Synchronization
import Testing
import Tickets
import Torrent

/// What only a store shared by several nodes does, against a real PostgreSQL 15: migrations raced by
/// nodes starting together, exclusive claims, leases that expire and are taken over, fencing, events
/// announced across nodes, duplicates kept on one node, and an outage.
@Suite("Shared store on PostgreSQL: nodes, leases, fencing, announcements", .system, .timeLimit(.minutes(3)))
struct SharedStoreTests {
    let dir = TemporaryDirectory()
    let toSearching: @Sendable (StoredTicket) -> TicketUpdate = { _ in TicketUpdate(state: Fixtures.state(.searching)) }

    func submit(_ store: any TicketStore, _ id: String, album: String? = nil) async throws {
        var ticket = Fixtures.ticket(id: id, root: dir.path)
        if let album { ticket.search.album = album }
        _ = try await store.insertTicket(ticket, submittedJSON: Fixtures.json(ticket))
    }

    @Test("migrations apply once, also when four nodes start at the same moment")
    func migrationsRace() async throws {
        try await StoreOpener.with(.postgres) { opener in
            let stores = try await withThrowingTaskGroup(of: PostgresStore.self) { group in
                for n in 0..<4 { group.addTask { try await opener.openPostgres(node: "node-\(n)") } }
                return try await group.reduce(into: [PostgresStore]()) { $0.append($1) }
            }
            for store in stores { #expect(try await store.appliedMigrations() == ["v1-store", "v2-waiting"]) }
            #expect(Set(try await stores[0].nodes().map(\.id)) == ["node-0", "node-1", "node-2", "node-3"])
        }
    }

    @Test("two nodes claiming 40 tickets at once: each ticket is claimed exactly once, and both take work")
    func exclusiveClaims() async throws {
        try await StoreOpener.with(.postgres) { opener in
            let a = try await opener.openPostgres(node: "node-a")
            let b = try await opener.openPostgres(node: "node-b")
            // Distinct albums: no duplicate rule keeps any of them on one node.
            for n in 0..<40 { try await submit(a, String(format: "t%02d", n), album: "Album \(n)") }
            let firstClaims = SharedCount()
            let claims = try await withThrowingTaskGroup(of: [String].self) { group in
                for store in [a, b] {
                    group.addTask {
                        var mine: [String] = []
                        if let first = try await store.claimNextTicket(inStates: [.pending], self.toSearching) { mine.append(first.ticket.id) }
                        firstClaims.value.withLock { $0 += 1 }
                        // Each node's first claim is in (its lease held) before either goes on: on a loaded
                        // machine one node's loop once claimed all 40 before the other's first call ran ([40, 0]).
                        while firstClaims.value.withLock({ $0 }) < 2 { await Task.yield() }
                        while let claimed = try await store.claimNextTicket(inStates: [.pending], self.toSearching) { mine.append(claimed.ticket.id) }
                        return mine
                    }
                }
                return try await group.reduce(into: [[String]]()) { $0.append($1) }
            }
            let all = claims.flatMap { $0 }
            #expect(all.count == 40 && Set(all).count == 40, "every ticket claimed once")
            #expect(claims.allSatisfy { !$0.isEmpty }, "both nodes took work: \(claims.map(\.count))")
            let nodes = try await a.nodes()
            #expect(nodes.map(\.tickets.count).reduce(0, +) == 40, "each claim is a live lease")
        }
    }

    @Test("a node that stops renewing loses its tickets to another node, which resumes them; the old node's writes are refused")
    func takeoverAndFencing() async throws {
        try await StoreOpener.with(.postgres) { opener in
            // Leases of 30 s, and node B's view of the database clock moved on past them when the test
            // says so: no lease expires by itself while the test runs, however slow the machine.
            let a = try await opener.openPostgres(node: "node-a", leaseSecs: 30)
            let b = try await opener.openPostgres(node: "node-b", leaseSecs: 30)
            try await submit(a, "kept")
            try await submit(a, "lost", album: "Kid A")
            #expect(try await a.claimNextTicket(inStates: [.pending], toSearching)?.ticket.id == "kept")
            #expect(try await a.claimNextTicket(inStates: [.pending], toSearching)?.ticket.id == "lost")

            // While node A renews, nothing is taken over, even 20 s later by B's clock.
            for _ in 0..<4 {
                #expect(try await a.heartbeat().isEmpty)
                b.advanceClock(by: 5)
                #expect(try await b.recoverInterruptedTickets().isEmpty)
            }

            // A stops renewing; once the leases have expired (31 s later by B's clock), B takes both over.
            b.advanceClock(by: 31 - 20)
            let taken = try await b.recoverInterruptedTickets()
            #expect(Set(taken.map(\.ticket.id)) == ["kept", "lost"])
            let recovered = try #require(taken.first?.events.last)
            #expect(
                recovered.type == .recovered && recovered.payload["node"] == .string("node-a")
                    && recovered.payload["reason"] == .string("lease_expired"))
            #expect(try await b.ticket(id: "lost")?.state.name == .pending)
            #expect(try await b.nodes().first { $0.id == "node-b" }?.tickets == [], "a recovered ticket has no worker: no lease")

            // A's late write is refused and writes nothing; its next heartbeat reports both leases lost.
            let before = try await a.events(ticketId: "lost")
            await #expect(throws: StorageError.leaseLost(ticketId: "lost", node: "node-a")) {
                try await a.updateTicket(id: "lost") { _ in TicketUpdate(state: Fixtures.state(.matching)) }
            }
            #expect(try await a.events(ticketId: "lost").count == before.count)
            #expect(try await a.heartbeat() == ["kept"], "'lost' was already found lost by the refused write")

            // B claims them again under a new lease; A cannot claim a ticket B holds.
            #expect(try await b.claimNextTicket(inStates: [.pending], toSearching) != nil)
            #expect(try await b.claimNextTicket(inStates: [.pending], toSearching) != nil)
            #expect(try await a.claimNextTicket(inStates: [.pending], toSearching) == nil)
            #expect(try await b.nodes().first { $0.id == "node-b" }?.tickets == ["kept", "lost"])
        }
    }

    @Test("a download taken over goes back to its approval unleased, and the next claim (on any node) downloads it again")
    func takenOverDownloadIsClaimable() async throws {
        try await StoreOpener.with(.postgres) { opener in
            let a = try await opener.openPostgres(node: "node-a", leaseSecs: 30)
            let b = try await opener.openPostgres(node: "node-b", leaseSecs: 30)
            let ticket = Fixtures.ticket(id: "dl", root: dir.path)
            try await a.storeTicket(ticket, in: .downloading)
            #expect(try await b.recoverInterruptedTickets().isEmpty, "A's lease runs")
            b.advanceClock(by: 31)
            #expect(try await b.recoverInterruptedTickets().map(\.ticket.state.name) == [.autoApproved])
            #expect(try await b.heartbeat().isEmpty)
            let toDownloading: @Sendable (StoredTicket) -> TicketUpdate = { _ in TicketUpdate(state: Fixtures.state(.downloading)) }
            let claimed = try await a.claimNextTicket(inStates: [.autoApproved], toDownloading)
            #expect(claimed?.ticket.id == "dl", "the ticket is free: even the node it was taken from may claim it again")
            #expect(try await a.nodes().first { $0.id == "node-a" }?.tickets == ["dl"], "(read by A: B's clock is past A's new lease)")
        }
    }

    @Test("a torrent whose ticket another node holds leaves this node's engine with its files kept; one this node holds stays")
    func torrentsHeldElsewhereLeave() async throws {
        try await StoreOpener.with(.postgres) { opener in
            let a = try await opener.openPostgres(node: "node-a")
            let b = try await opener.openPostgres(node: "node-b")
            let engine = try TorrentSession(settings: .loopback())
            try await withRunning([engine]) {
                // Node A's engine has two releases (restored at its start, say): one for a ticket node B
                // took over, one for its own ticket.
                var hashes: [String: String] = [:]
                for (store, id) in [(b, "theirs"), (a, "mine")] as [(PostgresStore, String)] {
                    let folder = try ReleaseFixture.write(in: dir.file("dl/\(id)"), name: "Release \(id)", files: [("01.flac", 200_000)])
                    let torrent = try TorrentCreator.create(from: folder, pieceSize: 16384, kind: .v1Only)
                    let hash = try await engine.add(torrentFile: torrent, savePath: dir.file("dl/\(id)"), seedMode: true)
                    hashes[id] = hash
                    var ticket = Fixtures.ticket(id: id, root: dir.path)
                    ticket.search.album = "Album \(id)"
                    _ = try await store.storeTicket(ticket, in: .autoApproved)
                    _ = try await store.updateTicket(id: id) { _ in TicketUpdate(state: .downloading(.init(torrentHash: hash, startedAt: Date()))) }
                }
                #expect(try await a.ticketsHeldByOtherNodes() == ["theirs"])
                #expect(try await b.ticketsHeldByOtherNodes() == ["mine"])

                let cleaner = PayloadCleaner(
                    torrents: engine, database: a, downloadRoot: dir.file("dl"), keepPayload: false,
                    heldElsewhere: { try? await a.ticketsHeldByOtherNodes() })
                #expect(await cleaner.releaseTorrentsHeldElsewhere() == [hashes["theirs"]!])
                #expect(await engine.torrents == [hashes["mine"]!])
                #expect(FileManager.default.fileExists(atPath: dir.file("dl/theirs/Release theirs/01.flac")), "the files stay for node B")
                // One node alone (no shared store): nothing is ever held elsewhere.
                let alone = PayloadCleaner(torrents: engine, database: a, downloadRoot: dir.file("dl"), keepPayload: false)
                #expect(await alone.releaseTorrentsHeldElsewhere().isEmpty)
                #expect(await engine.torrents == [hashes["mine"]!])
            }
        }
    }

    @Test("an operator's cancel on another node ends the lease: the working node learns it at its next heartbeat")
    func cancelAcrossNodes() async throws {
        try await StoreOpener.with(.postgres) { opener in
            let a = try await opener.openPostgres(node: "node-a")
            let b = try await opener.openPostgres(node: "node-b")
            try await submit(a, "t")
            _ = try await a.claimNextTicket(inStates: [.pending], toSearching)
            // B may not put A's ticket back to work, but may end it.
            await #expect(throws: StorageError.leaseLost(ticketId: "t", node: "node-b")) {
                try await b.updateTicket(id: "t") { _ in TicketUpdate(state: Fixtures.state(.matching)) }
            }
            _ = try await b.updateTicket(id: "t") { _ in TicketUpdate(state: Fixtures.state(.cancelled)) }
            #expect(try await a.heartbeat() == ["t"])
            #expect(try await a.ticket(id: "t")?.state.name == .cancelled)
        }
    }

    @Test("events one node stores are announced to the others, and their cached views go stale")
    func announcements() async throws {
        try await StoreOpener.with(.postgres) { opener in
            let a = try await opener.openPostgres(node: "node-a")
            let b = try await opener.openPostgres(node: "node-b")
            // A hears what is stored once its LISTEN is active.
            #expect(await eventually(within: 30) { a.isListening }, "node A's LISTEN became active")
            let generation = a.ticketGeneration
            try await submit(b, "t")
            _ = try await b.claimNextTicket(inStates: [.pending], toSearching)
            let heard = try await firstElements(2, of: a.announcements, within: 30, "announcements heard by A")
            #expect(heard == [TicketAnnouncement(ticketId: "t", seq: 1, node: "node-b"), TicketAnnouncement(ticketId: "t", seq: 2, node: "node-b")])
            #expect(a.ticketGeneration > generation)
            #expect(try await a.events(ticketId: "t").map(\.type) == [.created, .stateChange])
        }
    }

    @Test("a ticket for an album another live node works on (or completed) is left to that node")
    func duplicatesStayOnOneNode() async throws {
        try await StoreOpener.with(.postgres) { opener in
            let a = try await opener.openPostgres(node: "node-a")
            let b = try await opener.openPostgres(node: "node-b")
            try await submit(a, "first")
            try await submit(b, "second")
            #expect(try await a.claimNextTicket(inStates: [.pending], toSearching)?.ticket.id == "first")
            #expect(try await b.claimNextTicket(inStates: [.pending], toSearching) == nil, "node A holds the same album")
            // A's worker stops at the approval (a retry after a failure): the lease ends, but A takes
            // the album up again, so the duplicate still waits for A.
            for step: TicketStateName in [.matching, .autoApproved] {
                _ = try await a.updateTicket(id: "first") { _ in TicketUpdate(state: Fixtures.state(step)) }
            }
            await a.workEnded(ticketId: "first")
            #expect(try await a.nodes().first { $0.id == "node-a" }?.tickets == [], "no lease at the approval")
            #expect(try await b.claimNextTicket(inStates: [.pending], toSearching) == nil, "node A approved the same album")
            // A completes it: the album is on A, so the duplicate still waits for A.
            for step: TicketStateName in [.downloading, .converting, .placing, .completed] {
                _ = try await a.updateTicket(id: "first") { _ in TicketUpdate(state: Fixtures.state(step)) }
            }
            #expect(try await b.claimNextTicket(inStates: [.pending], toSearching) == nil, "node A has the album")
            #expect(try await a.claimNextTicket(inStates: [.pending], toSearching)?.ticket.id == "second")
        }
    }

    @Test(
        "after an outage longer than a lease, a node that lived through it is not taken for dead: its leases and its albums stay its own until it could renew"
    )
    func outageIsNoDeath() async throws {
        try await StoreOpener.with(.postgres) { opener in
            let server = try #require(opener.server)
            // 30 s leases: none expires by itself while the test runs, however loaded the machine;
            // node B's clock is moved on instead (its view of the database clock and the monotonic
            // clock it keeps the outage on, ``PostgresStore/advanceClock(by:)``).
            let a = try await opener.openPostgres(node: "node-a", leaseSecs: 30, timeout: .seconds(2))
            let b = try await opener.openPostgres(node: "node-b", leaseSecs: 30, timeout: .seconds(2))
            try await submit(a, "held")
            try await submit(b, "duplicate")
            #expect(try await a.claimNextTicket(inStates: [.pending], toSearching)?.ticket.id == "held")
            // PostgreSQL is away for longer than a lease: nobody can renew, every lease expires.
            try await server.stopServer()
            await #expect(throws: StorageError.self) { _ = try await b.heartbeat() }
            b.advanceClock(by: 35)
            try await server.restart()
            var back = false
            for _ in 0..<50 where !back {
                back = (try? await b.heartbeat()) != nil
                // A retry interval while the restarted server comes up (bounded: 50 tries).
                if !back { try await Task.sleep(for: .milliseconds(200)) }
            }
            #expect(back, "node B reaches PostgreSQL again")
            // Node B is back first; node A's lease has expired in B's view, but it is still A's, and so is its album.
            #expect(try await b.recoverInterruptedTickets().isEmpty, "no takeover right after an outage")
            #expect(try await b.claimNextTicket(inStates: [.pending], toSearching) == nil, "the duplicate stays with node A")
            // Node A reconnects and renews: nothing was lost, its write goes through.
            var renewed: Set<String>?
            for _ in 0..<50 where renewed == nil {
                renewed = try? await a.heartbeat()
                // A retry interval while node A's pool reconnects (bounded: 50 tries).
                if renewed == nil { try await Task.sleep(for: .milliseconds(200)) }
            }
            #expect(renewed == [], "node A kept its lease")
            _ = try await a.updateTicket(id: "held") { _ in TicketUpdate(state: Fixtures.state(.matching)) }
            // The trust lasts a lease plus the outage's length (at least 30 + 35 s on B's clock from
            // when B was back). 40 s on, A's renewed lease has expired in B's view and B still trusts
            // it: 25 s of margin for the real time these steps take on a loaded machine.
            b.advanceClock(by: 40)
            #expect(try await b.recoverInterruptedTickets().isEmpty, "node A's expired lease is still trusted")
            // The trust is for a while only (at most a lease plus 60 s): a node that never comes back is
            // taken over after it.
            b.advanceClock(by: 120)
            let taken = try await b.recoverInterruptedTickets()
            #expect(taken.map(\.ticket.id) == ["held"] && taken.first?.events.last?.payload["node"] == .string("node-a"))
        }
    }

    @Test("PostgreSQL stopped: calls fail as unavailable within the timeout, nothing is lost, and work goes on once it is back")
    func outage() async throws {
        try await StoreOpener.with(.postgres) { opener in
            let server = try #require(opener.server)
            let a = try await opener.openPostgres(node: "node-a", timeout: .seconds(2))
            let b = try await opener.openPostgres(node: "node-b", timeout: .seconds(2))
            try await submit(a, "t")
            try await server.stopServer()
            let started = ContinuousClock.now
            do {
                _ = try await a.ticket(id: "t")
                Issue.record("a read succeeded with PostgreSQL stopped")
            } catch let error as StorageError {
                guard case .unavailable = error else { throw error }
            }
            #expect(ContinuousClock.now - started < .seconds(4))
            await #expect(throws: StorageError.self) { try await b.setSetting("paused_all", "true") }
            try await server.restart()
            // Back: the stored ticket is there, and the listener, reconnected, hears B's events again.
            var ticket: StoredTicket?
            for _ in 0..<50 where ticket == nil {
                ticket = try? await a.ticket(id: "t")
                // A retry interval while the restarted server comes up (bounded: 50 tries).
                if ticket == nil { try await Task.sleep(for: .milliseconds(200)) }
            }
            #expect(ticket?.state.name == .pending)
            _ = try await b.claimNextTicket(inStates: [.pending], toSearching)
            let heard = try await firstElements(
                1, of: a.announcements.filter { $0.ticketId == "t" && $0.seq == 2 }, within: 60, "B's claim announced to A")
            #expect(heard.first?.node == "node-b")
        }
    }
}

/// A count the tasks of one test share.
private final class SharedCount: Sendable {
    let value = Mutex(0)
}
