import Foundation
import Hummingbird
import Prometheus
import Tickets

/// `GET /metrics`: Prometheus text. Tickets by state are counted from the store at each scrape;
/// stage durations, failures by class, bytes and converted audio come from the pipeline's recorders;
/// the payloads kept for seeding and the torrents still short of their goal from the engine.
/// Open like `/health`: it carries counts, never ticket contents.
struct MetricsRoutes {
    let deps: ServerDependencies

    func register(on router: Router<BasicRequestContext>) {
        router.get("metrics") { _, _ -> Response in
            let stats = try await deps.database.queueStats()
            for state in TicketStateName.allCases {
                deps.metrics.makeGauge(name: "downloader2_tickets", labels: [("state", state.rawValue)])
                    .set(Double(stats.countByState[state] ?? 0))
            }
            if let health = deps.search?.health {
                // Per indexer: failures (Jackett's trackers apart), whether it is paused, its last good answer.
                for (name, count) in await health.takeNewFailures() {
                    deps.metrics.makeCounter(name: "downloader2_indexer_failures_total", labels: [("indexer", name)]).increment(
                        by: Int64(count) as Int64)
                }
                let now = Date()
                for (name, entry) in await health.snapshot() {
                    deps.metrics.makeCounter(name: "downloader2_indexer_failures_total", labels: [("indexer", name)]).increment(by: Int64(0))
                    deps.metrics.makeGauge(name: "downloader2_indexer_paused", labels: [("indexer", name)])
                        .set(Double((entry.pausedUntil ?? .distantPast) > now ? 1 : 0))
                    if let success = entry.lastSuccessAt {
                        deps.metrics.makeGauge(name: "downloader2_indexer_last_success_timestamp_seconds", labels: [("indexer", name)])
                            .set(success.timeIntervalSince1970)
                    }
                }
            }
            if let seeding = deps.seeding {
                let entries = await seeding.entries()
                deps.metrics.makeGauge(name: "downloader2_seeding_bytes")
                    .set(Double(entries.filter(\.keptForSeeding).reduce(Int64(0)) { $0 + $1.torrent.bytesOnDisk }))
                deps.metrics.makeGauge(name: "downloader2_seeding_short_of_goal").set(Double(entries.filter(\.shortOfGoal).count))
            }
            await deps.sampleGauges(deps.metrics)
            return Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: deps.metrics.emitToString())))
        }
    }
}
