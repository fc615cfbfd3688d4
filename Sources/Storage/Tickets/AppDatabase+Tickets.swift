import Foundation
import GRDB
import Tickets

extension AppDatabase {
    /// Stores a new ticket as `pending` with a `created` event, or returns the one already stored
    /// under the same `ticket_id` (submission is idempotent; the stored ticket is never replaced).
    public func insertTicket(_ ticket: Ticket, submittedJSON: String, at now: Date) async throws -> (change: TicketChange, created: Bool) {
        try await inserts.insert(ticket, submittedJSON: submittedJSON, at: now)
    }

    /// One ticket's insert inside a batch's transaction; the stored one when the id exists.
    ///
    /// Written as one prepared statement rather than through `TicketRecord`'s persistence, and the
    /// stored ticket built from the values just written: GRDB's record encoding and reading the
    /// record back were a tenth of a submission's time (`make bench-api`).
    static func insertOne(_ db: Database, _ ticket: Ticket, submittedJSON: String, at now: Date) throws -> (change: TicketChange, created: Bool) {
        let state = TicketState.pending(.init(since: now))
        let details = String(decoding: try state.detailsJSON(), as: UTF8.self)
        try db.cachedStatement(
            sql: """
                INSERT INTO ticket (id, ticketJSON, state, stateDetails, priority, retryCount, errorHistory, createdAt, updatedAt)
                VALUES (?, ?, ?, ?, ?, 0, '[]', ?, ?) ON CONFLICT (id) DO NOTHING
                """
        ).execute(arguments: [ticket.ticketId, submittedJSON, state.name.rawValue, details, ticket.priority ?? 0, now, now])
        guard db.changesCount > 0 else {
            guard let existing = try TicketRecord.fetchOne(db.cachedStatement(sql: "SELECT * FROM ticket WHERE id = ?"), arguments: [ticket.ticketId])
            else {
                throw StorageError.corruptRow(ticketId: ticket.ticketId, reason: "neither inserted nor found")
            }
            return (TicketChange(ticket: try existing.stored(), events: []), false)
        }
        let event = try TicketEventRecord.append(
            db, ticketId: ticket.ticketId, type: .created, payload: .object(["state": .string(state.name.rawValue)]), at: now)
        // The ticket was just decoded from this very JSON: the cache takes it as it is.
        _ = TicketDecodeCache.shared.value(id: ticket.ticketId, text: submittedJSON) { ticket }
        let stored = StoredTicket(
            ticket: ticket, submittedJSON: submittedJSON, state: state, priority: ticket.priority ?? 0, retryCount: 0,
            waitUntil: nil, errorMessage: nil, errorHistory: [], searchQuery: nil, approval: nil, createdAt: now, updatedAt: now)
        return (TicketChange(ticket: stored, events: [event]), true)
    }

    /// Tickets that have chosen a release and are not given up (approved, downloading, converting,
    /// placing, completed), newest first: the ones a duplicate ticket may follow.
    public func ticketsWithRelease(excluding id: String, limit: Int) async throws -> [StoredTicket] {
        try await writer.read { db in
            let states: [TicketStateName] = [.autoApproved, .approved, .downloading, .converting, .placing, .completed]
            return
                try TicketRecord
                .filter(TicketRecord.Columns.id != id && states.map(\.rawValue).contains(TicketRecord.Columns.state))
                .filter(sql: "approvalDetails IS NOT NULL")
                .order(TicketRecord.Columns.createdAt.desc)
                .limit(limit)
                .fetchAll(db)
                .compactMap { try? $0.stored() }
        }
    }

