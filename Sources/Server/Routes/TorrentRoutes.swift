import Basics
import Foundation
import Hummingbird
import Pipeline
import Tickets
import Torrent

/// `GET /torrents`: every torrent in the engine with its seeding (ratio, seed time, its goal and what
/// is left of it) and the tickets that used it; the disk budget beside. Names are redacted like
/// every other text that leaves (a passkey has no business in a name, but a name is the tracker's).
struct TorrentRoutes: Sendable {
    let deps: ServerDependencies

    func register(on api: RouterGroup<BasicRequestContext>) {
        api.get("torrents", use: list)
    }

    @Sendable func list(_ request: Request, context: BasicRequestContext) async throws -> Response {
        guard let seeding = deps.seeding else {
            throw APIError(.serviceUnavailable, code: "torrents_unavailable", message: "this process runs no BitTorrent engine")
        }
        let entries = await seeding.entries()
        let verdict = seeding.report?.verdict
        let kept = entries.filter(\.keptForSeeding).reduce(Int64(0)) { $0 + $1.torrent.bytesOnDisk }
        let budget = Int64((deps.config.seeding.maxDiskGb * 1e9).rounded())
        let answer: JSONValue = .object([
            "torrents": .array(entries.map(Self.json)),
            "kept_for_seeding_bytes": .number(Double(kept)),
            "short_of_goal": .number(Double(entries.filter(\.shortOfGoal).count)),
            "max_disk_bytes": budget > 0 ? .number(Double(budget)) : .null,
            "over_budget": .bool(budget > 0 && kept > budget),
            "budget_checked_at": verdict.map { .string(ISO8601DateFormatter().string(from: $0.checkedAt)) } ?? .null,
        ])
        return try JSONResponse.make(answer)
    }

    static func json(_ entry: SeedingEntry) -> JSONValue {
        let t = entry.torrent
        let (ratioLeft, secsLeft) = t.remaining
        func number(_ value: Double?) -> JSONValue { value.map { .number(($0 * 1000).rounded() / 1000) } ?? .null }
        return .object([
            "info_hash": .string(t.infoHash),
            "name": .string(Secrets.shared.redact(t.name)),
            "private": .bool(t.isPrivate),
            "state": .string(t.state.rawValue),
            "size_bytes": .number(Double(t.bytesOnDisk)),
            "total_size_bytes": .number(Double(t.totalSize)),
            "complete": .bool(t.isComplete),
            "uploaded_bytes": .number(Double(t.uploaded)),
            "downloaded_bytes": .number(Double(t.downloaded)),
            "ratio": number(t.ratio),
            "seed_time_secs": .number(Double(t.seedingSecs)),
            "upload_rate": .number(Double(t.uploadRate)),
            "peers": .number(Double(t.peers)),
            "goal": .object([
                "ratio": t.goal.ratioLimit > 0 ? .number(t.goal.ratioLimit) : .null,
                "seed_time_secs": t.goal.timeLimitSecs > 0 ? .number(Double(t.goal.timeLimitSecs)) : .null,
                "forever": .bool(t.goal.forever),
                "source": .string(t.goal.source.isEmpty ? "default" : t.goal.source),
            ]),
            "goal_met": .bool(t.goalMet),
            "remaining": .object(["ratio": number(ratioLeft), "seed_time_secs": secsLeft.map { .number(Double($0)) } ?? .null]),
            "remaining_text": .string(entry.remainingText),
            "kept_for_seeding": .bool(entry.keptForSeeding),
            "tickets": .array(
                entry.tickets.sorted { $0.key < $1.key }.map { .object(["id": .string($0.key), "state": .string($0.value.rawValue)]) }),
        ])
    }
}
