import ArgumentParser
import Foundation
import Pipeline
import Search
import Server
import Tickets

/// `downloader2 search "ARTIST - ALBUM"`: asks every configured indexer now and shows each answer,
/// each release scored and explained; the same as `GET /api/v1/search`. Pauses an indexer asked
/// for (429 / Retry-After) are the service's and are honoured here too.
struct SearchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "Search every indexer for an album and show what each returned, scored.",
        discussion: """
            Give "ARTIST - ALBUM" as one argument, or ARTIST and ALBUM as two. --query sends your own \
            text instead of the planned queries; --indexer asks only the indexer of that name.
            """)

    @OptionGroup var options: GlobalOptions
    @Argument(help: "\"ARTIST - ALBUM\", or ARTIST then ALBUM.") var words: [String]
    @Option(help: "The album's year (helps scoring and indexers that take it).") var year: Int?
    @Option(help: "Only this indexer (a [[torznab]] name, or 'jackett').") var indexer: String?
    @Option(help: "Send this text instead of the planned queries.") var query: String?

    func validate() throws {
        guard (1...2).contains(words.count), words.allSatisfy({ !$0.trimmingCharacters(in: .whitespaces).isEmpty }) else {
            throw ValidationError("give \"ARTIST - ALBUM\" as one argument, or ARTIST and ALBUM as two")
        }
    }

    /// Artist and album from the arguments: two words as given; one split at " - ", else read as a release title.
    var artistAndAlbum: (String, String) {
        if words.count == 2 { return (words[0], words[1]) }
        let text = words[0]
        if let range = text.range(of: " - ") {
            return (
                String(text[..<range.lowerBound]).trimmingCharacters(in: .whitespaces),
                String(text[range.upperBound...]).trimmingCharacters(in: .whitespaces)
            )
        }
        let parsed = ReleaseTitleParser.parse(text)
        return (parsed.artist ?? text, parsed.album ?? text)
    }

    func run() async throws {
        let config = try options.loadConfig().config
        RedactingLogHandler.install()
        let clients = config.indexerClients()
        guard !clients.isEmpty else { throw ValidationError("no indexer is configured: set [jackett] url and api_key, or [[torznab]] entries") }
        if let indexer, !clients.contains(where: { $0.name == indexer }) {
            throw ValidationError("no indexer is named '\(indexer)'; configured: \(clients.map { "'\($0.name)'" }.joined(separator: ", "))")
        }
        let health = IndexerHealth(path: config.indexerPausesPath(nodeId: config.database.url.isEmpty ? nil : config.cluster.resolvedNodeId))
        let engine = InteractiveSearch(
            search: CandidateSearch(indexers: clients, health: health), autoApproveThreshold: config.matcher.autoApproveThreshold,
            preferFreeleech: config.matcher.preferFreeleech)
        let (artist, album) = artistAndAlbum
        let answer = await engine.run(InteractiveSearch.ticket(artist: artist, album: album, year: year), query: query, indexer: indexer)
        if options.json {
            print(String(decoding: try TicketJSON.encoder().encode(answer), as: UTF8.self))
            return
        }
        print(Self.table(answer))
    }

    /// Indexers first (time, count, errors), then releases best first.
    static func table(_ answer: JSONValue) -> String {
        var lines: [String] = []
        if case .array(let reports)? = answer["indexers"] {
            for report in reports {
                let name = report["indexer"]?.stringValue ?? "?"
                let query = report["query"]?.stringValue ?? ""
                let count = Int(report["results"]?.doubleValue ?? 0)
                let seconds = report["seconds"]?.doubleValue ?? 0
                lines.append("\(name)  '\(query)': \(count) release(s) in \(String(format: "%.2f", seconds)) s")
                if case .array(let errors)? = report["errors"] {
                    for error in errors { lines.append("    ! \(error["message"]?.stringValue ?? "")") }
                }
            }
        }
        lines.append("")
        if case .array(let releases)? = answer["releases"] {
            if releases.isEmpty { lines.append("no release found") }
            for release in releases {
                let score = release["score"]?.doubleValue ?? 0
                let size = (release["size_bytes"]?.doubleValue ?? 0) / 1_048_576
                var flags: [String] = []
                if release["freeleech"] == .bool(true) { flags.append("freeleech") }
                if release["blocked"] == .bool(true) { flags.append("BLOCKLISTED") }
                if let ratio = release["minimum_ratio"]?.doubleValue { flags.append("min ratio \(ratio)") }
                if let seed = release["minimum_seed_time_secs"]?.doubleValue { flags.append("seed \(Int(seed / 3600)) h") }
                let seeders = Int(release["seeders"]?.doubleValue ?? 0)
                let extra = flags.isEmpty ? "" : ", " + flags.joined(separator: ", ")
                lines.append(
                    "\(String(format: "%.2f", score))  \(release["title"]?.stringValue ?? "")  [\(release["indexer"]?.stringValue ?? ""), "
                        + "\(String(format: "%.0f", size)) MiB, \(seeders) seeders\(extra)]")
                lines.append("      \(release["reasoning"]?.stringValue ?? "")")
            }
        }
        return lines.joined(separator: "\n")
    }
}
