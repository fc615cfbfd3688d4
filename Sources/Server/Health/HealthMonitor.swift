import Foundation
import Logging
import Search
import ServiceLifecycle
import Synchronization

/// Runs the health checks inside `serve` every `[health] interval_mins` and keeps the last report
/// for `GET /api/v1/health/checks` and the admin page's banner. Problems are logged as they appear.
public final class HealthMonitor: Service, Sendable {
    let config: AppConfig
    let logger: Logger
    /// Checks read fresh for every report (the notification targets' last outcome).
    let live: @Sendable () -> [HealthCheck]
    /// What the service's searches met per indexer (pauses, failures): part of every report.
    let indexers: IndexerHealth?
    private let latest = Mutex(HealthReport(checkedAt: nil, checks: []))

    public init(config: AppConfig, logger: Logger, indexers: IndexerHealth? = nil, live: @escaping @Sendable () -> [HealthCheck] = { [] }) {
        self.config = config
        self.logger = logger
        self.indexers = indexers
        self.live = live
    }

    /// The last report with the live checks added; the first call before any run runs the checks at once.
    public func report() async -> HealthReport {
        var current = latest.withLock { $0 }
        if current.checkedAt == nil { current = await check() }
        current.checks += live()
        // A pause that began since the last run shows at once, in place of that run's word on the indexer.
        for (name, entry) in await indexers?.snapshot() ?? [:] {
            guard let until = entry.pausedUntil, until > Date() else { continue }
            current.checks.removeAll { $0.check == "indexer" && $0.subject == name }
            current.checks.append(
                HealthCheck(
                    "indexer", name, .warning,
                    "paused until \(ISO8601DateFormatter().string(from: until)): it asked for a pause (HTTP 429 / Retry-After)",
                    hint: "searches wait for it; other indexers go on"))
        }
        return current
    }

    /// Runs every check now (the engine's own port excluded) and keeps the result.
    @discardableResult
    public func check() async -> HealthReport {
        let report = HealthReport(checkedAt: Date(), checks: await HealthChecks.run(config, listenPort: false, indexers: indexers))
        latest.withLock { $0 = report }
        for problem in report.checks where problem.status != .ok {
            logger.warning("health: \(problem.status.rawValue) \(problem.check) \(problem.subject): \(problem.message)")
        }
        return report
    }

    public func run() async throws {
        let interval = Duration.seconds(config.health.intervalMins * 60)
        while !Task.isCancelled, !Task.isShuttingDownGracefully {
            await check()
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
        }
    }
}
