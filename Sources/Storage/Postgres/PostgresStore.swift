import Basics
import Foundation
import Logging
import PostgresNIO
import ServiceLifecycle
import Synchronization
import Tickets

/// The store several downloader2 nodes share through one PostgreSQL database (`[database] url`).
///
/// It keeps what ``AppDatabase`` keeps, with the same rules, and adds what sharing needs:
/// - **Leases.** A node claims a ticket with `SELECT … FOR UPDATE SKIP LOCKED` (priority, then age) and
///   holds a lease on it (`lease_node`, `lease_expires`, `lease_version`) while its worker runs. The
///   lease is renewed by ``heartbeat()``; a node that dies stops renewing, and once the lease has
///   expired any node takes the ticket over (``recoverInterruptedTickets(at:)``) from its last safe state.
/// - **Fencing.** Each write a worker makes checks, inside its transaction, that this node still holds
///   the lease version it claimed; otherwise it fails with ``StorageError/leaseLost(ticketId:node:)``
///   and writes nothing, so a node presumed dead never undoes the work of the node that took over.
/// - **Events across nodes.** Each stored event is announced with `pg_notify` (delivered only if the
///   transaction commits); ``run()`` listens, and ``announcements`` yields the events other nodes wrote.
/// - **Duplicates across nodes.** A ticket for an album another live node is working on (or completed)
///   is left for that node to claim, so the album is downloaded once (``duplicateKey(_:)``).
/// - **Outages.** Every call is bounded by ``Options/timeout``; a PostgreSQL that does not answer, or
///   whose connection is gone, is ``StorageError/unavailable(reason:)`` (the API's 503).
public final class PostgresStore: TicketStore, SharedTicketStore, Service {
    public struct Options: Sendable {
        /// This node's name (`[cluster] node_id`).
        public var nodeId: String
        /// How long a lease lasts without a renewal (`[cluster] lease_secs`); renewed every third of it.
        public var leaseSecs: Double
        /// The longest any one database call may take before it counts as an outage.
        public var timeout: Duration
        /// This node's limit, shown in `GET /api/v1/nodes`.
        public var maxParallelDownloads: Int
        /// Where this node's API listens, shown in `GET /api/v1/nodes`.
        public var address: String

        public init(nodeId: String, leaseSecs: Double = 30, timeout: Duration = .seconds(5), maxParallelDownloads: Int = 1, address: String = "") {
            self.nodeId = nodeId
            self.leaseSecs = leaseSecs
            self.timeout = timeout
            self.maxParallelDownloads = maxParallelDownloads
            self.address = address
        }
    }

    let client: PostgresClient
    let options: Options
    let logger: Logger
    /// Leases this node holds: ticket id → the version it claimed.
    let held = Mutex<[String: Int64]>([:])
    let generation = Atomic<UInt64>(0)
    /// Whether ``recoverInterruptedTickets(at:)`` has run once in this process.
    let recoveredOnce = Atomic<Bool>(false)
    /// Set by ``migrate()``: the listener waits for the tables it reads.
    let migrated = Atomic<Bool>(false)
    let announced: AsyncStream<TicketAnnouncement>.Continuation
    public let announcements: AsyncStream<TicketAnnouncement>
    /// Seconds this node's view of the database clock is ahead of it (``advanceClock(by:)``; 0 in service).
    let clockShift = Mutex<Double>(0)
    /// Whether the `LISTEN` for other nodes' events is active now (``isListening``).
    let listening = Atomic<Bool>(false)
    /// What this node saw of the database's last outage (``trustsOtherLeases``).
    let outage = Mutex(Outage())

    /// An outage as one node sees it: since when its calls fail, and until when, once they answer
    /// again, other nodes' expired leases are still taken for live.
    struct Outage {
        var since: ContinuousClock.Instant?
        var trustUntil: ContinuousClock.Instant?
    }

    /// The channel events are announced on; the payload is ticket id, `seq`, node and event id,
    /// tab-separated (`seq` and id 0: the ticket changed without an event).
    public static let eventChannel = "downloader2_ticket_events"

    public var nodeId: String { options.nodeId }
    public var leaseSecs: Double { options.leaseSecs }
    public var ticketGeneration: UInt64 { generation.load(ordering: .acquiring) }

    /// A store on `url` (`postgres://user:password@host:port/database`); ``run()`` must run for it to work.
    public convenience init(url: String, options: Options, logger: Logger) throws {
        try self.init(configuration: Self.configuration(url: url), options: options, logger: logger)
    }

    public init(configuration: PostgresClient.Configuration, options: Options, logger: Logger) {
        // The pool's own connection attempts are logged only when they warn: an outage is reported
        // once by the store's callers, not once per retry.
        var background = logger
        background.logLevel = max(logger.logLevel, .warning)
        self.client = PostgresClient(configuration: configuration, backgroundLogger: background)
        self.options = options
        self.logger = logger
        (announcements, announced) = AsyncStream.makeStream(bufferingPolicy: .bufferingNewest(10_000))
    }

