import Basics
import Foundation
import Logging
import PostgresNIO
import Testing

/// A real PostgreSQL 15 from Debian's `postgresql` package, made for one test: `initdb` in a temporary
/// folder and `pg_ctl start` on a free loopback port, as the unprivileged user `nobody` when the tests
/// run as root (PostgreSQL refuses to run as root); stopped and removed by `stop()`.
final class PostgresServer: Sendable {
    let port: Int
    let folder: String
    private let bin: String
    private let runAs: [String]

    enum Failure: Error, CustomStringConvertible {
        case missing(String)
        case command(String, Int32, String)
        var description: String {
            switch self {
            case .missing(let what): "PostgreSQL is not installed (\(what)): `make test-deps` installs Debian's postgresql package"
            case .command(let command, let status, let output): "\(command) exited with \(status): \(output)"
            }
        }
    }

    static func binaries() -> String? {
        let candidates = ["/usr/lib/postgresql/15/bin", "/usr/lib/postgresql/16/bin", "/usr/local/bin"]
        return candidates.first {
            FileManager.default.isExecutableFile(atPath: $0 + "/initdb") && FileManager.default.isExecutableFile(atPath: $0 + "/pg_ctl")
        }
    }

    /// Creates and starts a server; `initdb` and `pg_ctl` run on a Dispatch thread, never holding one of
    /// Swift's cooperative threads while they work (docs/NOTES.md, "Test machines").
    static func start() async throws -> PostgresServer {
        try SystemTests.launching("postgres")
        let result: Result<PostgresServer, any Error> = await runBlocking { Result { try PostgresServer() } }
        return try result.get()
    }

    private init() throws {
        guard let bin = Self.binaries() else { throw Failure.missing("no initdb and pg_ctl in /usr/lib/postgresql/*/bin") }
        self.bin = bin
        folder = NSTemporaryDirectory() + "downloader2-pg-" + UUID().uuidString.prefix(8)
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        runAs = getuid() == 0 ? ["/usr/sbin/runuser", "-u", "nobody", "--"] : []
        if getuid() == 0 { try Self.run(["/bin/chown", "nobody:nogroup", folder]) }
        try Self.run(runAs + [bin + "/initdb", "-D", folder + "/data", "-U", "postgres", "-A", "trust", "--no-sync", "-E", "UTF8", "--locale=C"])
        // A free port, found by binding port 0 and closing it: another process may take it before the
        // server binds it, in which case the server says so and another port is tried.
        var started: Int?
        for attempt in 1...5 where started == nil {
            let candidate = Self.freePort()
            do {
                try Self.start(bin: bin, runAs: runAs, folder: folder, port: candidate)
                started = candidate
            } catch let failure as Failure where attempt < 5 {
                let log = (try? String(contentsOfFile: folder + "/server.log", encoding: .utf8)) ?? ""
                guard log.contains("could not bind") || log.contains("Address already in use") else { throw failure }
            }
        }
        port = started ?? 0
    }

    /// Starts the server again after `stopServer()`; returns when it accepts connections.
    func restart() async throws {
        let (bin, runAs, folder, port) = (bin, runAs, folder, port)
        try await runBlocking { Result { try Self.start(bin: bin, runAs: runAs, folder: folder, port: port) } }.get()
    }

    static func start(bin: String, runAs: [String], folder: String, port: Int) throws {
        let options = "-p \(port) -k \(folder) -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=60"
        try run(runAs + [bin + "/pg_ctl", "-D", folder + "/data", "-o", options, "-l", folder + "/server.log", "-w", "-t", "60", "start"])
    }

    /// The server's last log lines, for failure messages.
    func logTail() -> String {
        ((try? String(contentsOfFile: folder + "/server.log", encoding: .utf8)) ?? "").split(separator: "\n").suffix(8).joined(separator: "\n")
    }

    /// Stops the server, keeping its data.
    func stopServer() async throws {
        let command = runAs + [bin + "/pg_ctl", "-D", folder + "/data", "-m", "fast", "-w", "stop"]
        try await runBlocking { Result { try Self.run(command) } }.get()
    }

    /// Stops the server and removes everything it wrote.
    func stop() async {
        let (command, folder) = (runAs + [bin + "/pg_ctl", "-D", folder + "/data", "-m", "immediate", "-w", "stop"], folder)
        await runBlocking {
            _ = try? Self.run(command)
            try? FileManager.default.removeItem(atPath: folder)
        }
    }

    var configuration: PostgresClient.Configuration {
        var configuration = PostgresClient.Configuration(
            host: "127.0.0.1", port: port, username: "postgres", password: nil, database: "postgres", tls: .disable)
        configuration.options.minimumConnections = 0
        configuration.options.maximumConnections = 8
        return configuration
    }

    /// Runs `body` with a running client of this server, and shuts the client down after.
    func withClient<T: Sendable>(_ body: (PostgresClient) async throws -> T) async throws -> T {
        let client = PostgresClient(configuration: configuration, backgroundLogger: Logger(label: "postgres-test"))
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            return try await body(client)
        }
    }

    /// Runs a program to its end with its output in a file (the server that `pg_ctl start` leaves
    /// running inherits no pipe of ours), through posix_spawn and waitpid.
    @discardableResult
    static func run(_ arguments: [String]) throws -> String {
        let output = NSTemporaryDirectory() + "downloader2-pg-run-" + UUID().uuidString
        defer { try? FileManager.default.removeItem(atPath: output) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        var argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid = pid_t()
        let spawned = posix_spawn(&pid, arguments[0], &actions, nil, &argv, environ)
        guard spawned == 0 else { throw Failure.command(arguments.joined(separator: " "), Int32(spawned), String(cString: strerror(spawned))) }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        let text = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
        let exited = status & 0x7f == 0
        let code = exited ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        guard code == 0 else { throw Failure.command(arguments.joined(separator: " "), code, text) }
        return text
    }

    static func freePort() -> Int {
        let socket = Foundation.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(socket) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(socket, $0, length) } }
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(socket, $0, &length) } }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
