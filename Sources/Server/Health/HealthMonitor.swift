import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// Runs the health checks inside `serve` every `[health] interval_mins` and keeps the last report
/// for `GET /api/v1/health/checks` and the admin page's banner. Problems are logged as they appear.
public final class HealthMonitor: Service, Sendable {
    let config: AppConfig
    let logger: Logger
    /// Checks read fresh for every report (the notification targets' last outcome).
    let live: @Sendable () -> [HealthCheck]
    private let latest = Mutex(HealthReport(checkedAt: nil, checks: []))

    public init(config: AppConfig, logger: Logger, live: @escaping @Sendable () -> [HealthCheck] = { [] }) {
        self.config = config
        self.logger = logger
        self.live = live
    }

    /// The last report with the live checks added; the first call before any run runs the checks at once.
    public func report() async -> HealthReport {
        var current = latest.withLock { $0 }
        if current.checkedAt == nil { current = await check() }
        current.checks += live()
        return current
    }

    /// Runs every check now (the engine's own port excluded) and keeps the result.
    @discardableResult
    public func check() async -> HealthReport {
        let report = HealthReport(checkedAt: Date(), checks: await HealthChecks.run(config, listenPort: false))
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
