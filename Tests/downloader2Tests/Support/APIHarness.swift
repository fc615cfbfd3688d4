import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Pipeline
import Search
import Server
import Storage
import Tickets

/// The production router over a real SQLite file, with a media root in a temp directory.
struct APIHarness {
    static let token = "test-token-0123456789"
    let dir = TemporaryDirectory("downloader2-api")
    let database: AppDatabase
    let orchestrator: Orchestrator
    let config: AppConfig
    /// What the interactive search met per indexer (its indexers are the configuration's).
    let indexerHealth = IndexerHealth()
    var mediaRoot: String { dir.file("media") }

    init(configure: (inout AppConfig) -> Void = { _ in }) throws {
        var config = AppConfig()
        config.server.authToken = Self.token
        config.server.host = "127.0.0.1"
        config.server.port = 0
        config.database.path = dir.file("db/downloader2.db")
        config.placer.mediaRoots = [dir.file("media")]
        configure(&config)
        try FileManager.default.createDirectory(atPath: dir.file("media"), withIntermediateDirectories: true)
        self.config = config
        database = try AppDatabase.open(path: config.database.path)
        orchestrator = Orchestrator(
            database: database, stages: ScriptedStages().pipeline, settings: PipelineSettings(), logger: Logger(label: "test"))
    }

    var dependencies: ServerDependencies {
        ServerDependencies(
            config: config, database: database, orchestrator: orchestrator, authToken: Self.token, logger: Logger(label: "test"),
            search: InteractiveSearch(
                search: CandidateSearch(indexers: config.indexerClients(), health: indexerHealth),
                autoApproveThreshold: config.matcher.autoApproveThreshold))
    }

    /// Runs `body` with a client of the production router.
    func test(_ body: @escaping @Sendable (APIClientForTests) async throws -> Void) async throws {
        let app = Application(router: buildRouter(dependencies))
        try await app.test(.router) { client in try await body(APIClientForTests(client: client)) }
    }
}

/// One answer: status, headers and the body parsed as JSON (`.null` if empty or not JSON).
struct APIAnswer {
    var status: HTTPResponse.Status
    var headers: HTTPFields
    var json: JSONValue
    var error: JSONValue? { json["error"] }
    var errorCode: String? { json["error"]?["code"]?.stringValue }
    var errorField: String? { json["error"]?["field"]?.stringValue }
}

struct APIClientForTests: Sendable {
    let client: any TestClientProtocol

    func send(_ method: HTTPRequest.Method, _ path: String, body: String? = nil, token: String? = APIHarness.token) async throws -> APIAnswer {
        var headers: HTTPFields = [.contentType: "application/json"]
        if let token { headers[.authorization] = "Bearer \(token)" }
        return try await client.execute(uri: path, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) }) { response in
            let bytes = Data(buffer: response.body)
            let json = (try? JSONValue(json: bytes)) ?? .null
            return APIAnswer(status: response.status, headers: response.headers, json: json)
        }
    }

    func post(_ path: String, _ body: String? = nil) async throws -> APIAnswer { try await send(.post, path, body: body) }
    func get(_ path: String) async throws -> APIAnswer { try await send(.get, path) }
}

extension APIHarness {
    /// One request through the router, answered with its status and raw body.
    func raw(_ method: HTTPRequest.Method, _ path: String) async throws -> (status: HTTPResponse.Status, body: Data) {
        let app = Application(router: buildRouter(dependencies))
        return try await app.test(.router) { client in
            try await client.execute(uri: path, method: method, headers: [.authorization: "Bearer \(Self.token)"]) { response in
                (response.status, Data(buffer: response.body))
            }
        }
    }
}
