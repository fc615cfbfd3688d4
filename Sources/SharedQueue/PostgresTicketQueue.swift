import Foundation
import Logging
import PostgresNIO

/// The ticket queue several downloader2 nodes share through one PostgreSQL database (issue "Beyond one
/// NAS"): tickets, the lease a node holds on each one it works on, and their events, announced with
/// `LISTEN/NOTIFY`.
///
/// - A node claims the most urgent ticket (priority, then age) with `SELECT … FOR UPDATE SKIP LOCKED`:
///   two nodes claiming at once never get the same ticket, and neither waits for the other.
/// - A claim is a lease: the node's id, an expiry, and a version that every claim raises. The node
///   renews it while it works; a node that dies stops renewing, and once the lease has expired any node
///   may claim the ticket again, from the state it was last left in.
/// - Fencing: whatever a worker writes about a ticket names the lease it holds (node and version); a
///   write under a lease that was taken over fails with `QueueError.leaseLost`, so a node that was
///   presumed dead can never undo the work of the node that took its tickets over.
///
/// This is the shared queue's core; the service still runs on SQLite (`AppDatabase`) and does not
/// use it yet (docs/ARCHITECTURE.md, "Planned").
public struct PostgresTicketQueue: Sendable {
    let client: PostgresClient
    let logger: Logger

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// The channel events are announced on; the payload is `ticketId` and `seq` joined by a tab.
    public static let eventChannel = "downloader2_ticket_events"

    /// States a ticket with no lease may be claimed in.
    public static let claimableStates = ["pending"]

    /// A claim on one ticket, valid until it expires or another node takes it over.
    public struct Lease: Sendable, Equatable {
        public var ticketId: String
        public var node: String
        public var version: Int64
        public var state: String
        public var ticketJSON: String
    }

    public enum QueueError: Error, Equatable, CustomStringConvertible {
        /// The lease was taken over by another node (or never existed): the work must stop.
        case leaseLost(ticketId: String, node: String, version: Int64)
        public var description: String {
            switch self {
            case .leaseLost(let id, let node, let version):
                "ticket \(id): node \(node) no longer holds lease \(version); another node has taken the ticket over"
            }
        }
    }

    /// One stored event of a ticket.
    public struct Event: Sendable, Equatable {
        public var ticketId: String
        public var seq: Int
        public var type: String
        public var payload: String
    }

    /// A transaction whose closure's own error (`QueueError.leaseLost`) reaches the caller as it is,
    /// not wrapped in PostgresNIO's `PostgresTransactionError`.
    func transaction<Result: Sendable>(_ body: (PostgresConnection) async throws -> Result) async throws -> Result {
        do {
            return try await client.withTransaction(logger: logger) { connection in try await body(connection) }
        } catch let error as PostgresTransactionError {
            if let queueError = error.closureError as? QueueError { throw queueError }
            throw error
        }
    }

    // MARK: - Schema

    /// Named, append-only migrations, applied in order.
    static let migrations: [(name: String, statements: [String])] = [
        ("v1-tickets-leases-events", [
            """
            CREATE TABLE ticket (
                id TEXT PRIMARY KEY,
                ticket_json TEXT NOT NULL,
                state TEXT NOT NULL,
                priority INTEGER NOT NULL DEFAULT 0,
                created_at TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp(),
                updated_at TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp(),
                lease_node TEXT,
                lease_expires TIMESTAMPTZ,
                lease_version BIGINT NOT NULL DEFAULT 0
            )
            """,
            "CREATE INDEX ticket_claim ON ticket (priority DESC, created_at) WHERE lease_node IS NULL",
            "CREATE INDEX ticket_lease ON ticket (lease_expires) WHERE lease_node IS NOT NULL",
            """
            CREATE TABLE ticket_event (
                ticket_id TEXT NOT NULL REFERENCES ticket (id) ON DELETE CASCADE,
                seq INTEGER NOT NULL,
                type TEXT NOT NULL,
                payload TEXT NOT NULL,
                created_at TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp(),
                PRIMARY KEY (ticket_id, seq)
            )
            """,
            """
            CREATE TABLE node (
                id TEXT PRIMARY KEY,
                heartbeat_at TIMESTAMPTZ NOT NULL
            )
            """,
        ]),
    ]

