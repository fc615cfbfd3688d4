import Foundation
import Logging
import PostgresNIO

extension PostgresStore {
    /// Named, append-only migrations, applied in order at start (``migrate()``). The tables hold what
    /// SQLite's do (docs/ARCHITECTURE.md#storage), plus the lease columns and the `node` table.
    static let migrations: [(name: String, statements: [String])] = [
        (
            "v1-store",
            [
                """
                CREATE TABLE ticket (
                    id TEXT PRIMARY KEY,
                    ticket_json TEXT NOT NULL,
                    state TEXT NOT NULL,
                    state_details TEXT NOT NULL,
                    priority INTEGER NOT NULL DEFAULT 0,
                    retry_count INTEGER NOT NULL DEFAULT 0,
                    wait_until TIMESTAMPTZ,
                    error_message TEXT,
                    error_history TEXT NOT NULL DEFAULT '[]',
                    search_query TEXT,
                    approval_state TEXT,
                    approval_details TEXT,
                    created_at TIMESTAMPTZ NOT NULL,
                    updated_at TIMESTAMPTZ NOT NULL,
                    duplicate_key TEXT NOT NULL,
                    lease_node TEXT,
                    lease_expires TIMESTAMPTZ,
                    lease_version BIGINT NOT NULL DEFAULT 0,
                    last_node TEXT
                )
                """,
                "CREATE INDEX ticket_claim ON ticket (state, priority DESC, created_at)",
                "CREATE INDEX ticket_newest ON ticket (created_at DESC, id)",
                "CREATE INDEX ticket_duplicate ON ticket (duplicate_key)",
                "CREATE INDEX ticket_lease ON ticket (lease_node) WHERE lease_node IS NOT NULL",
                """
                CREATE TABLE ticket_event (
                    id BIGSERIAL UNIQUE,
                    ticket_id TEXT NOT NULL REFERENCES ticket (id),
                    seq INTEGER NOT NULL,
                    type TEXT NOT NULL,
                    payload TEXT NOT NULL,
                    created_at TIMESTAMPTZ NOT NULL,
                    node TEXT NOT NULL,
                    PRIMARY KEY (ticket_id, seq)
                )
                """,
                // History is evidence: the database itself refuses to rewrite it.
                """
                CREATE FUNCTION ticket_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN RAISE EXCEPTION 'ticket_event is append-only'; END $$
                """,
                """
                CREATE TRIGGER ticket_event_append_only BEFORE UPDATE OR DELETE ON ticket_event
                FOR EACH ROW EXECUTE FUNCTION ticket_event_append_only()
                """,
                """
                CREATE TABLE ticket_torrent (
                    ticket_id TEXT NOT NULL REFERENCES ticket (id) ON DELETE CASCADE,
                    info_hash TEXT NOT NULL,
                    PRIMARY KEY (ticket_id, info_hash)
                )
                """,
                "CREATE INDEX ticket_torrent_hash ON ticket_torrent (info_hash)",
                """
                CREATE TABLE candidate (
                    id BIGSERIAL PRIMARY KEY,
                    ticket_id TEXT NOT NULL REFERENCES ticket (id) ON DELETE CASCADE,
                    info_hash TEXT NOT NULL,
                    title TEXT NOT NULL,
                    indexer TEXT NOT NULL,
                    score DOUBLE PRECISION,
                    payload TEXT NOT NULL,
                    created_at TIMESTAMPTZ NOT NULL,
                    UNIQUE (ticket_id, info_hash)
                )
                """,
                """
                CREATE TABLE download_file (
                    id BIGSERIAL PRIMARY KEY,
                    ticket_id TEXT NOT NULL REFERENCES ticket (id) ON DELETE CASCADE,
                    path TEXT NOT NULL,
                    size BIGINT NOT NULL,
                    type TEXT NOT NULL,
                    sha256 TEXT,
                    verified_at TIMESTAMPTZ,
                    UNIQUE (ticket_id, path)
                )
                """,
                "CREATE INDEX download_file_path ON download_file (path)",
                """
                CREATE TABLE blocklist (
                    info_hash TEXT PRIMARY KEY,
                    title TEXT,
                    reason TEXT NOT NULL,
                    evidence TEXT NOT NULL,
                    artist TEXT,
                    album TEXT,
                    source TEXT NOT NULL,
                    ticket_id TEXT,
                    created_at TIMESTAMPTZ NOT NULL,
                    added BIGSERIAL
                )
                """,
                "CREATE TABLE setting (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
                """
                CREATE TABLE node (
                    id TEXT PRIMARY KEY,
                    started_at TIMESTAMPTZ NOT NULL,
                    heartbeat_at TIMESTAMPTZ NOT NULL,
                    max_parallel_downloads INTEGER NOT NULL,
                    address TEXT NOT NULL DEFAULT ''
                )
                """,
            ]
        ),
        // The next backoff from the few tickets that have one (`nextWakeTime`), not every waiting ticket.
        ("v2-waiting", ["CREATE INDEX ticket_waiting ON ticket (wait_until) WHERE wait_until IS NOT NULL"]),
    ]

    /// Applies the migrations not applied yet. Safe when several nodes start at once: one transaction
    /// under an advisory lock, so a second node waits and then finds everything applied.
    public func migrate() async throws {
        let logger = logger
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
        migrated.store(true, ordering: .releasing)
    }

    /// Names of the migrations applied, in order.
    public func appliedMigrations() async throws -> [String] {
        try await run { client, logger in
            var names: [String] = []
            for try await name in try await client.query("SELECT name FROM schema_migration ORDER BY applied_at, name", logger: logger).decode(
                String.self)
            {
                names.append(name)
            }
            return names
        }
    }
}
