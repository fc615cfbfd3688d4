import Basics
import Foundation
import Testing
import Tickets

/// `downloader2 search`: the real binary asks the configured indexers (`[[torznab]]` entries and
/// Jackett) and prints each answer, as JSON or as lines a person reads.
@Suite("downloader2 search")
struct SearchCommandTests {
    func run(_ arguments: [String]) async throws -> (status: Int32, stdout: String, stderr: String) {
        let outcome = try await runBlocking { Result { try ExternalTool.outcome(ServiceProcess.binary, arguments) } }.get()
        return (outcome.status, String(decoding: outcome.stdout, as: UTF8.self), outcome.stderr)
    }

    @Test("\"ARTIST - ALBUM\": every indexer's answer and the releases scored, as JSON and as text; --indexer limits it; a wrong name is refused")
    func search() async throws {
        let dir = TemporaryDirectory("search-cli")
        try await IndexerBehaviourTests.serve(SearchAPITests.trackers()) { base in
            let config = dir.file("search.toml")
            try """
            [database]
            path = "\(dir.file("data/db.sqlite"))"
            [jackett]
            url = "\(base)"
            api_key = "\(IndexerBehaviourTests.apiKey)"
            [[torznab]]
            name = "tonetracker"
            url = "\(base)/api/v2.0/indexers/tonetracker/results/torznab/api"
            api_key = "\(IndexerBehaviourTests.apiKey)"
            """.write(toFile: config, atomically: true, encoding: .utf8)

            let json = try await run(["search", "Radiohead - OK Computer", "--year", "1997", "--json", "--config", config])
            #expect(json.status == 0, "\(json.stderr)")
            let answer = try JSONValue(json: Data(json.stdout.utf8))
            #expect(answer["artist"]?.stringValue == "Radiohead" && answer["album"]?.stringValue == "OK Computer")
            #expect(answer["releases"]?[0]?["title"]?.stringValue == IndexerBehaviourTests.album.title, "\(json.stdout.prefix(1500))")
            guard case .array(let reports)? = answer["indexers"] else { Issue.record("\(json.stdout)"); return }
            #expect(Set(reports.compactMap { $0["indexer"]?.stringValue }) == ["jackett", "tonetracker"])
            #expect(!json.stdout.contains(IndexerBehaviourTests.apiKey) && !json.stderr.contains(IndexerBehaviourTests.apiKey), "no key printed")

            let text = try await run(["search", "Radiohead", "OK Computer", "--indexer", "jackett", "--config", config])
            #expect(text.status == 0, "\(text.stderr)")
            #expect(text.stdout.contains("jackett  'Radiohead OK Computer': 1 release(s)"), "\(text.stdout)")
            #expect(text.stdout.contains("! indexer jackett/BrokenTracker failed: Jackett.Common.IndexerException"), "\(text.stdout)")
            #expect(text.stdout.contains(IndexerBehaviourTests.album.title) && text.stdout.contains("freeleech"), "\(text.stdout)")
            #expect(!text.stdout.contains("tonetracker"), "only the indexer asked for")

            let wrong = try await run(["search", "Radiohead - OK Computer", "--indexer", "nope", "--config", config])
            #expect(
                wrong.status != 0 && wrong.stderr.contains("no indexer is named 'nope'") && wrong.stderr.contains("'tonetracker'"), "\(wrong.stderr)")
        }
    }
}
