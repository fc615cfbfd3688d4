import Basics
import Foundation
import Testing
import Tickets

/// `downloader2 doctor` against broken setups: each problem is an error line naming what is wrong,
/// the exit status is non-zero, and no key is printed.
@Suite("downloader2 doctor and the health checks", .system)
struct DoctorTests {
    struct Found: Decodable {
        var check: String
        var subject: String
        var status: String
        var message: String
    }

    struct Report: Decodable {
        var status: String
        var checks: [Found]
    }

    /// Runs doctor twice (JSON and text) off Swift's cooperative pool: the fixture indexer it asks
    /// answers on that pool, and a blocked pool thread would starve it.
    func doctor(_ dir: TemporaryDirectory, _ lines: [String]) async throws -> (status: Int32, report: Report?, text: String) {
        try (lines.joined(separator: "\n") + "\n").write(toFile: dir.file("doctor.toml"), atomically: true, encoding: .utf8)
        let config = dir.file("doctor.toml")
        let json = try await runBlocking { Result { try ExternalTool.outcome(ServiceProcess.binary, ["doctor", "--config", config, "--json"]) } }
            .get()
        let text = try await runBlocking { Result { try ExternalTool.outcome(ServiceProcess.binary, ["doctor", "--config", config]) } }.get()
        let report = try? TicketJSON.decoder().decode(Report.self, from: json.stdout)
        return (json.status, report, String(decoding: text.stdout, as: UTF8.self))
    }

    func base(
        _ dir: TemporaryDirectory, media: [String], jackett: String = "", key: String = "doctor-secret-key", port: Int = 0, minFreeMb: Int = 1
    ) -> [String] {
        [
            "[database]", "path = \"\(dir.file("data/db.sqlite"))\"",
            "[jackett]", "url = \"\(jackett)\"", "api_key = \"\(key)\"", "timeout_secs = 10",
            "[torrent]", "download_path = \"\(dir.file("dl"))\"", "listen_interfaces = \"127.0.0.1:\(port)\"",
            "[converter]", "temp_dir = \"\(dir.file("tmp"))\"",
            "[placer]", "media_roots = [\(media.map { "\"\($0)\"" }.joined(separator: ", "))]",
            "[health]", "min_free_mb = \(minFreeMb)",
        ]
    }

    @Test("downloader2 health: exit 0 and ok from a live server's /api/v1/health; exit 1 naming the address when nothing answers")
    func healthCommand() async throws {
        let dir = TemporaryDirectory("health-command")
        try FileManager.default.createDirectory(atPath: dir.file("media"), withIntermediateDirectories: true)
        let port = try freeLoopbackPort()
        var lines = base(dir, media: [dir.file("media")])
        lines += ["[server]", "host = \"0.0.0.0\"", "port = \(port)", "auth_token = \"health-token\""]
        try (lines.joined(separator: "\n") + "\n").write(toFile: dir.file("health.toml"), atomically: true, encoding: .utf8)
        func health() async throws -> (status: Int32, output: String) {
            let result = try await runBlocking {
                Result { try ExternalTool.outcome(ServiceProcess.binary, ["health", "--config", dir.file("health.toml")]) }
            }
            .get()
            return (result.status, String(decoding: result.stdout, as: UTF8.self) + result.stderr)
        }
        // Nothing listens yet: unhealthy, and the address it asked (0.0.0.0 is asked on 127.0.0.1)
        let down = try await health()
        #expect(down.status == 1 && down.output.contains("unhealthy: cannot reach http://127.0.0.1:\(port)/api/v1/health"), "\(down)")
        // A server on that port: healthy
        let service = try ServiceProcess(["serve", "--config", dir.file("health.toml")], log: dir.file("serve.log"))
        defer { service.stop() }
        try #require(await service.waitUntilHealthy(LiveHTTP(port: port, token: "health-token")))
        let up = try await health()
        #expect(up.status == 0 && up.output.hasPrefix("ok: http://127.0.0.1:\(port)/api/v1/health"), "\(up)")
    }

    @Test("a sound setup: every check ok, exit 0; the text form prints one line per check")
    func sound() async throws {
        let dir = TemporaryDirectory("doctor-ok")
        try FileManager.default.createDirectory(atPath: dir.file("media"), withIntermediateDirectories: true)
        try await FixtureIndexer.serve { base, _ in
            let result = try await doctor(
                dir, self.base(dir, media: [dir.file("media")], jackett: base, key: FixtureIndexer.apiKey, port: try freeLoopbackPort()))
            let report = try #require(result.report, "doctor --json printed JSON")
            #expect(result.status == 0, "\(report.checks.filter { $0.status != "ok" })")
            for name in ["config", "media_root", "free_space", "same_file_system", "indexer", "listen_port", "encoder"] {
                #expect(report.checks.contains { $0.check == name }, "\(name) checked")
            }
            #expect(report.checks.filter { $0.check == "encoder" }.count == AudioFormat.allCases.count)
            #expect(result.text.split(separator: "\n").count == report.checks.count)
            #expect(!result.text.contains("doctor-secret-key") && !result.text.contains(FixtureIndexer.apiKey))
        }
    }

    @Test("broken setups: a missing media root, a read-only one, a full disk, a refused key, a port in use — each an error, exit 1")
    func broken() async throws {
        let dir = TemporaryDirectory("doctor-broken")
        let readOnly = try SmallFileSystem(at: dir.file("ro"), size: "1m")
        let full = try SmallFileSystem(at: dir.file("full"), size: "2m")
        defer { withExtendedLifetime([readOnly, full]) {} }
        #expect(readOnly.makeReadOnly())
        _ = try StorageFaultTests.fill(full.path)
        // A port in use: bound (and listening) here while doctor runs.
        let port = try freeLoopbackPort()
        let holder = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(holder) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        #expect(
            withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(holder, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            } == 0)
        #expect(listen(holder, 1) == 0)

        try await FixtureIndexer.serve { base, _ in
            // The fixture accepts only its own key: doctor's key is refused.
            let result = try await doctor(
                dir, self.base(dir, media: [dir.file("missing"), readOnly.path, full.path], jackett: base, port: port, minFreeMb: 1))
            let report = try #require(result.report)
            #expect(result.status == 1)
            #expect(report.status == "error")
            func status(_ check: String, _ subject: String) -> Found? { report.checks.first { $0.check == check && $0.subject.hasSuffix(subject) } }
            #expect(status("media_root", "missing")?.status == "error" && status("media_root", "missing")?.message.contains("does not exist") == true)
            #expect(status("media_root", "ro")?.status == "error" && status("media_root", "ro")?.message.contains("not writable") == true)
            #expect(status("free_space", "full")?.status == "error", "\(report.checks.filter { $0.check == "free_space" })")
            #expect(report.checks.first { $0.check == "indexer" }?.status == "error")
            #expect(report.checks.first { $0.check == "indexer" }?.message.contains("refuses its API key") == true)
            #expect(report.checks.first { $0.check == "listen_port" }?.status == "error")
            #expect(!result.text.contains("doctor-secret-key"), "the key is never printed")
            #expect(result.text.contains("error   media_root"))
        }
    }

    @Test("a configuration that does not parse is an error naming the key")
    func badConfig() async throws {
        let dir = TemporaryDirectory("doctor-config")
        let result = try await doctor(dir, ["[server]", "port = 99999"])
        #expect(result.status == 1)
        #expect(result.report?.checks.first?.check == "config" && result.report?.checks.first?.status == "error")
        #expect(result.text.contains("server.port"))
    }
}
