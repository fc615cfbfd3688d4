import Foundation
import Hummingbird
import NIOCore
import HummingbirdWebSocket
import Logging
import Pipeline
import Prometheus
import Storage
import Tickets
import Torrent

/// What the HTTP layer needs from the rest of the process.
public struct ServerDependencies: Sendable {
    public var config: AppConfig
    public var database: any TicketStore
    public var orchestrator: Orchestrator
    /// The bearer token in force (configured, or generated and kept on disk).
    public var authToken: String
    public var logger: Logger
    /// Where the pipeline's metrics are recorded; `/metrics` exports it.
    public var metrics: PrometheusCollectorRegistry
    /// Gauges read at scrape time from other services (the torrent engine's transfer totals).
    public var sampleGauges: @Sendable (PrometheusCollectorRegistry) async -> Void
    /// The periodic health checks; without one, `GET /health/checks` runs them on each request.
    public var health: HealthMonitor?
    /// The speed limits in force (`GET /stats`), when the engine runs in this process.
    public var bandwidth: (@Sendable () -> BandwidthState)?
    /// The RSS sync's last round (`GET /stats`).
    public var rss: (@Sendable () -> RSSRound?)?
    /// Several nodes: other nodes' events (the WebSocket shows them beside this node's own).
    public var remoteEvents: EventBus?
    /// Several nodes: the shared store, for `GET /nodes`.
    public var cluster: (any SharedTicketStore)?
    /// When this process started (`GET /nodes` with SQLite).
    public var startedAt = Date()
    /// The interactive search (`GET /search`, `GET /ticket/{id}/search`); nil answers 503.
    public var search: InteractiveSearch?
    /// The engine's torrents and their seeding (`GET /torrents`, gauges); nil answers 503.
    public var seeding: SeedingSource?

    public init(
        config: AppConfig, database: any TicketStore, orchestrator: Orchestrator, authToken: String, logger: Logger,
        metrics: PrometheusCollectorRegistry = PrometheusCollectorRegistry(),
        sampleGauges: @escaping @Sendable (PrometheusCollectorRegistry) async -> Void = { _ in }, health: HealthMonitor? = nil,
        bandwidth: (@Sendable () -> BandwidthState)? = nil, rss: (@Sendable () -> RSSRound?)? = nil,
        remoteEvents: EventBus? = nil, cluster: (any SharedTicketStore)? = nil, search: InteractiveSearch? = nil,
        seeding: SeedingSource? = nil
    ) {
        self.seeding = seeding
        self.search = search
        self.remoteEvents = remoteEvents
        self.cluster = cluster
        self.rss = rss
        self.bandwidth = bandwidth
        self.health = health
        self.config = config
        self.database = database
        self.orchestrator = orchestrator
        self.authToken = authToken
        self.logger = logger
        self.metrics = metrics
        self.sampleGauges = sampleGauges
    }
}

/// Where `GET /torrents`, the gauges and the health checks read the engine's seeding.
public struct SeedingSource: Sendable {
    public var entries: @Sendable () async -> [SeedingEntry]
    /// The payload cleaner's last word on the disk budget.
    public var report: SeedingBudgetReport?

    public init(report: SeedingBudgetReport? = nil, entries: @escaping @Sendable () async -> [SeedingEntry]) {
        self.entries = entries
        self.report = report
    }
}

/// Paths under this prefix form the API of docs/ARCHITECTURE.md#http-api.
let apiPrefix = "/api/v1"

/// The router production and tests share: error shape, auth, then the routes.
public func buildRouter(_ deps: ServerDependencies) -> Router<BasicRequestContext> {
    let router = Router(context: BasicRequestContext.self)
    router.add(middleware: ErrorMiddleware())
    router.add(
        middleware: BearerAuthMiddleware(token: deps.authToken, openPaths: ["\(apiPrefix)/health", "\(apiPrefix)/openapi.json", "/metrics", "/"]))
    MetricsRoutes(deps: deps).register(on: router)
    // The admin page holds no data: it asks for the token and then uses the API like any client.
    router.get("/") { _, _ -> Response in
        Response(
            status: .ok, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-cache"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: AdminPage.html)))
    }
    let api = router.group(RouterPath(apiPrefix))
    // The API described (OpenAPI 3.1), open like the health probe: it holds no data.
    api.get("openapi.json") { _, _ -> Response in
        Response(
            status: .ok, headers: [.contentType: "application/json", .cacheControl: "no-cache"],
            body: ResponseBody(byteBuffer: ByteBuffer(string: OpenAPIDocument.json)))
    }
    TicketRoutes(deps: deps).register(on: api)
    AdminRoutes(deps: deps).register(on: api)
    BlocklistRoutes(deps: deps).register(on: api)
    VerificationRoutes(deps: deps).register(on: api)
    StatusRoutes(deps: deps).register(on: api)
    SearchRoutes(deps: deps).register(on: api)
    TorrentRoutes(deps: deps).register(on: api)
    registerEventSocketHint(on: api)
    return router
}

/// The HTTP server as a service, bound to `[server] host:port`; WebSocket upgrades go to the event socket.
public func buildApplication(_ deps: ServerDependencies) -> some ApplicationProtocol {
    Application(
        router: buildRouter(deps),
        server: .http1WebSocketUpgrade(webSocketRouter: buildWebSocketRouter(deps)),
        configuration: .init(address: .hostname(deps.config.server.host, port: deps.config.server.port), serverName: "downloader2"),
        logger: deps.logger)
}