    /// Parses a `postgres://` URL into a client configuration (TLS off unless `sslmode=require`).
    public static func configuration(url: String) throws -> PostgresClient.Configuration {
        guard let parts = URLComponents(string: url), ["postgres", "postgresql"].contains(parts.scheme ?? ""), let host = parts.host, !host.isEmpty
        else {
            throw StorageError.unavailable(reason: "'\(Self.redacted(url))' is not a postgres://user:password@host:port/database URL")
        }
        let database = String(parts.path.drop(while: { $0 == "/" }))
        let requireTLS = parts.queryItems?.contains { $0.name == "sslmode" && $0.value == "require" } == true
        var configuration = PostgresClient.Configuration(
            host: host, port: parts.port ?? 5432, username: parts.user?.removingPercentEncoding ?? "postgres",
            password: parts.password?.removingPercentEncoding, database: database.isEmpty ? nil : database,
            tls: requireTLS ? .require(.makeClientConfiguration()) : .disable)
        configuration.options.minimumConnections = 0
        configuration.options.maximumConnections = 16
        configuration.options.connectTimeout = .seconds(3)
        return configuration
    }

    /// The URL without its password, for messages.
    public static func redacted(_ url: String) -> String {
        guard var parts = URLComponents(string: url), parts.password != nil else { return url }
        parts.password = "***"
        return parts.string ?? url
    }

    /// Runs the connection pool and the `LISTEN` loop until cancelled.
    public func run() async throws {
        // The pool and the listener run as tasks of their own, so that stopping waits for each at
        // most the call timeout: a listener still asking the pool for a connection while the pool
        // shuts down (or a pool closing a connection the server never answers) must not hold the
        // service's shutdown, or a test closing its store, for ever.
        let pool = Task { await self.client.run() }
        let listener = Task { await self.listen() }
        await withGracefulShutdownHandler {
            try? await Task.sleep(for: .seconds(Int64.max / 4))
        } onGracefulShutdown: {
        }
        listener.cancel()
        if !(await Self.ends(listener, within: options.timeout)) {
            logger.warning("node \(options.nodeId): the event listener did not stop within \(options.timeout); left to end by itself")
        }
        pool.cancel()
        if !(await Self.ends(pool, within: options.timeout)) {
            logger.warning("node \(options.nodeId): the connection pool did not stop within \(options.timeout); left to end by itself")
        }
        announced.finish()
    }

    /// Waits for `task` to end, at most `limit`; whether it ended.
    static func ends(_ task: Task<Void, Never>, within limit: Duration) async -> Bool {
        await firstAnswer(within: limit, orElse: false) {
            await task.value
            return true
        }
    }

    /// What `wait` answers, or `fallback` once `limit` has passed, whichever comes first. A `wait`
    /// still running then is never awaited: it ends by itself.
    static func firstAnswer<T: Sendable>(within limit: Duration, orElse fallback: T, _ wait: @escaping @Sendable () async -> T) async -> T {
        await withCheckedContinuation { continuation in
            let answer = FirstAnswer(continuation)
            let timer = Task {
                // Cancelled: the answer came first.
                guard (try? await Task.sleep(for: limit)) != nil else { return }
                answer.give(fallback)
            }
            Task {
                // The answer first: a timer cancelled before it would wake and answer the fallback.
                answer.give(await wait())
                timer.cancel()
            }
        }
    }

    // MARK: - Calls, bounded and classified

    /// Runs `body` with the client, bounded by the timeout, with PostgreSQL's failures classified.
    ///
    /// The caller gets its answer at the timeout even if the call does not end when cancelled (a
    /// query on a connection the server dropped mid-restart): the call is cancelled and left to end
    /// by itself, never awaited, so no worker or request hangs on it.
    func run<T: Sendable>(_ body: @escaping @Sendable (PostgresClient, Logger) async throws -> T) async throws -> T {
        let (client, logger, timeout) = (client, logger, options.timeout)
        let work = Task { try await body(client, logger) }
        let outcome: Result<T, any Error> = await withTaskCancellationHandler {
            await Self.firstAnswer(within: timeout, orElse: .failure(StorageError.unavailable(reason: "PostgreSQL did not answer within \(timeout)")))
            {
                await work.result
            }
        } onCancel: {
            work.cancel()
        }
        switch outcome {
        case .success(let value):
            answered()
            return value
        case .failure(let error):
            work.cancel()
            let classified = Self.classified(error)
            if StorageError.unavailable(from: classified) != nil {
                let now = localNow
                outage.withLock { $0.since = $0.since ?? now }
            }
            throw classified
        }
    }

    /// A call answered. After an outage, every node's leases expired at once: nobody could renew
    /// them, and the other nodes were no more dead than this one. So for a while this node takes
    /// other nodes' expired leases for live (no takeover, and their duplicates stay theirs), long
    /// enough for them to reconnect (PostgresNIO's backoff grows to a fifth of the time spent
    /// failing, capped at a minute) and renew (a heartbeat every third of a lease).
    func answered() {
        let now = localNow
        guard
            let lasted = outage.withLock({ state -> Duration? in
                guard let since = state.since else { return nil }
                state.since = nil
                state.trustUntil = now + .seconds(options.leaseSecs) + min(now - since, .seconds(60))
                return now - since
            })
        else { return }
        let seconds = String(format: "%.1f", lasted.inSeconds)
        logger.notice(
            "node \(options.nodeId): PostgreSQL answers again after \(seconds) s; other nodes' expired leases are trusted until they renew them")
    }

