import Foundation
import Hummingbird
import Pipeline
import Storage
import Tickets
import Torrent

/// Health (open), queue statistics and the configuration in force (secrets redacted).
struct StatusRoutes: Sendable {
    let deps: ServerDependencies

    struct Health: Encodable {
        var status: String
        var database: String
        var version: String
    }

    struct Stats: Encodable {
        var total: Int
        var byState: [String: Int]
        var oldestPendingAgeSecs: Int?
        var activeTickets: Int
        /// The speed limits in force: `normal` or `alternative` (`[torrent] alt_schedule`).
        var bandwidth: BandwidthState?
        /// Everything paused (`POST /api/v1/pause`): no ticket is claimed.
        var pausedAll: Bool
        /// The last read of the indexers' recent-release feeds.
        var rssSync: RSSRound?
    }

    func register(on api: RouterGroup<BasicRequestContext>) {
        api.get("health", use: health)
        api.get("health/checks", use: healthChecks)
        api.get("stats", use: stats)
        api.get("config", use: config)
        api.get("nodes", use: nodes)
    }

    struct Nodes: Encodable {
        /// `postgresql` (several nodes share it) or `sqlite` (this node alone).
        var database: String
        var thisNode: String
        var nodes: [NodeStatus]
    }

    /// The nodes sharing the database, with their last heartbeat and the tickets they hold; with
    /// SQLite, this node alone.
    @Sendable func nodes(_ request: Request, context: BasicRequestContext) async throws -> Response {
        if let cluster = deps.cluster {
            return try JSONResponse.make(Nodes(database: "postgresql", thisNode: cluster.nodeId, nodes: try await cluster.nodes()))
        }
        let now = Date()
        let me = NodeStatus(
            id: deps.config.cluster.resolvedNodeId, startedAt: deps.startedAt, heartbeatAt: now, alive: true,
            maxParallelDownloads: deps.config.processing.maxParallelDownloads,
            address: "\(deps.config.server.host):\(deps.config.server.port)", tickets: await deps.orchestrator.activeTicketIds.sorted())
        return try JSONResponse.make(Nodes(database: "sqlite", thisNode: me.id, nodes: [me]))
    }

    @Sendable func health(_ request: Request, context: BasicRequestContext) async throws -> Response {
        do {
            try await deps.database.ping()
            return try JSONResponse.make(Health(status: "ok", database: "ok", version: ServiceInfo.version))
        } catch {
            context.logger.error("health check: database failed: \(error)")
            return try JSONResponse.make(
                Health(status: "degraded", database: "error: \(error)", version: ServiceInfo.version), status: .serviceUnavailable)
        }
    }

    /// The health checks' last report (authenticated: it names paths and indexers).
    @Sendable func healthChecks(_ request: Request, context: BasicRequestContext) async throws -> Response {
        let report =
            if let monitor = deps.health { await monitor.report() } else {
                HealthReport(checkedAt: Date(), checks: await HealthChecks.run(deps.config, listenPort: false, indexers: deps.search?.health))
            }
        return try JSONResponse.make(report)
    }

    @Sendable func stats(_ request: Request, context: BasicRequestContext) async throws -> Response {
        let stats = try await deps.database.queueStats()
        var byState: [String: Int] = [:]
        for state in TicketStateName.allCases { byState[state.rawValue] = stats.countByState[state] ?? 0 }
        return try JSONResponse.make(
            Stats(
                total: stats.total, byState: byState,
                oldestPendingAgeSecs: stats.oldestPendingCreatedAt.map { max(0, Int(Date().timeIntervalSince($0))) },
                activeTickets: await deps.orchestrator.activeTicketCount, bandwidth: deps.bandwidth?(),
                pausedAll: await deps.orchestrator.isPausedAll,
                rssSync: deps.rss?()))
    }

    @Sendable func config(_ request: Request, context: BasicRequestContext) async throws -> Response {
        try JSONResponse.make(deps.config.redactedJSON())
    }
}

/// Build facts of this binary.
public enum ServiceInfo {
    public static let version = "0.1.0"
}
