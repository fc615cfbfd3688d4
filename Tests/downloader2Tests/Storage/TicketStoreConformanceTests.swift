import Foundation
import Storage
import Testing
import Tickets

/// One suite, two stores: every query the service makes and every rule of the store, against SQLite
/// (a real file) and PostgreSQL (a real PostgreSQL 15 started for each test).
// A time limit on every test: a hang is reported with its test's name, not as a silent CI timeout.
@Suite("TicketStore conformance: SQLite and PostgreSQL behave alike", .timeLimit(.minutes(3)))
struct TicketStoreConformanceTests {
    let dir = TemporaryDirectory()

    /// An event as stored: times are kept to the millisecond by SQLite and the microsecond by PostgreSQL.
    struct Essence: Equatable {
        var ticketId: String
        var seq: Int
        var type: TicketEventType
        var payload: JSONValue
    }

    static func essence(_ event: TicketEvent) -> Essence {
        Essence(ticketId: event.ticketId, seq: event.seq, type: event.type, payload: event.payload)
    }

    @Test("inserting is idempotent on ticket_id and never replaces the stored ticket", arguments: Backend.tested)
    func idempotentInsert(_ backend: Backend) async throws {
        try await StoreOpener.with(backend) { opener in
            let db = try await opener.open()
            let ticket = Fixtures.ticket(root: dir.path)
            let first = try await db.insertTicket(ticket, submittedJSON: Fixtures.json(ticket))
            #expect(first.created && first.change.events.map(\.type) == [.created])
            var changed = ticket
            changed.search.album = "Kid A"
            let second = try await db.insertTicket(changed, submittedJSON: Fixtures.json(changed))
            #expect(!second.created && second.change.events.isEmpty)
            #expect(second.change.ticket.ticket.search.album == "OK Computer")
            #expect(second.change.ticket.submittedJSON == Fixtures.json(ticket))
            #expect(try await db.events(ticketId: ticket.ticketId).count == 1)
            #expect(try await db.tickets(limit: 10, offset: 0).total == 1)
            try await db.ping()
        }
    }

    @Test("every legal edge of the transition table works through the store, with a state_change event", arguments: Backend.tested)
    func everyLegalEdge(_ backend: Backend) async throws {
        try await StoreOpener.with(backend) { opener in
            let db = try await opener.open()
            for from in TicketTransitions.table.keys.sorted() {
                for to in TicketTransitions.table[from]!.sorted() {
                    let ticket = Fixtures.ticket(root: dir.path)
                    let before = try await db.storeTicket(ticket, in: from)
                    #expect(before.state.name == from)
                    let lastSeq = try await db.events(ticketId: ticket.ticketId).last!.seq
                    let change = try await db.updateTicket(id: ticket.ticketId) { _ in TicketUpdate(state: Fixtures.state(to)) }
                    #expect(change.ticket.state.name == to)
                    #expect(change.events.first?.type == .stateChange)
                    #expect(change.events.first?.seq == lastSeq + 1)
                    #expect(change.events.first?.payload["old_state"] == .string(from.rawValue))
                    #expect(change.events.first?.payload["new_state"] == .string(to.rawValue))
                    #expect(try await db.ticket(id: ticket.ticketId)?.state == change.ticket.state, "\(from) → \(to)")
                    let stored = try await db.events(ticketId: ticket.ticketId).suffix(change.events.count).map(Self.essence)
                    #expect(stored == change.events.map(Self.essence), "\(stored) vs \(change.events.map(Self.essence))")
                }
            }
        }
    }