    /// Whether other nodes' expired leases still count as live, because the database was away (``answered()``).
    var trustsOtherLeases: Bool {
        let now = localNow
        return outage.withLock { state in state.since != nil || state.trustUntil.map { now < $0 } == true }
    }

    /// This node's monotonic clock for its outage bookkeeping, moved on by ``advanceClock(by:)`` like
    /// its view of the database clock: a test lets an outage last longer than a lease without waiting.
    var localNow: ContinuousClock.Instant {
        ContinuousClock.now.advanced(by: .seconds(clockShift.withLock { $0 }))
    }

    /// One transaction; the closure's own errors (refusals, lost leases) reach the caller as they are.
    func transaction<T: Sendable>(_ body: @escaping @Sendable (PostgresConnection) async throws -> T) async throws -> T {
        try await run { client, logger in
            try await client.withTransaction(logger: logger) { connection in try await body(connection) }
        }
    }

    /// The storage error for a PostgreSQL failure: lost connections, a server shutting down, a pool
    /// that cannot connect are ``StorageError/unavailable(reason:)``; refusals pass through.
    static func classified(_ error: any Error) -> any Error {
        if let error = error as? PostgresTransactionError {
            if let inner = error.closureError { return classified(inner) }
            if let begin = error.beginError { return classified(begin) }
            if let commit = error.commitError { return classified(commit) }
            return error
        }
        if error is StorageError { return error }
        if let error = error as? PSQLError {
            guard error.code == .server else { return StorageError.unavailable(reason: "PostgreSQL: \(error.code)") }
            let state = error.serverInfo?[.sqlState] ?? ""
            // 08: connection exceptions; 57: operator intervention (shutdown); 53: out of resources.
            if ["08", "57", "53"].contains(String(state.prefix(2))) {
                return StorageError.unavailable(reason: "PostgreSQL: \(error.serverInfo?[.message] ?? state)")
            }
            return error
        }
        if error is CancellationError { return error }
        return StorageError.unavailable(reason: "PostgreSQL: \(error)")
    }

    // MARK: - Tickets

    /// The columns a ticket is read with: the row and its lease (`lease_live`: not expired by the database's clock).
    var ticketColumns: String {
        """
        id, ticket_json, state, state_details, priority, retry_count, wait_until, error_message, error_history, search_query,
        approval_state, approval_details, created_at, updated_at, lease_node, lease_version,
        (lease_node IS NOT NULL AND lease_expires > \(databaseNow)) AS lease_live
        """
    }

    /// The database's clock as this node reads it in SQL: `clock_timestamp()`, moved on by
    /// ``advanceClock(by:)``. Leases and heartbeats are written and compared on this clock only.
    var databaseNow: String {
        let shift = clockShift.withLock { $0 }
        return shift == 0 ? "clock_timestamp()" : "(clock_timestamp() + make_interval(secs => \(String(format: "%.3f", shift))))"
    }

    /// Moves this node's view of the database clock, and the clock it keeps outages on, on by
    /// `seconds`: a lease test lets leases expire for one node without waiting for them, the way a
    /// node whose clock ran on would see them.
    package func advanceClock(by seconds: Double) {
        clockShift.withLock { $0 += seconds }
    }

    /// A ticket row with its lease.
    struct LeasedRecord {
        var record: TicketRecord
        var leaseNode: String?
        var leaseVersion: Int64
        var leaseLive: Bool
    }

    static func decodeTicket(_ row: PostgresRow) throws -> LeasedRecord {
        let c = row.makeRandomAccess()
        let record = TicketRecord(
            id: try c["id"].decode(String.self), ticketJSON: try c["ticket_json"].decode(String.self),
            state: try c["state"].decode(String.self), stateDetails: try c["state_details"].decode(String.self),
            priority: try c["priority"].decode(Int.self), retryCount: try c["retry_count"].decode(Int.self),
            waitUntil: try c["wait_until"].decode(Date?.self), errorMessage: try c["error_message"].decode(String?.self),
            errorHistory: try c["error_history"].decode(String.self), searchQuery: try c["search_query"].decode(String?.self),
            approvalState: try c["approval_state"].decode(String?.self), approvalDetails: try c["approval_details"].decode(String?.self),
            createdAt: try c["created_at"].decode(Date.self), updatedAt: try c["updated_at"].decode(Date.self))
        return LeasedRecord(
            record: record, leaseNode: try c["lease_node"].decode(String?.self), leaseVersion: try c["lease_version"].decode(Int64.self),
            leaseLive: try c["lease_live"].decode(Bool.self))
    }

