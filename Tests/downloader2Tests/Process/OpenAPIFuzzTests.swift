import Basics
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
import Tickets

/// The API as described: the document validates as OpenAPI 3.1, and schemathesis (PyPI) fuzzes
/// every operation of the real binary against it: no 5xx, no response the document does not allow.
@Suite("The API described and fuzzed (openapi-spec-validator, schemathesis)", .system)
struct OpenAPIFuzzTests {
    static let token = "fuzz-token"

    @Test("openapi.json validates, and schemathesis finds no server error and no response outside the document")
    func fuzz() async throws {
        let dir = TemporaryDirectory("fuzz")
        try FileManager.default.createDirectory(atPath: dir.file("media"), withIntermediateDirectories: true)
        let port = try freeLoopbackPort()
        let service = try ServiceProcess(
            ["serve"], environment: StorageFaultTests.environment(dir, port: port, database: dir.file("data/db.sqlite"), token: Self.token),
            log: dir.file("serve.log"))
        let http = LiveHTTP(port: port, token: Self.token)
        await service.waitUntilHealthy(http)
        // A ticket in the store, so the {id} routes have something real to find as well.
        let ticket = Fixtures.ticket(id: "fuzz-ticket", root: dir.file("media"))
        #expect(try await http.send("POST", "/api/v1/ticket", body: Fixtures.json(ticket)).status == 201)

        // The document is served without a token and is valid OpenAPI 3.1
        let (document, response) = try await URLSession.shared.data(from: URL(string: "http://127.0.0.1:\(port)/api/v1/openapi.json")!)
        #expect((response as? HTTPURLResponse)?.statusCode == 200)
        let path = dir.file("openapi.json")
        try document.write(to: URL(fileURLWithPath: path))
        // Through python3 -m: the PyPI tools' own scripts may sit where PATH does not look (pyenv shims).
        // Both tools run off Swift's cooperative pool: schemathesis takes tens of seconds, and a pool
        // thread held that long starves every other test's in-process servers and orchestrators.
        let validator = try AudioCheck.python(with: "openapi_spec_validator")
        let validated = try await runBlocking { Result { try ExternalTool.run(validator, ["-m", "openapi_spec_validator", path]) } }.get()
        #expect(String(decoding: validated.stdout, as: UTF8.self).contains("OK"))

        // Every operation fuzzed against the running binary (loopback only, bounded examples)
        let python = try AudioCheck.python(with: "schemathesis")
        let run = await runBlocking {
            Result {
                try ExternalTool.run(
                    python,
                    [
                        "-m", "schemathesis.cli", "run", path, "--url", "http://127.0.0.1:\(port)", "-H", "Authorization: Bearer \(Self.token)",
                        "--checks", "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance",
                        "--max-examples", "25", "--seed", "20261129", "--workers", "1", "--request-timeout", "10",
                        "--phases", "examples,coverage,fuzzing", "--generation-database", "none", "--no-color",
                        "--exclude-path", "/api/v1/ws",
                    ])
            }
        }
        switch run {
        case .success(let output):
            #expect(String(decoding: output.stdout, as: UTF8.self).contains("passed"))
        case .failure(let error):
            let report =
                (error as? ExternalTool.ToolFailure).map { String(decoding: $0.output.stdout, as: UTF8.self) + $0.output.stderr } ?? "\(error)"
            Issue.record("schemathesis found problems:\n\(report.suffix(8000))\nservice log:\n\(service.log.suffix(3000))")
        }
        // And the service survived it all
        #expect(try await http.send("GET", "/api/v1/health").status == 200)
        #expect(try await http.send("GET", "/api/v1/ticket/fuzz-ticket").status == 200)
    }
}
