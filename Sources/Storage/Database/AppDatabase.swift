import Foundation
import GRDB
import Synchronization

/// The downloader's SQLite database: tickets, their events, candidates and downloaded files.
///
/// A `Sendable` value around one `DatabaseWriter`; every method runs in its own transaction and
/// is named for what it does (new tickets submitted at the same moment share one: `TicketInsertBatcher`).
/// Opening it applies all pending migrations.
public struct AppDatabase: TicketStore {
    package let writer: any DatabaseWriter
    /// New tickets, committed together when they arrive together (`TicketInsertBatcher`).
    let inserts: TicketInsertBatcher
    /// Counts the committed transactions that changed a ticket or its events (`ticketGeneration`).
    let ticketChanges = TicketChangeCounter()

    /// Wraps an existing connection (in-memory queues in tests) and migrates it.
    public init(_ writer: any DatabaseWriter) throws {
        self.writer = writer
        self.inserts = TicketInsertBatcher(writer: writer)
        try Self.migrator.migrate(writer)
        writer.add(transactionObserver: ticketChanges, extent: .databaseLifetime)
    }

    /// A number that grows with every committed change to any ticket or its events made through this
    /// database (the service is the file's only writer). A view derived from tickets and read after
    /// taking it is current for as long as the number stays the same: the API keeps rendered tickets by it.
    public var ticketGeneration: UInt64 { ticketChanges.value }

    /// Opens (creating if needed) the database file at `path` in WAL mode.
    ///
    /// `synchronous = FULL`: a ticket acknowledged to a client survives a power cut, not only a crash.
    /// `mmap_size` 256 MiB: pages are read from a mapping of the file, not copied by `pread`, so
    /// submissions keep their speed as the file grows (docs/NOTES.md#sqlite-page-reads). Writes still
    /// go through the WAL with `write`, so a full disk is still an error SQLite reports.
    public static func open(path: String) throws -> AppDatabase {
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        }
        var config = Configuration()
        config.busyMode = .timeout(10)
        config.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = FULL")
            try db.execute(sql: "PRAGMA mmap_size = 268435456")
        }
        return try AppDatabase(DatabasePool(path: path, configuration: config))
    }

    /// An in-memory database, for tests and tools.
    public static func inMemory() throws -> AppDatabase {
        try AppDatabase(DatabaseQueue())
    }

    /// One process works on the file: there is no lease to end.
    public func workEnded(ticketId: String) async {}

    /// Runs a trivial query: the health check's "database ok".
    public func ping() async throws {
        _ = try await writer.read { db in try Int.fetchOne(db, sql: "SELECT 1") }
    }

    /// The SQLite journal mode in force (`wal` for files).
    public func journalMode() async throws -> String {
        try await writer.read { db in try String.fetchOne(db, sql: "PRAGMA journal_mode") ?? "" }
    }

    /// Names of the migrations applied so far, in order.
    public func appliedMigrations() async throws -> [String] {
        try await writer.read { db in try Self.migrator.appliedMigrations(db) }
    }
}

/// Bumps its count after each commit that touched the ticket or ticket-event tables (a GRDB
/// transaction observer: it runs on the writer's queue, once the transaction is durable).
final class TicketChangeCounter: TransactionObserver, Sendable {
    private let count = Atomic<UInt64>(0)
    /// Whether the transaction under way changed a ticket (touched only on the writer's queue).
    private let touched = Atomic<Bool>(false)

    var value: UInt64 { count.load(ordering: .acquiring) }

    func observes(eventsOfKind eventKind: DatabaseEventKind) -> Bool {
        eventKind.tableName == TicketRecord.databaseTableName || eventKind.tableName == TicketEventRecord.databaseTableName
    }

    func databaseDidChange(with event: DatabaseEvent) { touched.store(true, ordering: .relaxed) }

    func databaseDidCommit(_ db: Database) {
        if touched.exchange(false, ordering: .relaxed) { count.add(1, ordering: .releasing) }
    }

    func databaseDidRollback(_ db: Database) { touched.store(false, ordering: .relaxed) }
}