    /// The states of the tickets whose chosen release (or download in progress) is this torrent;
    /// a ticket that merely lists it among its candidates does not hold it.
    public func ticketStates(holdingTorrent infoHash: String) async throws -> [String: TicketStateName] {
        try await writer.read { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT ticket.id, ticket.state FROM ticketTorrent JOIN ticket ON ticket.id = ticketTorrent.ticketId
                    WHERE ticketTorrent.infoHash = ?
                    """, arguments: [infoHash.lowercased()])
            var states: [String: TicketStateName] = [:]
            for row in rows {
                let id: String = row["id"]
                // An unreadable state is treated as in progress: its payload is kept.
                states[id] = TicketStateName(rawValue: row["state"]) ?? .downloading
            }
            return states
        }
    }

    /// The ticket stored under `id`, if any.
    public func ticket(id: String) async throws -> StoredTicket? {
        try await writer.read { db in try TicketRecord.fetchOne(db, key: id)?.stored() }
    }

    /// Tickets newest first, optionally only those in `states`, with the total count of the filter.
    public func tickets(inStates states: Set<TicketStateName>?, limit: Int, offset: Int) async throws -> TicketPage {
        try await writer.read { db in
            var request = TicketRecord.all()
            if let states {
                request = request.filter(states.map(\.rawValue).contains(TicketRecord.Columns.state))
            }
            let total = try request.fetchCount(db)
            let rows =
                try request
                .order(TicketRecord.Columns.createdAt.desc, TicketRecord.Columns.id)
                .limit(limit, offset: offset)
                .fetchAll(db)
            return TicketPage(tickets: try rows.map { try $0.stored() }, total: total)
        }
    }

    /// Moves a ticket to the state `decide` returns, after checking the transition table against
    /// the state stored *now* (inside the write), and appends a `state_change` event.
    ///
    /// `decide` sees the current ticket and may throw to refuse; nothing is written then.
    public func updateTicket(
        id: String, at now: Date, _ decide: @escaping @Sendable (StoredTicket) throws -> TicketUpdate
    ) async throws -> TicketChange {
        try await writer.write { db in
            guard var record = try TicketRecord.fetchOne(db, key: id) else { throw StorageError.ticketNotFound(id) }
            let update = try decide(try record.stored())
            return try Self.apply(update, to: &record, db: db, at: now)
        }
    }

    /// Claims the most urgent ready ticket (highest priority, then oldest) whose backoff has passed,
    /// moving it to the state `next` returns in the same transaction, so no two workers get it.
    public func claimNextTicket(
        inStates states: Set<TicketStateName>, excluding busy: Set<String>, at now: Date,
        _ next: @escaping @Sendable (StoredTicket) throws -> TicketUpdate
    ) async throws -> TicketChange? {
        try await writer.write { db in
            // The first of each state in the order of the `ticket_claim` index, then the first of
            // those: one `state IN (…)` query would sort every waiting ticket on every claim.
            var best: TicketRecord?
            for state in states.map(\.rawValue).sorted() {
                let first =
                    try TicketRecord
                    .filter(TicketRecord.Columns.state == state)
                    .filter(!busy.contains(TicketRecord.Columns.id))
                    .filter(TicketRecord.Columns.waitUntil == nil || TicketRecord.Columns.waitUntil <= now)
                    .order(TicketRecord.Columns.priority.desc, TicketRecord.Columns.createdAt, TicketRecord.Columns.id)
                    .fetchOne(db)
                if let first, best.map({ Self.claimsBefore(first, $0) }) ?? true { best = first }
            }
            guard var record = best else { return nil }
            return try Self.apply(try next(try record.stored()), to: &record, db: db, at: now)
        }
    }

    /// The claim order: higher priority first, then older, then by id.
    static func claimsBefore(_ a: TicketRecord, _ b: TicketRecord) -> Bool {
        if a.priority != b.priority { return a.priority > b.priority }
        if a.createdAt != b.createdAt { return a.createdAt < b.createdAt }
        return a.id < b.id
    }

    /// Earliest time a ticket in `states` waiting on a backoff becomes claimable, if any.
    public func nextWakeTime(inStates states: Set<TicketStateName>) async throws -> Date? {
        try await writer.read { db in
            // `+state` keeps SQLite on the small `ticket_waiting` index (only tickets in a backoff)
            // rather than the claim index, which would visit every waiting ticket.
            try Date.fetchOne(
                db.cachedStatement(
                    sql: """
                        SELECT MIN(waitUntil) FROM ticket WHERE waitUntil IS NOT NULL AND +state IN (\(databaseQuestionMarks(count: states.count)))
                        """),
                arguments: StatementArguments(states.map(\.rawValue).sorted()))
        }
    }

    /// Start-up recovery: every ticket left in a transient state (nobody works on it after a crash)
    /// goes back to where its work can start again, with a `recovered` event saying so.
    public func recoverInterruptedTickets(at now: Date) async throws -> [TicketChange] {
        let transient = TicketStateName.allCases.filter(\.isTransient).map(\.rawValue)
        return try await writer.write { db in
            let rows = try TicketRecord.filter(transient.contains(TicketRecord.Columns.state)).fetchAll(db)
            return try rows.map { row in
                var record = row
                let stored = try record.stored()
                let interrupted = stored.state.name
                let target = stored.resumableState(at: now, note: "recovered after restart: was \(interrupted.rawValue)")
                let update = TicketUpdate(
                    state: target, retryCount: stored.retryCount,
                    note: (
                        .recovered,
                        .object([
                            "interrupted_state": .string(interrupted.rawValue),
                            "resumed_state": .string(target.name.rawValue),
                        ])
                    ))
                return try Self.apply(update, to: &record, db: db, at: now)
            }
        }
    }

    /// Events of a ticket with `seq` greater than `since`, in order.
    /// A ticket and its stored events, read in one transaction (the API's `GET /ticket/{id}`).
    public func ticketWithEvents(id: String) async throws -> (ticket: StoredTicket, events: [TicketEvent])? {
        try await writer.read { db in
            guard let ticket = try TicketRecord.fetchOne(db, key: id)?.stored() else { return nil }
            let events =
                try TicketEventRecord
                .filter(TicketEventRecord.Columns.ticketId == id)
                .order(TicketEventRecord.Columns.seq)
                .fetchAll(db)
                .map { try $0.event() }
            return (ticket, events)
        }
    }

    public func events(ticketId: String, since: Int) async throws -> [TicketEvent] {
        try await writer.read { db in
            try TicketEventRecord
                .filter(TicketEventRecord.Columns.ticketId == ticketId && TicketEventRecord.Columns.seq > since)
                .order(TicketEventRecord.Columns.seq)
                .fetchAll(db)
                .map { try $0.event() }
        }
    }

    /// Counts per state and the age of the oldest pending ticket.
    public func queueStats() async throws -> QueueStats {
        try await writer.read { db in
            var counts: [TicketStateName: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT state, COUNT(*) AS n FROM ticket GROUP BY state") {
                if let name = TicketStateName(rawValue: row["state"]) { counts[name] = row["n"] }
            }
            let oldest = try Date.fetchOne(
                db, sql: "SELECT MIN(createdAt) FROM ticket WHERE state = ?", arguments: [TicketStateName.pending.rawValue])
            return QueueStats(countByState: counts, total: counts.values.reduce(0, +), oldestPendingCreatedAt: oldest)
        }
    }

    private static func apply(_ update: TicketUpdate, to record: inout TicketRecord, db: Database, at now: Date) throws -> TicketChange {
        let notes = try record.apply(update, at: now)
        try record.update(db)
        try record.syncHeldTorrents(db)
        let events = try notes.map { try TicketEventRecord.append(db, ticketId: record.id, type: $0.type, payload: $0.payload, at: now) }
        return TicketChange(ticket: try record.stored(), events: events)
    }
}

extension AppDatabase {
    /// Refreshes the details of the state a ticket is in (download progress, the track being
    /// converted) so the REST view follows the work. No event: the live `progress` events carry the
    /// same figures. Returns false, writing nothing, when the ticket is no longer in that state.
    @discardableResult
    public func refreshStateDetails(ticketId: String, _ state: TicketState, at now: Date) async throws -> Bool {
        try await writer.write { db in
            guard var record = try TicketRecord.fetchOne(db, key: ticketId), try record.stateName() == state.name else { return false }
            try record.setState(state, at: now)
            try record.update(db)
            try record.syncHeldTorrents(db)
            return true
        }
    }

    /// Sets an operator's search query on a ticket that stays in `state`, with a `search_query_set` event.
    public func setSearchQuery(ticketId: String, query: String, whileIn state: TicketStateName, at now: Date) async throws -> TicketChange {
        try await writer.write { db in
            guard var record = try TicketRecord.fetchOne(db, key: ticketId) else { throw StorageError.ticketNotFound(ticketId) }
            try record.require(state: state)
            record.searchQuery = query
            record.updatedAt = now
            try record.update(db)
            let event = try TicketEventRecord.append(
                db, ticketId: ticketId, type: .searchQuerySet, payload: .object(["query": .string(query)]), at: now)
            return TicketChange(ticket: try record.stored(), events: [event])
        }
    }
}

extension AppDatabase {
    /// Appends an event to a ticket that stays in `state` (e.g. `verified` while downloading); the
    /// returned change carries the event to publish.
    public func recordEvent(
        ticketId: String, type: TicketEventType, payload: JSONValue, whileIn state: TicketStateName, at now: Date
    ) async throws -> TicketChange {
        try await writer.write { db in
            guard let record = try TicketRecord.fetchOne(db, key: ticketId) else { throw StorageError.ticketNotFound(ticketId) }
            try record.require(state: state)
            let event = try TicketEventRecord.append(db, ticketId: ticketId, type: type, payload: payload, at: now)
            return TicketChange(ticket: try record.stored(), events: [event])
        }
    }
}
