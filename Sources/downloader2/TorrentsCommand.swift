import ArgumentParser
import Foundation

/// `downloader2 torrents`: the running service's torrents and their seeding, one line each: state,
/// size, ratio, seed time, the goal and what is left of it, the tickets that used it (`GET /torrents`).
struct TorrentsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "torrents", abstract: "List the service's torrents: seeding, ratio, seed time and how far each is from its goal.")

    @OptionGroup var options: GlobalOptions
    @Option(help: "Server URL (default: from the configuration).") var server: String?

    func run() async throws {
        let client = try APIClient(config: try options.loadConfig().config, server: server)
        let (status, body) = try await client.send("GET", "torrents")
        try Output.print(status: status, body: body, json: options.json) { answer in
            let torrents = answer["torrents"] as? [[String: Any]] ?? []
            var lines = torrents.map(Self.line)
            let kept = (answer["kept_for_seeding_bytes"] as? NSNumber)?.int64Value ?? 0
            var summary = "\(torrents.count) torrent(s); \(Format.bytes(kept)) kept for seeding"
            if let budget = (answer["max_disk_bytes"] as? NSNumber)?.int64Value { summary += " of \(Format.bytes(budget)) allowed" }
            if answer["over_budget"] as? Bool == true { summary += " (over the budget)" }
            if let short = answer["short_of_goal"] as? Int, short > 0 { summary += "; \(short) short of their goal" }
            lines.append(summary)
            return lines.joined(separator: "\n")
        }
    }

    static func line(_ t: [String: Any]) -> String {
        let hash = (t["info_hash"] as? String ?? "").prefix(12)
        let name = t["name"] as? String ?? "?"
        let state = t["state"] as? String ?? "?"
        let size = Format.bytes((t["size_bytes"] as? NSNumber)?.int64Value ?? 0)
        let ratio = (t["ratio"] as? NSNumber).map { String(format: "%.2f", $0.doubleValue) } ?? "-"
        let seeded = Format.duration((t["seed_time_secs"] as? NSNumber)?.intValue)
        let goal = t["goal"] as? [String: Any] ?? [:]
        var goalParts: [String] = []
        if let r = goal["ratio"] as? NSNumber { goalParts.append(String(format: "ratio %.2f", r.doubleValue)) }
        if let s = goal["seed_time_secs"] as? NSNumber { goalParts.append(Format.duration(s.intValue)) }
        if goal["forever"] as? Bool == true { goalParts = ["forever"] }
        let goalText = goalParts.isEmpty ? "stop when complete" : goalParts.joined(separator: " or ")
        let progress = t["goal_met"] as? Bool == true ? "met" : (t["remaining_text"] as? String ?? "")
        let tickets = (t["tickets"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
        var line = "\(hash)  \(state)  \(name)  \(size)  \(t["private"] as? Bool == true ? "private  " : "")ratio \(ratio), seeded \(seeded)"
        line += "  goal \(goalText) (\(goal["source"] as? String ?? "default")): \(progress)"
        if !tickets.isEmpty { line += "  tickets \(tickets.joined(separator: ", "))" }
        return line
    }
}
