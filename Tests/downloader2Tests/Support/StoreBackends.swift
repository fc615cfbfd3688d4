import Foundation
import Logging
import PostgresNIO
import Storage
import Synchronization
import Testing

/// The two implementations of `TicketStore` the conformance suite runs against.
enum Backend: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite, postgres
    var testDescription: String { rawValue }

    /// The backends a run tests: PostgreSQL is a real server, so only system runs (`make test`) have
    /// it; a plain `swift test` says so once and runs the SQLite cases.
    static let tested: [Backend] = {
        if SystemTests.enabled { return allCases }
        print("➜ TicketStore conformance on PostgreSQL skipped: a system test (a real server); `make test` runs it with DOWNLOADER2_SYSTEM_TESTS=1")
        return [.sqlite]
    }()
}

/// Opens stores on one database of a backend: a second `open` is another process (or node) on the
/// same data, as after a restart.
final class StoreOpener: Sendable {
    let backend: Backend
    let dir: TemporaryDirectory
    let server: PostgresServer?
    private let running = Mutex<[Task<Void, Never>]>([])

    init(backend: Backend, dir: TemporaryDirectory, server: PostgresServer?) {
        self.backend = backend
        self.dir = dir
        self.server = server
    }

    func open(node: String = "node-a", leaseSecs: Double = 30, timeout: Duration = .seconds(5)) async throws -> any TicketStore {
        switch backend {
        case .sqlite: return try AppDatabase.open(path: dir.file("db/downloader2.db"))
        case .postgres: return try await openPostgres(node: node, leaseSecs: leaseSecs, timeout: timeout)
        }
    }

    /// A PostgreSQL store, running and migrated.
    func openPostgres(node: String = "node-a", leaseSecs: Double = 30, timeout: Duration = .seconds(5)) async throws -> PostgresStore {
        let server = try #require(server)
        let store = PostgresStore(
            configuration: server.configuration, options: .init(nodeId: node, leaseSecs: leaseSecs, timeout: timeout),
            logger: Logger(label: "store-\(node)"))
        running.withLock { $0.append(Task<Void, Never> { _ = try? await store.run() }) }
        try await store.migrate()
        try await store.registerNode()
        return store
    }

    /// Stops every store's client and the server, removing what they wrote.
    func close() async {
        let tasks = running.withLock { $0 }
        for task in tasks { task.cancel() }
        for task in tasks { await task.value }
        await server?.stop()
    }

    /// Runs `body` with an opener for `backend`, on a fresh database that is removed afterwards.
    static func with(_ backend: Backend, _ body: (StoreOpener) async throws -> Void) async throws {
        let server = backend == .postgres ? try await PostgresServer.start() : nil
        let opener = StoreOpener(backend: backend, dir: TemporaryDirectory(), server: server)
        do {
            try await body(opener)
        } catch {
            await opener.close()
            throw error
        }
        await opener.close()
    }
}