    /// Applies the migrations not applied yet. Safe when several nodes start at once: one transaction
    /// under an advisory lock, so the second node waits and then finds everything applied.
    public func migrate() async throws {
        try await transaction { connection in
            try await connection.query("SELECT pg_advisory_xact_lock(\(Int64(0x6432_5F6D_6967)))", logger: logger)
            try await connection.query(
                "CREATE TABLE IF NOT EXISTS schema_migration (name TEXT PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT clock_timestamp())",
                logger: logger)
            var applied = Set<String>()
            for try await name in try await connection.query("SELECT name FROM schema_migration", logger: logger).decode(String.self) {
                applied.insert(name)
            }
            for migration in Self.migrations where !applied.contains(migration.name) {
                for statement in migration.statements {
                    try await connection.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
                try await connection.query("INSERT INTO schema_migration (name) VALUES (\(migration.name))", logger: logger)
            }
        }
    }

    /// Names of the migrations applied, in order.
    public func appliedMigrations() async throws -> [String] {
        var names: [String] = []
        for try await name in try await client.query("SELECT name FROM schema_migration ORDER BY applied_at, name", logger: logger).decode(String.self) {
            names.append(name)
        }
        return names
    }

    // MARK: - Tickets

    /// Stores a new ticket as `pending` with its `created` event; false when the id exists already
    /// (the stored ticket is kept, as `POST /ticket` promises).
    @discardableResult
    public func insert(ticketId: String, ticketJSON: String, priority: Int = 0) async throws -> Bool {
        try await transaction { connection in
            let rows = try await connection.query("""
                INSERT INTO ticket (id, ticket_json, state, priority) VALUES (\(ticketId), \(ticketJSON), 'pending', \(priority))
                ON CONFLICT (id) DO NOTHING RETURNING id
                """, logger: logger)
            var created = false
            for try await _ in rows { created = true }
            if created { _ = try await Self.appendEvent(connection, ticketId: ticketId, type: "created", payload: #"{"state":"pending"}"#, logger: logger) }
            return created
        }
    }

    /// A ticket's state and lease as stored.
    public func ticket(id: String) async throws -> (state: String, leaseNode: String?, leaseVersion: Int64)? {
        let rows = try await client.query("SELECT state, lease_node, lease_version FROM ticket WHERE id = \(id)", logger: logger)
        for try await (state, node, version) in rows.decode((String, String?, Int64).self) { return (state, node, version) }
        return nil
    }

    /// Claims the most urgent ticket for `node`: an unleased one in a claimable state, or one whose
    /// lease has expired (its node stopped renewing), moved to `state` under a new lease version.
    public func claim(node: String, leaseSecs: Double, movingTo state: String) async throws -> Lease? {
        try await transaction { connection in
            let rows = try await connection.query("""
                WITH next AS (
                    SELECT id FROM ticket
                    WHERE (lease_node IS NULL AND state = ANY(\(Self.claimableStates)))
                       OR (lease_node IS NOT NULL AND lease_expires < clock_timestamp())
                    ORDER BY priority DESC, created_at
                    LIMIT 1
                    FOR UPDATE SKIP LOCKED
                )
                UPDATE ticket SET lease_node = \(node), lease_expires = clock_timestamp() + make_interval(secs => \(leaseSecs)),
                    lease_version = ticket.lease_version + 1, updated_at = clock_timestamp(),
                    state = CASE WHEN ticket.lease_node IS NULL THEN \(state) ELSE ticket.state END
                FROM next WHERE ticket.id = next.id
                RETURNING ticket.id, ticket.lease_version, ticket.state, ticket.ticket_json
                """, logger: logger)
            var lease: Lease?
            for try await (id, version, current, json) in rows.decode((String, Int64, String, String).self) {
                lease = Lease(ticketId: id, node: node, version: version, state: current, ticketJSON: json)
            }
            if let lease {
                _ = try await Self.appendEvent(
                    connection, ticketId: lease.ticketId, type: "claimed",
                    payload: #"{"node":"\#(Self.jsonEscaped(node))","lease_version":\#(lease.version),"state":"\#(lease.state)"}"#, logger: logger)
            }
            return lease
        }
    }

    /// Extends the lease by `leaseSecs` from now; `leaseLost` when another node has taken it over.
    public func renew(_ lease: Lease, leaseSecs: Double) async throws {
        let rows = try await client.query("""
            UPDATE ticket SET lease_expires = clock_timestamp() + make_interval(secs => \(leaseSecs))
            WHERE id = \(lease.ticketId) AND lease_node = \(lease.node) AND lease_version = \(lease.version)
            RETURNING id
            """, logger: logger)
        var renewed = false
        for try await _ in rows { renewed = true }
        guard renewed else { throw QueueError.leaseLost(ticketId: lease.ticketId, node: lease.node, version: lease.version) }
    }

    /// Moves the leased ticket to `state` with an event, under the lease (fenced). `release`: the lease
    /// ends with it (the ticket is finished, or handed back to the queue).
    public func transition(_ lease: Lease, to state: String, release: Bool, eventPayload: String = "{}") async throws {
        try await transaction { connection in
            let rows = try await connection.query("""
                UPDATE ticket SET state = \(state), updated_at = clock_timestamp(),
                    lease_node = CASE WHEN \(release) THEN NULL ELSE lease_node END,
                    lease_expires = CASE WHEN \(release) THEN NULL ELSE lease_expires END
                WHERE id = \(lease.ticketId) AND lease_node = \(lease.node) AND lease_version = \(lease.version)
                RETURNING id
                """, logger: logger)
            var moved = false
            for try await _ in rows { moved = true }
            guard moved else { throw QueueError.leaseLost(ticketId: lease.ticketId, node: lease.node, version: lease.version) }
            _ = try await Self.appendEvent(connection, ticketId: lease.ticketId, type: "state_change", payload: eventPayload, logger: logger)
        }
    }

    // MARK: - Events

    /// Appends an event under the lease (fenced) and announces it on `eventChannel` when the transaction commits.
    @discardableResult
    public func appendEvent(_ lease: Lease, type: String, payload: String) async throws -> Int {
        try await transaction { connection in
            // Lock the row and check the lease in one statement, so a takeover cannot slip in between.
            let rows = try await connection.query("""
                SELECT id FROM ticket WHERE id = \(lease.ticketId) AND lease_node = \(lease.node) AND lease_version = \(lease.version) FOR UPDATE
                """, logger: logger)
            var held = false
            for try await _ in rows { held = true }
            guard held else { throw QueueError.leaseLost(ticketId: lease.ticketId, node: lease.node, version: lease.version) }
            return try await Self.appendEvent(connection, ticketId: lease.ticketId, type: type, payload: payload, logger: logger)
        }
    }

    /// A ticket's events after `since`, in order: the replay a WebSocket client asks for on any node.
    public func events(ticketId: String, since: Int = 0) async throws -> [Event] {
        var events: [Event] = []
        let rows = try await client.query("""
            SELECT seq, type, payload FROM ticket_event WHERE ticket_id = \(ticketId) AND seq > \(since) ORDER BY seq
            """, logger: logger)
        for try await (seq, type, payload) in rows.decode((Int, String, String).self) {
            events.append(Event(ticketId: ticketId, seq: seq, type: type, payload: payload))
        }
        return events
    }

    /// Inside the caller's transaction: the next `seq` (the ticket's row is locked by the caller or by
    /// the insert), the row, and `pg_notify`, which PostgreSQL delivers only if the transaction commits.
    static func appendEvent(_ connection: PostgresConnection, ticketId: String, type: String, payload: String, logger: Logger) async throws -> Int {
        let rows = try await connection.query("""
            INSERT INTO ticket_event (ticket_id, seq, type, payload)
            SELECT \(ticketId), COALESCE(MAX(seq), 0) + 1, \(type), \(payload) FROM ticket_event WHERE ticket_id = \(ticketId)
            RETURNING seq
            """, logger: logger)
        var seq = 0
        for try await value in rows.decode(Int.self) { seq = value }
        try await connection.query("SELECT pg_notify(\(eventChannel), \(ticketId + "\t" + String(seq)))", logger: logger)
        return seq
    }

    // MARK: - Nodes

    /// Records that `node` is alive now.
    public func heartbeat(node: String) async throws {
        try await client.query("""
            INSERT INTO node (id, heartbeat_at) VALUES (\(node), clock_timestamp())
            ON CONFLICT (id) DO UPDATE SET heartbeat_at = EXCLUDED.heartbeat_at
            """, logger: logger)
    }

    /// Each node with the tickets it holds a live lease on.
    public func nodes() async throws -> [(node: String, tickets: [String])] {
        var held: [String: [String]] = [:]
        let leases = try await client.query("""
            SELECT lease_node, id FROM ticket WHERE lease_node IS NOT NULL AND lease_expires >= clock_timestamp() ORDER BY id
            """, logger: logger)
        for try await (node, id) in leases.decode((String, String).self) { held[node, default: []].append(id) }
        var out: [(String, [String])] = []
        for try await node in try await client.query("SELECT id FROM node ORDER BY id", logger: logger).decode(String.self) {
            out.append((node, held[node] ?? []))
        }
        return out
    }

    static func jsonEscaped(_ text: String) -> String {
        text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
    }
}