    static func tickets(_ rows: PostgresRowSequence) async throws -> [LeasedRecord] {
        var out: [LeasedRecord] = []
        for try await row in rows { out.append(try decodeTicket(row)) }
        return out
    }

    /// The key duplicate tickets share (artist, album, format), folded so that case, accents and
    /// punctuation do not tell them apart; the pipeline's own duplicate rule decides whether a ticket
    /// follows another, this key only keeps such tickets on the node that has the album.
    public static func duplicateKey(_ ticket: Ticket) -> String {
        func fold(_ text: String) -> String {
            let folded = text.folding(options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: nil)
            return String(folded.unicodeScalars.filter { CharacterSet.alphanumerics.contains($0) }.map(Character.init))
        }
        return fold(ticket.search.artist) + "\u{1F}" + fold(ticket.search.album) + "\u{1F}" + ticket.constraints.format.rawValue
    }

    public func ping() async throws {
        _ = try await run { client, logger in try await client.query("SELECT 1", logger: logger) }
    }

    public func insertTicket(_ ticket: Ticket, submittedJSON: String, at now: Date) async throws -> (change: TicketChange, created: Bool) {
        let state = TicketState.pending(.init(since: now))
        let details = String(decoding: try state.detailsJSON(), as: UTF8.self)
        let (node, key) = (options.nodeId, Self.duplicateKey(ticket))
        let result = try await transaction { connection in
            let inserted = try await Self.tickets(
                try await connection.query(
                    """
                    INSERT INTO ticket (id, ticket_json, state, state_details, priority, created_at, updated_at, duplicate_key)
                    VALUES (\(ticket.ticketId), \(submittedJSON), \(state.name.rawValue), \(details), \(ticket.priority ?? 0), \(now), \(now), \(key))
                    ON CONFLICT (id) DO NOTHING
                    RETURNING \(unescaped: self.ticketColumns)
                    """, logger: self.logger))
            guard let row = inserted.first else {
                let existing = try await Self.tickets(
                    try await connection.query(
                        "SELECT \(unescaped: self.ticketColumns) FROM ticket WHERE id = \(ticket.ticketId)", logger: self.logger))
                guard let row = existing.first else { throw StorageError.ticketNotFound(ticket.ticketId) }
                return (TicketChange(ticket: try row.record.stored(), events: []), false)
            }
            let event = try await Self.appendEvent(
                connection, ticketId: ticket.ticketId, type: .created, payload: .object(["state": .string(state.name.rawValue)]), at: now,
                node: node, logger: self.logger)
            return (TicketChange(ticket: try row.record.stored(), events: [event]), true)
        }
        if result.1 { generation.add(1, ordering: .releasing) }
        return result
    }

    public func ticketsWithRelease(excluding id: String, limit: Int) async throws -> [StoredTicket] {
        let states: [String] = [TicketStateName.autoApproved, .approved, .downloading, .converting, .placing, .completed].map(\.rawValue)
        return try await run { client, logger in
            try await Self.tickets(
                try await client.query(
                    """
                    SELECT \(unescaped: self.ticketColumns) FROM ticket
                    WHERE id <> \(id) AND state = ANY(\(states)) AND approval_details IS NOT NULL
                    ORDER BY created_at DESC LIMIT \(limit)
                    """, logger: logger)
            ).compactMap { try? $0.record.stored() }
        }
    }

    public func ticketStates(holdingTorrent infoHash: String) async throws -> [String: TicketStateName] {
        try await run { client, logger in
            var states: [String: TicketStateName] = [:]
            let rows = try await client.query(
                """
                SELECT ticket.id, ticket.state FROM ticket_torrent JOIN ticket ON ticket.id = ticket_torrent.ticket_id
                WHERE ticket_torrent.info_hash = \(infoHash.lowercased())
                """, logger: logger)
            for try await (id, state) in rows.decode((String, String).self) {
                states[id] = TicketStateName(rawValue: state) ?? .downloading
            }
            return states
        }
    }

    public func ticket(id: String) async throws -> StoredTicket? {
        try await run { client, logger in
            try await Self.tickets(try await client.query("SELECT \(unescaped: self.ticketColumns) FROM ticket WHERE id = \(id)", logger: logger))
                .first?.record.stored()
        }
    }

    public func tickets(inStates states: Set<TicketStateName>?, limit: Int, offset: Int) async throws -> TicketPage {
        let names = states.map { $0.map(\.rawValue) }
        return try await run { client, logger in
            var total = 0
            let count =
                names == nil
                ? try await client.query("SELECT COUNT(*) FROM ticket", logger: logger)
                : try await client.query("SELECT COUNT(*) FROM ticket WHERE state = ANY(\(names ?? []))", logger: logger)
            for try await n in count.decode(Int.self) { total = n }
            let rows =
                names == nil
                ? try await client.query(
                    """
                    SELECT \(unescaped: self.ticketColumns) FROM ticket ORDER BY created_at DESC, id LIMIT \(limit) OFFSET \(offset)
                    """, logger: logger)
                : try await client.query(
                    """
                    SELECT \(unescaped: self.ticketColumns) FROM ticket WHERE state = ANY(\(names ?? []))
                    ORDER BY created_at DESC, id LIMIT \(limit) OFFSET \(offset)
                    """, logger: logger)
            return TicketPage(tickets: try await Self.tickets(rows).map { try $0.record.stored() }, total: total)
        }
    }