    @Test("an illegal change throws and writes nothing; an unknown id is named", arguments: Backend.tested)
    func illegalChangeWritesNothing(_ backend: Backend) async throws {
        try await StoreOpener.with(backend) { opener in
            let db = try await opener.open()
            let ticket = Fixtures.ticket(root: dir.path)
            try await db.storeTicket(ticket, in: .completed)
            let eventsBefore = try await db.events(ticketId: ticket.ticketId)
            await #expect(throws: StorageError.illegalTransition(ticketId: ticket.ticketId, IllegalTransition(from: .completed, to: .pending))) {
                try await db.updateTicket(id: ticket.ticketId) { _ in TicketUpdate(state: Fixtures.state(.pending)) }
            }
            #expect(try await db.ticket(id: ticket.ticketId)?.state.name == .completed)
            #expect(try await db.events(ticketId: ticket.ticketId) == eventsBefore)
            await #expect(throws: StorageError.ticketNotFound("nope")) {
                try await db.updateTicket(id: "nope") { _ in TicketUpdate(state: Fixtures.state(.searching)) }
            }
            #expect(try await db.ticket(id: "nope") == nil)
            #expect(try await db.ticketWithEvents(id: "nope") == nil)
        }
    }

    @Test("events: seq increases from 1 per ticket, `since` replays the rest, ticket and events read together", arguments: Backend.tested)
    func events(_ backend: Backend) async throws {
        try await StoreOpener.with(backend) { opener in
            let db = try await opener.open()
            let a = Fixtures.ticket(root: dir.path)
            let b = Fixtures.ticket(root: dir.path)
            try await db.storeTicket(a, in: .placing)
            try await db.storeTicket(b, in: .matching)
            let seqs = try await db.events(ticketId: a.ticketId).map(\.seq)
            #expect(seqs == Array(1...seqs.count))
            #expect(try await db.events(ticketId: b.ticketId).map(\.seq) == [1, 2, 3])
            #expect(try await db.events(ticketId: a.ticketId, since: 3).map(\.seq) == Array(4...seqs.count))
            let both = try #require(try await db.ticketWithEvents(id: a.ticketId))
            #expect(both.ticket.state.name == .placing && both.events.map(\.seq) == seqs)
            // An event recorded while the ticket stays where it is, and one refused because it moved on.
            let verified = try await db.recordEvent(ticketId: b.ticketId, type: .verified, payload: .object(["ok": .bool(true)]), whileIn: .matching)
            #expect(verified.events.map(\.seq) == [4] && verified.events.first?.payload["ok"] == .bool(true))
            await #expect(throws: StorageError.illegalTransition(ticketId: b.ticketId, IllegalTransition(from: .matching, to: .downloading))) {
                try await db.recordEvent(ticketId: b.ticketId, type: .verified, payload: .object([:]), whileIn: .downloading)
            }
            #expect(try await db.events(ticketId: b.ticketId).last.map(Self.essence) == verified.events.last.map(Self.essence))
        }
    }

    @Test("only the last three errors are kept, the latest as error_message", arguments: Backend.tested)
    func errorHistoryIsBounded(_ backend: Backend) async throws {
        try await StoreOpener.with(backend) { opener in
            let db = try await opener.open()
            let ticket = Fixtures.ticket(root: dir.path)
            try await db.storeTicket(ticket)
            for i in 1...5 {
                _ = try await db.updateTicket(id: ticket.ticketId) { _ in TicketUpdate(state: Fixtures.state(.searching)) }
                _ = try await db.updateTicket(id: ticket.ticketId) { t in
                    TicketUpdate(
                        state: .pending(.init(since: Date())),
                        error: TicketErrorEntry(timestamp: Date(), state: .searching, code: "e\(i)", message: "error \(i)", retryCount: t.retryCount),
                        retryCount: i)
                }
            }
            let stored = try #require(try await db.ticket(id: ticket.ticketId))
            #expect(stored.errorHistory.map(\.code) == ["e3", "e4", "e5"])
            #expect(stored.errorMessage == "error 5")
            #expect(stored.retryCount == 5)
        }
    }

    @Test(
        "claiming takes priority first, then age, skips backoff and busy tickets, and moves the ticket in the same write", arguments: Backend.tested
    )
    func claimOrder(_ backend: Backend) async throws {
        try await StoreOpener.with(backend) { opener in
            let db = try await opener.open()
            let old = Fixtures.ticket(id: "old", root: dir.path)
            let urgent = Fixtures.ticket(id: "urgent", root: dir.path, priority: 5)
            let waiting = Fixtures.ticket(id: "waiting", root: dir.path, priority: 9)
            _ = try await db.insertTicket(old, submittedJSON: Fixtures.json(old), at: Date(timeIntervalSinceNow: -100))
            _ = try await db.insertTicket(urgent, submittedJSON: Fixtures.json(urgent))
            _ = try await db.insertTicket(waiting, submittedJSON: Fixtures.json(waiting))
            _ = try await db.updateTicket(id: "waiting") { _ in TicketUpdate(state: Fixtures.state(.searching)) }
            let later = Date(timeIntervalSinceNow: 3600)
            _ = try await db.updateTicket(id: "waiting") { _ in TicketUpdate(state: Fixtures.state(.pending), waitUntil: later) }

            let claim: @Sendable (StoredTicket) -> TicketUpdate = { _ in TicketUpdate(state: Fixtures.state(.searching)) }
            let first = try await db.claimNextTicket(inStates: [.pending], claim)
            #expect(first?.ticket.id == "urgent" && first?.ticket.state.name == .searching)
            #expect(try await db.ticket(id: "urgent")?.state.name == .searching)
            #expect(try await db.claimNextTicket(inStates: [.pending], excluding: ["old"], claim) == nil)
            #expect(try await db.claimNextTicket(inStates: [.pending], claim)?.ticket.id == "old")
            #expect(try await db.claimNextTicket(inStates: [.pending], claim) == nil)
            #expect(try await db.nextWakeTime(inStates: [.pending]).map { abs($0.timeIntervalSince(later)) < 0.01 } == true)
            #expect(try await db.claimNextTicket(inStates: [.pending], excluding: [], at: later.addingTimeInterval(1), claim)?.ticket.id == "waiting")
            #expect(try await db.nextWakeTime(inStates: [.pending]) == nil)
        }
    }

    @Test(
        "claiming across states takes the best of all of them (priority, then age, then id); the next wake-up counts only their backoffs",
        arguments: Backend.tested)
    func claimAcrossStates(_ backend: Backend) async throws {
        try await StoreOpener.with(backend) { opener in
            let db = try await opener.open()
            let now = Date()
            // Each its own album: duplicates of one album follow each other, which is not what is tested here.
            func ticket(_ id: String, priority: Int? = nil) -> Ticket {
                var ticket = Fixtures.ticket(id: id, root: dir.path, priority: priority)
                ticket.search.album = "Album \(id)"
                return ticket
            }
            try await db.storeTicket(ticket("a-pending"), in: .pending, createdAt: now.addingTimeInterval(-50))
            try await db.storeTicket(ticket("b-approved"), in: .approved, createdAt: now.addingTimeInterval(-100))
            // (Not auto_approved: on PostgreSQL a ticket walked there keeps the lease its search took.)
            try await db.storeTicket(ticket("d-pending", priority: 2), in: .pending, createdAt: now)
            try await db.storeTicket(ticket("c-wanted", priority: 2), in: .wanted, createdAt: now)
            // Not claimable, and its backoff is not one the queue waits for.
            try await db.storeTicket(ticket("e-searching", priority: 9), in: .pending, createdAt: now.addingTimeInterval(-200))
            _ = try await db.updateTicket(id: "e-searching") { _ in
                TicketUpdate(state: Fixtures.state(.searching), waitUntil: now.addingTimeInterval(5))
            }
            let states: Set<TicketStateName> = [.pending, .approved, .autoApproved, .wanted]
            #expect(try await db.nextWakeTime(inStates: states) == nil)

            let claim: @Sendable (StoredTicket) -> TicketUpdate = { ticket in
                TicketUpdate(state: Fixtures.state(ticket.state.selectedCandidate == nil ? .searching : .downloading))
            }
            var order: [String] = []
            while let claimed = try await db.claimNextTicket(inStates: states, claim) { order.append(claimed.ticket.id) }
            #expect(order == ["c-wanted", "d-pending", "b-approved", "a-pending"])

            let later = now.addingTimeInterval(600)
            _ = try await db.updateTicket(id: "a-pending") { _ in TicketUpdate(state: Fixtures.state(.pending), waitUntil: later) }
            #expect(try await db.nextWakeTime(inStates: states).map { abs($0.timeIntervalSince(later)) < 0.01 } == true)
        }
    }

    @Test("listing filters by state, pages newest first, and counts all matches; queue figures", arguments: Backend.tested)
    func listing(_ backend: Backend) async throws {
        try await StoreOpener.with(backend) { opener in
            let db = try await opener.open()
            for i in 0..<7 {
                let t = Fixtures.ticket(id: "t\(i)", root: dir.path)
                _ = try await db.insertTicket(t, submittedJSON: Fixtures.json(t), at: Date(timeIntervalSince1970: 1_000_000 + Double(i)))
            }
            try await db.storeTicket(Fixtures.ticket(id: "c", root: dir.path), in: .cancelled)
            let page = try await db.tickets(inStates: [.pending], limit: 3, offset: 2)
            #expect(page.total == 7)
            #expect(page.tickets.map(\.id) == ["t4", "t3", "t2"])
            #expect(try await db.tickets(inStates: [.cancelled, .failed], limit: 10, offset: 0).tickets.map(\.id) == ["c"])
            #expect(try await db.tickets(limit: 2, offset: 0).tickets.map(\.id).count == 2)
            let stats = try await db.queueStats()
            #expect(stats.countByState == [.pending: 7, .cancelled: 1] && stats.total == 8)
            #expect(stats.oldestPendingCreatedAt == Date(timeIntervalSince1970: 1_000_000))
        }
    }

    @Test("candidates, download files and their recorded hashes are stored per ticket", arguments: Backend.tested)
    func candidatesAndFiles(_ backend: Backend) async throws {
        try await StoreOpener.with(backend) { opener in
            let db = try await opener.open()
            let ticket = Fixtures.ticket(root: dir.path)
            try await db.storeTicket(ticket)
            try await db.saveCandidates(ticketId: ticket.ticketId, [Fixtures.candidate(1), Fixtures.candidate(2)], scores: [0.4, 0.8])
            #expect(try await db.candidates(ticketId: ticket.ticketId) == [Fixtures.candidate(2), Fixtures.candidate(1)])
            try await db.saveCandidates(ticketId: ticket.ticketId, [Fixtures.candidate(3)])
            #expect(try await db.candidates(ticketId: ticket.ticketId) == [Fixtures.candidate(3)])
            var file = DownloadFileRecord(
                ticketId: ticket.ticketId, path: "/x/01.flac", size: 123, type: "audio", sha256: String(repeating: "a", count: 64), verifiedAt: nil)
            try await db.recordDownloadFile(file)
            file.sha256 = String(repeating: "b", count: 64)
            file.size = 456
            try await db.recordDownloadFile(file)
            try await db.recordDownloadFile(
                DownloadFileRecord(ticketId: ticket.ticketId, path: "/x/00.log", size: 9, type: "log", sha256: nil, verifiedAt: nil))
            let files = try await db.downloadFiles(ticketId: ticket.ticketId)
            #expect(files.map(\.path) == ["/x/00.log", "/x/01.flac"])
            #expect(files.last?.size == 456 && files.last?.type == "audio")
            #expect(
                try await db.recordedHashes(paths: ["/x/01.flac", "/x/00.log", "/elsewhere"]) == ["/x/01.flac": String(repeating: "b", count: 64)])
        }
    }

    @Test(
        "who holds a torrent: the chosen release and the download, not a candidate listed; duplicates find the release", arguments: Backend.tested)
    func holders(_ backend: Backend) async throws {
        try await StoreOpener.with(backend) { opener in
            let db = try await opener.open()
            let listed = Fixtures.candidate(0).infoHash
            let other = Fixtures.candidate(1).infoHash
            let browsing = try await db.storeTicket(Fixtures.ticket(root: dir.path), in: .needsApproval)
            #expect(try await db.ticketStates(holdingTorrent: listed).isEmpty)
            let chooser = try await db.storeTicket(Fixtures.ticket(root: dir.path), in: .downloading)
            #expect(try await db.ticketStates(holdingTorrent: listed.uppercased()) == [chooser.id: .downloading])
            try await db.updateTicket(id: browsing.id) { _ in TicketUpdate(state: Fixtures.state(.approved)) }
            #expect(try await db.ticketStates(holdingTorrent: other) == [browsing.id: .approved])
            #expect(Set(try await db.ticketsWithRelease(excluding: "x").map(\.id)) == [browsing.id, chooser.id])
            #expect(try await db.ticketsWithRelease(excluding: chooser.id).map(\.id) == [browsing.id])
            try await db.updateTicket(id: chooser.id) { _ in TicketUpdate(state: Fixtures.state(.failed)) }
            #expect(try await db.ticketStates(holdingTorrent: listed) == [chooser.id: .failed])
            #expect(try await db.ticketsWithRelease(excluding: "x").map(\.id) == [browsing.id], "a failed ticket is not followed")
        }
    }

    @Test("state details refresh without an event; an operator's query is set with one", arguments: Backend.tested)
    func refreshAndQuery(_ backend: Backend) async throws {
        try await StoreOpener.with(backend) { opener in
            let db = try await opener.open()
            let ticket = Fixtures.ticket(root: dir.path)
            try await db.storeTicket(ticket, in: .downloading)
            let events = try await db.events(ticketId: ticket.ticketId)
            let generation = db.ticketGeneration
            let progress = TicketState.downloading(.init(torrentHash: Fixtures.candidate(0).infoHash, progressPct: 50, startedAt: Date()))
            #expect(try await db.refreshStateDetails(ticketId: ticket.ticketId, progress))
            #expect(db.ticketGeneration > generation)
            guard case .downloading(let details)? = try await db.ticket(id: ticket.ticketId)?.state else {
                Issue.record("expected downloading")
                return
            }
            #expect(details.progressPct == 50)
            #expect(try await db.events(ticketId: ticket.ticketId) == events)
            #expect(try await db.refreshStateDetails(ticketId: ticket.ticketId, Fixtures.state(.converting)) == false)

            let waiting = Fixtures.ticket(root: dir.path)
            try await db.storeTicket(waiting, in: .needsApproval)
            let set = try await db.setSearchQuery(ticketId: waiting.ticketId, query: "radiohead okc", whileIn: .needsApproval)
            #expect(set.ticket.searchQuery == "radiohead okc" && set.events.map(\.type) == [.searchQuerySet])
            #expect(try await db.ticket(id: waiting.ticketId)?.searchQuery == "radiohead okc")
        }
    }

    @Test("blocklist and settings", arguments: Backend.tested)
    func blocklistAndSettings(_ backend: Backend) async throws {
        try await StoreOpener.with(backend) { opener in
            let db = try await opener.open()
            let first = BlocklistEntry(
                infoHash: "AA" + String(repeating: "0", count: 38), title: "Fake", reason: "transcode", evidence: .object(["cutoff": .number(16000)]),
                artist: "Radiohead", album: "OK Computer", source: "verify", ticketId: "t1", createdAt: Date(timeIntervalSince1970: 2_000_000))
            let second = BlocklistEntry(
                infoHash: String(repeating: "b", count: 40), title: nil, reason: "operator", evidence: .object([:]),
                artist: nil, album: nil, source: "operator", ticketId: nil, createdAt: Date(timeIntervalSince1970: 2_000_100))
            try await db.addToBlocklist(first)
            try await db.addToBlocklist(second)
            #expect(try await db.blocklist().map(\.infoHash) == [second.infoHash, first.infoHash.lowercased()])
            #expect(try await db.blocklist().last?.evidence == first.evidence)
            #expect(try await db.isBlocklisted(infoHash: first.infoHash.uppercased()))
            #expect(try await db.blockedHashes(artist: "Radiohead", album: "OK Computer").contains(first.infoHash.lowercased()))
            #expect(try await db.removeFromBlocklist(infoHash: first.infoHash))
            #expect(try await db.removeFromBlocklist(infoHash: first.infoHash) == false)
            #expect(try await db.blocklist().map(\.infoHash) == [second.infoHash])

            #expect(try await db.setting("paused_all") == nil)
            try await db.setSetting("paused_all", "true")
            try await db.setSetting("paused_all", "false")
            #expect(try await db.setting("paused_all") == "false")
        }
    }

    @Test(
        "a store opened again (a restart) puts tickets left mid-stage back where their work can start, with a recovered event",
        arguments: Backend.tested)
    func interruptedTicketsResume(_ backend: Backend) async throws {
        try await StoreOpener.with(backend) { opener in
            var ids: [TicketStateName: String] = [:]
            do {
                let db = try await opener.open()
                for state in TicketStateName.allCases {
                    let ticket = Fixtures.ticket(id: "in-\(state.rawValue)", root: dir.path)
                    try await db.storeTicket(ticket, in: state)
                    ids[state] = ticket.ticketId
                }
            }
            let reopened = try await opener.open()
            let changes = try await reopened.recoverInterruptedTickets()
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
                } else {
                    #expect(!events.contains { $0.type == .recovered })
                }
            }
            #expect(try await reopened.ticket(id: ids[.converting]!)?.state.selectedCandidate == Fixtures.scored(0))
            #expect(try await opener.open().recoverInterruptedTickets().isEmpty)
        }
    }
}