    /// Reads a ticket's row for a write, locked until the transaction ends.
    func locked(_ connection: PostgresConnection, _ id: String) async throws -> LeasedRecord {
        let rows = try await Self.tickets(
            try await connection.query(
                "SELECT \(unescaped: self.ticketColumns) FROM ticket WHERE id = \(id) FOR UPDATE", logger: logger))
        guard let row = rows.first else { throw StorageError.ticketNotFound(id) }
        return row
    }

    /// Fencing: a write by this node's worker needs the lease version it claimed; any other write
    /// (an operator's command) may not move a ticket another node holds into a state of work.
    func checkLease(_ row: LeasedRecord, movingTo target: TicketStateName?) throws {
        let id = row.record.id
        if let mine = held.withLock({ $0[id] }) {
            guard row.leaseNode == options.nodeId, row.leaseVersion == mine else {
                held.withLock { _ = $0.removeValue(forKey: id) }
                throw StorageError.leaseLost(ticketId: id, node: options.nodeId)
            }
        } else if row.leaseLive, row.leaseNode != options.nodeId, let target, Self.keepsLease(target) {
            throw StorageError.leaseLost(ticketId: id, node: options.nodeId)
        }
    }

    /// States a worker holds its ticket's lease through: work under way, and the approval it moves on from.
    static func keepsLease(_ state: TicketStateName) -> Bool { state.isTransient || state == .autoApproved }

    public func updateTicket(
        id: String, at now: Date, _ decide: @escaping @Sendable (StoredTicket) throws -> TicketUpdate
    ) async throws -> TicketChange {
        try await write { connection in
            var row = try await self.locked(connection, id)
            let update = try decide(try row.record.stored())
            try self.checkLease(row, movingTo: update.state.name)
            return try await self.apply(update, to: &row, connection: connection, at: now)
        }
    }

    /// A write transaction that, once committed, moves this process's ticket generation on.
    func write<T: Sendable>(_ body: @escaping @Sendable (PostgresConnection) async throws -> T) async throws -> T {
        let value = try await transaction(body)
        generation.add(1, ordering: .releasing)
        return value
    }

    public func claimNextTicket(
        inStates states: Set<TicketStateName>, excluding busy: Set<String>, at now: Date,
        _ next: @escaping @Sendable (StoredTicket) throws -> TicketUpdate
    ) async throws -> TicketChange? {
        let (names, busyIds, node, lease) = (states.map(\.rawValue), Array(busy), options.nodeId, options.leaseSecs)
        // Just after an outage every lease has expired; other nodes' count as live until they renew.
        let trusted = trustsOtherLeases ? "TRUE" : "FALSE"
        let dbNow = databaseNow
        // A ticket for an album another live node holds, completed, or has approved and will take up
        // again (back at its approval after a failure or an outage) is left to that node: a duplicate
        // claimed elsewhere would download the album a second time.
        let releaseStates = [TicketStateName.completed, .autoApproved, .approved].map { "'\($0.rawValue)'" }.joined(separator: ", ")
        let elsewhere = """
            EXISTS (SELECT 1 FROM ticket d WHERE d.duplicate_key = t.duplicate_key AND d.id <> t.id AND d.lease_node IS NOT NULL
                AND d.lease_node <> $1 AND (\(trusted) OR d.lease_expires > \(dbNow)))
            OR EXISTS (SELECT 1 FROM ticket d JOIN node n ON n.id = d.last_node
                WHERE d.duplicate_key = t.duplicate_key AND d.id <> t.id AND d.state IN (\(releaseStates)) AND d.last_node <> $1
                AND (\(trusted) OR n.heartbeat_at > \(dbNow) - make_interval(secs => $2)))
            """
        return try await write { connection in
            var skipped: [String] = []
            for _ in 0..<8 {
                let rows = try await Self.tickets(
                    try await connection.query(
                        PostgresQuery(
                            unsafeSQL: """
                                SELECT \(self.ticketColumns) FROM ticket t
                                WHERE t.state = ANY($3) AND NOT (t.id = ANY($4))
                                  AND (t.wait_until IS NULL OR t.wait_until <= $5)
                                  AND (t.lease_node IS NULL OR (t.lease_expires <= \(dbNow) AND (t.lease_node = $1 OR NOT \(trusted))))
                                  AND NOT (\(elsewhere))
                                ORDER BY t.priority DESC, t.created_at, t.id
                                LIMIT 1 FOR UPDATE SKIP LOCKED
                                """, binds: try Self.binds(node, lease, names, busyIds + skipped, now)), logger: self.logger))
                guard var row = rows.first else { return nil }
                let id = row.record.id
                // Claims of one album are serialised, and the rule checked again once it is this
                // claim's turn: each statement reads what committed before it, so a claim of the
                // same album another node committed meanwhile is seen here.
                try await connection.query(
                    "SELECT pg_advisory_xact_lock(hashtextextended(duplicate_key, 0)) FROM ticket WHERE id = \(id)", logger: self.logger)
                var taken = false
                for try await value in try await connection.query(
                    PostgresQuery(
                        unsafeSQL: """
                            SELECT \(elsewhere) FROM ticket t WHERE t.id = $3
                            """, binds: try Self.binds(node, lease, id)), logger: self.logger
                ).decode(Bool.self) {
                    taken = value
                }
                if taken {
                    skipped.append(id)
                    continue
                }
                // An expired lease on a ticket that is ready for work is simply void.
                self.held.withLock { _ = $0.removeValue(forKey: id) }
                row.leaseNode = nil
                row.leaseLive = false
                return try await self.apply(try next(try row.record.stored()), to: &row, connection: connection, at: now)
            }
            return nil
        }
    }

    /// Positional bindings ($1, $2, …) for a statement written once and used twice.
    static func binds(_ first: String, _ second: Double, _ rest: any PostgresEncodable & Sendable...) throws -> PostgresBindings {
        var bindings = PostgresBindings()
        bindings.append(first)
        bindings.append(second)
        for value in rest { try bindings.append(value) }
        return bindings
    }

    public func nextWakeTime(inStates states: Set<TicketStateName>) async throws -> Date? {
        let names = states.map(\.rawValue)
        return try await run { client, logger in
            var earliest: Date?
            for try await value in try await client.query(
                "SELECT MIN(wait_until) FROM ticket WHERE wait_until IS NOT NULL AND state = ANY(\(names))", logger: logger
            ).decode(Date?.self) {
                earliest = value
            }
            return earliest
        }
    }

    public func recoverInterruptedTickets(at now: Date) async throws -> [TicketChange] {
        let transient = TicketStateName.allCases.filter(\.isTransient).map(\.rawValue)
        let (node, mine) = (options.nodeId, Array(held.withLock { $0.keys }))
        // Every call takes expired leases, and work no lease covers (there is none in a transient
        // state: a claim takes its lease in the same transaction). The first call (at start) also
        // takes what this node left before a restart, its leases still running; later calls (the
        // heartbeat's) do not, so a claim this process commits meanwhile is never taken for a leftover.
        let atStart = !recoveredOnce.exchange(true, ordering: .acquiringAndReleasing)
        // Just after an outage, other nodes' expired leases are left for them to renew (``answered()``).
        let trusted = trustsOtherLeases
        return try await write { connection in
            let rows = try await Self.tickets(
                try await connection.query(
                    """
                    SELECT \(unescaped: self.ticketColumns) FROM ticket
                    WHERE NOT (id = ANY(\(mine))) AND (
                        (state = ANY(\(transient)) AND lease_node IS NULL)
                        OR (\(atStart) AND state = ANY(\(transient)) AND lease_node = \(node))
                        OR (lease_node IS NOT NULL AND lease_expires <= \(unescaped: self.databaseNow) AND (lease_node = \(node) OR NOT \(trusted))))
                    ORDER BY created_at
                    FOR UPDATE SKIP LOCKED
                    """, logger: self.logger))
            var changes: [TicketChange] = []
            for var row in rows {
                let stored = try row.record.stored()
                let interrupted = stored.state.name
                guard interrupted.isTransient else {
                    try await connection.query(
                        "UPDATE ticket SET lease_node = NULL, lease_expires = NULL WHERE id = \(row.record.id)", logger: self.logger)
                    continue
                }
                let previous = row.leaseNode
                let reason = previous == nil || previous == node ? "recovered after restart" : "taken over from node \(previous ?? "")"
                let target = stored.resumableState(at: now, note: "\(reason): was \(interrupted.rawValue)")
                var payload: [String: JSONValue] = [
                    "interrupted_state": .string(interrupted.rawValue), "resumed_state": .string(target.name.rawValue),
                ]
                if let previous, previous != node {
                    payload["reason"] = .string("lease_expired")
                    payload["node"] = .string(previous)
                }
                row.leaseNode = nil
                row.leaseLive = false
                changes.append(
                    try await self.apply(
                        TicketUpdate(state: target, retryCount: stored.retryCount, note: (.recovered, .object(payload))),
                        to: &row, connection: connection, at: now))
            }
            return changes
        }
    }

    public func ticketWithEvents(id: String) async throws -> (ticket: StoredTicket, events: [TicketEvent])? {
        try await transaction { connection in
            let rows = try await Self.tickets(
                try await connection.query(
                    "SELECT \(unescaped: self.ticketColumns) FROM ticket WHERE id = \(id)", logger: self.logger))
            guard let row = rows.first else { return nil }
            return (try row.record.stored(), try await Self.events(connection, ticketId: id, since: 0, logger: self.logger))
        }
    }

    public func events(ticketId: String, since: Int) async throws -> [TicketEvent] {
        try await run { client, logger in
            try await client.withConnection { connection in try await Self.events(connection, ticketId: ticketId, since: since, logger: logger) }
        }
    }

    static func events(_ connection: PostgresConnection, ticketId: String, since: Int, logger: Logger) async throws -> [TicketEvent] {
        var events: [TicketEvent] = []
        let rows = try await connection.query(
            """
            SELECT seq, type, payload, created_at FROM ticket_event WHERE ticket_id = \(ticketId) AND seq > \(since) ORDER BY seq
            """, logger: logger)
        for try await (seq, type, payload, createdAt) in rows.decode((Int, String, String, Date).self) {
            events.append(try TicketEventRecord(ticketId: ticketId, seq: seq, type: type, payload: payload, createdAt: createdAt).event())
        }
        return events
    }

    public func queueStats() async throws -> QueueStats {
        try await run { client, logger in
            var counts: [TicketStateName: Int] = [:]
            for try await (state, n) in try await client.query("SELECT state, COUNT(*)::BIGINT FROM ticket GROUP BY state", logger: logger)
                .decode((String, Int).self)
            {
                if let name = TicketStateName(rawValue: state) { counts[name] = n }
            }
            var oldest: Date?
            for try await value in try await client.query(
                "SELECT MIN(created_at) FROM ticket WHERE state = \(TicketStateName.pending.rawValue)", logger: logger
            ).decode(Date?.self) {
                oldest = value
            }
            return QueueStats(countByState: counts, total: counts.values.reduce(0, +), oldestPendingCreatedAt: oldest)
        }
    }

    @discardableResult
    public func refreshStateDetails(ticketId: String, _ state: TicketState, at now: Date) async throws -> Bool {
        let node = options.nodeId
        return try await write { connection in
            var row = try await self.locked(connection, ticketId)
            guard try row.record.stateName() == state.name else { return false }
            try self.checkLease(row, movingTo: state.name)
            try row.record.setState(state, at: now)
            try await self.saveRow(row.record, connection: connection)
            try await self.syncHeldTorrents(row.record, connection: connection)
            // No event: other nodes only learn that the ticket changed (their cached views go stale).
            try await connection.query("SELECT pg_notify(\(Self.eventChannel), \(ticketId + "\t0\t" + node + "\t0"))", logger: self.logger)
            return true
        }
    }

    public func setSearchQuery(ticketId: String, query: String, whileIn state: TicketStateName, at now: Date) async throws -> TicketChange {
        let node = options.nodeId
        return try await write { connection in
            var row = try await self.locked(connection, ticketId)
            try row.record.require(state: state)
            try self.checkLease(row, movingTo: nil)
            row.record.searchQuery = query
            row.record.updatedAt = now
            try await self.saveRow(row.record, connection: connection)
            let event = try await Self.appendEvent(
                connection, ticketId: ticketId, type: .searchQuerySet, payload: .object(["query": .string(query)]), at: now, node: node,
                logger: self.logger)
            return TicketChange(ticket: try row.record.stored(), events: [event])
        }
    }

    public func recordEvent(
        ticketId: String, type: TicketEventType, payload: JSONValue, whileIn state: TicketStateName, at now: Date
    ) async throws -> TicketChange {
        let node = options.nodeId
        return try await write { connection in
            let row = try await self.locked(connection, ticketId)
            try row.record.require(state: state)
            try self.checkLease(row, movingTo: nil)
            let event = try await Self.appendEvent(
                connection, ticketId: ticketId, type: type, payload: payload, at: now, node: node, logger: self.logger)
            return TicketChange(ticket: try row.record.stored(), events: [event])
        }
    }

    /// The transition, checked against the stored state; the row, the held torrents, the events and
    /// the lease written in the caller's transaction.
    func apply(_ update: TicketUpdate, to row: inout LeasedRecord, connection: PostgresConnection, at now: Date) async throws -> TicketChange {
        var record = row.record
        let notes = try record.apply(update, at: now)
        try await saveRow(record, connection: connection)
        try await syncHeldTorrents(record, connection: connection)
        try await updateLease(record.id, row: row, movingTo: update.state.name, connection: connection)
        row.record = record
        var events: [TicketEvent] = []
        for note in notes {
            events.append(
                try await Self.appendEvent(
                    connection, ticketId: record.id, type: note.type, payload: note.payload, at: now, node: options.nodeId, logger: logger))
        }
        return TicketChange(ticket: try record.stored(), events: events)
    }

    /// Takes, keeps or ends this node's lease on a ticket after a write. The worker holding it keeps
    /// it through the states it works in (``keepsLease(_:)``); a write that puts the ticket to work
    /// without holding it (a claim) takes a new lease version; anything else ends it: a ticket
    /// recovered to its approval has no worker, and must be free for any node to claim.
    func updateLease(_ id: String, row: LeasedRecord, movingTo target: TicketStateName, connection: PostgresConnection) async throws {
        let (node, lease) = (options.nodeId, options.leaseSecs)
        let mine = held.withLock { $0[id] }
        if Self.keepsLease(target), mine != nil, row.leaseNode == node {
            try await connection.query(
                """
                UPDATE ticket SET lease_expires = \(unescaped: databaseNow) + make_interval(secs => \(lease)) WHERE id = \(id)
                """, logger: logger)
        } else if target.isTransient {
            var version: Int64 = 0
            for try await value in try await connection.query(
                """
                UPDATE ticket SET lease_node = \(node), lease_expires = \(unescaped: databaseNow) + make_interval(secs => \(lease)),
                    lease_version = lease_version + 1, last_node = \(node)
                WHERE id = \(id) RETURNING lease_version
                """, logger: logger
            ).decode(Int64.self) {
                version = value
            }
            held.withLock { $0[id] = version }
        } else {
            try await connection.query(
                """
                UPDATE ticket SET lease_node = NULL, lease_expires = NULL,
                    last_node = CASE WHEN lease_node IS NULL THEN last_node ELSE lease_node END
                WHERE id = \(id)
                """, logger: logger)
            held.withLock { _ = $0.removeValue(forKey: id) }
        }
    }

    /// Ends the lease the worker may still hold (it stopped at a state it holds leases through, such
    /// as `auto_approved` after an outage). Forgotten here first, so the heartbeat no longer renews it
    /// even if the database does not answer now; then it simply expires.
    public func workEnded(ticketId: String) async {
        guard let version = held.withLock({ $0.removeValue(forKey: ticketId) }) else { return }
        let node = options.nodeId
        let transient = TicketStateName.allCases.filter(\.isTransient).map(\.rawValue)
        do {
            _ = try await write { connection in
                // A ticket the worker left mid-stage (it could not write its way out) keeps the lease,
                // expired now: the next heartbeat's recovery, on any node, puts it back to work.
                try await connection.query(
                    """
                    UPDATE ticket SET
                        lease_node = CASE WHEN state = ANY(\(transient)) THEN lease_node END,
                        lease_expires = CASE WHEN state = ANY(\(transient)) THEN \(unescaped: self.databaseNow) END,
                        last_node = lease_node
                    WHERE id = \(ticketId) AND lease_node = \(node) AND lease_version = \(version)
                    """, logger: self.logger)
            }
        } catch {
            logger.warning("ticket \(ticketId): could not end this node's lease now (\(error)); it expires by itself")
        }
    }

    func saveRow(_ r: TicketRecord, connection: PostgresConnection) async throws {
        try await connection.query(
            """
            UPDATE ticket SET state = \(r.state), state_details = \(r.stateDetails), priority = \(r.priority), retry_count = \(r.retryCount),
                wait_until = \(r.waitUntil), error_message = \(r.errorMessage), error_history = \(r.errorHistory), search_query = \(r.searchQuery),
                approval_state = \(r.approvalState), approval_details = \(r.approvalDetails), updated_at = \(r.updatedAt)
            WHERE id = \(r.id)
            """, logger: logger)
    }

    /// Makes `ticket_torrent` list exactly the torrents the ticket holds.
    func syncHeldTorrents(_ record: TicketRecord, connection: PostgresConnection) async throws {
        let hashes = Array(record.heldTorrents())
        try await connection.query(
            "DELETE FROM ticket_torrent WHERE ticket_id = \(record.id) AND NOT (info_hash = ANY(\(hashes)))", logger: logger)
        try await connection.query(
            """
            INSERT INTO ticket_torrent (ticket_id, info_hash) SELECT \(record.id), h FROM unnest(\(hashes)::TEXT[]) AS h
            ON CONFLICT DO NOTHING
            """, logger: logger)
    }

    /// Appends the next event of a ticket (whose row the caller has locked or just inserted) and
    /// announces it; PostgreSQL delivers the announcement only if the transaction commits.
    static func appendEvent(
        _ connection: PostgresConnection, ticketId: String, type: TicketEventType, payload: JSONValue, at now: Date, node: String, logger: Logger
    ) async throws -> TicketEvent {
        let text = try StoredText.json(payload)
        var (seq, id) = (0, Int64(0))
        for try await (value, rowId) in try await connection.query(
            """
            INSERT INTO ticket_event (ticket_id, seq, type, payload, created_at, node)
            SELECT \(ticketId), COALESCE(MAX(seq), 0) + 1, \(type.rawValue), \(text), \(now), \(node) FROM ticket_event WHERE ticket_id = \(ticketId)
            RETURNING seq, id
            """, logger: logger
        ).decode((Int, Int64).self) {
            (seq, id) = (value, rowId)
        }
        try await connection.query(
            "SELECT pg_notify(\(eventChannel), \([ticketId, String(seq), node, String(id)].joined(separator: "\t")))", logger: logger)
        return TicketEvent(ticketId: ticketId, seq: seq, type: type, payload: payload, at: now)
    }
}

/// Resumes a continuation with the first answer given; later ones are dropped.
final class FirstAnswer<T: Sendable>: Sendable {
    private let continuation: Mutex<CheckedContinuation<T, Never>?>

    init(_ continuation: CheckedContinuation<T, Never>) {
        self.continuation = Mutex(continuation)
    }

    func give(_ result: T) {
        continuation.withLock { pending in
            pending?.resume(returning: result)
            pending = nil
        }
    }
}
