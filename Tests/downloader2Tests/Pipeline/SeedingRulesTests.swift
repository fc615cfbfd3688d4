import Foundation
import Pipeline
import Server
import Storage
import Testing
import Tickets
import Torrent

/// Where a release's seeding goal comes from, and the disk budget for payloads kept for seeding.
@Suite("Seeding goals per release and the disk budget")
struct SeedingRulesTests {
    func candidate(indexer: String, ratio: Double?, seedTime: Int?, feed: String? = nil) -> TorrentCandidate {
        var c = TorrentCandidate(title: "A - B (2020) [FLAC]", indexer: indexer, infoHash: "", sizeBytes: 1, seeders: 1, leechers: 0)
        c.feed = feed
        c.minimumRatio = ratio
        c.minimumSeedTimeSecs = seedTime
        return c
    }

    @Test("the indexer's minimumratio/minimumseedtime, an override in its entry over them, nothing when neither says anything")
    func goalPerRelease() {
        let rules = SeedingRules(overrides: ["RED": .init(ratio: 2.0), "OPS": .init(ratio: 0.5, timeSecs: 3600)])
        // What the indexer says, as it says it.
        let told = rules.policy(for: candidate(indexer: "tracker", ratio: 1.0, seedTime: 172_800))
        #expect(
            told?.ratioLimit == 1.0 && told?.timeLimitSecs == 172_800 && told?.source.contains("indexer tracker") == true,
            "\(String(describing: told))")
        // An override replaces what it names and keeps the rest from the indexer.
        let red = rules.policy(for: candidate(indexer: "RED", ratio: 1.0, seedTime: 259_200))
        #expect(red?.ratioLimit == 2.0 && red?.timeLimitSecs == 259_200, "\(String(describing: red))")
        #expect(red?.source.contains("override") == true && red?.source.contains("minimumseedtime") == true)
        let ops = rules.policy(for: candidate(indexer: "OPS", ratio: nil, seedTime: nil))
        #expect(ops == SeedingPolicy(ratioLimit: 0.5, timeLimitSecs: 3600, source: "indexer OPS: override in its entry"))
        // A result of an aggregate feed (Prowlarr's <prowlarrindexer>, Jackett's Tracker) names its tracker; the
        // override is found under the configured entry it came through.
        let viaFeed = rules.policy(for: candidate(indexer: "Redacted", ratio: 1.0, seedTime: 3600, feed: "RED"))
        #expect(viaFeed?.ratioLimit == 2.0 && viaFeed?.source.contains("via RED") == true, "\(String(describing: viaFeed))")
        // Silence, or zeros, leave the torrent to the session's defaults (private or public).
        #expect(rules.policy(for: candidate(indexer: "tracker", ratio: nil, seedTime: nil)) == nil)
        #expect(rules.policy(for: candidate(indexer: "tracker", ratio: 0, seedTime: 0)) == nil)
    }

    @Test("[[torznab]] seed_ratio / seed_time_mins become overrides by the entry's name; [seeding] and the private defaults are read")
    func configuration() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("seeding-\(UUID().uuidString).toml").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try """
        [jackett]
        url = "http://localhost:9117"
        seed_time_mins = 2880
        [torrent]
        private_seed_ratio_limit = 1.5
        private_seed_time_limit_mins = 2880
        [seeding]
        max_disk_gb = 250
        [[torznab]]
        name = "red"
        url = "http://localhost:9696/1/api"
        seed_ratio = 1.0
        seed_time_mins = 4320
        [[torznab]]
        url = "http://localhost:9696/2/api"
        """.write(toFile: path, atomically: true, encoding: .utf8)
        let config = try AppConfig.load(path: path, environment: [:]).config
        #expect(config.seedingRules.overrides == ["red": .init(ratio: 1.0, timeSecs: 259_200), "jackett": .init(timeSecs: 172_800)])
        // Jackett's results name their tracker and come through the entry "jackett".
        var viaJackett = TorrentCandidate(title: "A - B [FLAC]", indexer: "SomeTracker", infoHash: "", sizeBytes: 1, seeders: 1, leechers: 0)
        viaJackett.feed = "jackett"
        viaJackett.minimumRatio = 1.0
        let goal = config.seedingRules.policy(for: viaJackett)
        #expect(goal?.ratioLimit == 1.0 && goal?.timeLimitSecs == 172_800, "\(String(describing: goal))")
        #expect(config.seeding.maxDiskGb == 250)
        #expect(config.torrent.privateSeedRatioLimit == 1.5 && config.torrent.privateSeedTimeLimitMins == 2880)
        #expect(config.redactedJSON()["torznab"]?["indexers"]?[0]?["seed_time_mins"] == .number(4320))
        // Defaults: ratio 1.0 or 72 h for a private torrent its indexer says nothing of; no budget.
        let defaults = AppConfig()
        #expect(defaults.torrent.privateSeedRatioLimit == 1.0 && defaults.torrent.privateSeedTimeLimitMins == 4320 && defaults.seeding.maxDiskGb == 0)
        for (toml, key) in [
            ("[[torznab]]\nurl = \"http://x/api\"\nseed_ratio = -1", "torznab[0].seed_ratio"),
            ("[[torznab]]\nurl = \"http://x/api\"\nseed_time_mins = \"long\"", "torznab[0].seed_time_mins"),
        ] {
            try toml.write(toFile: path, atomically: true, encoding: .utf8)
            do {
                _ = try AppConfig.load(path: path, environment: [:])
                Issue.record("accepted: \(toml)")
            } catch {
                #expect(error.key == key, "\(error)")
            }
        }
    }

    @Test("over [seeding] max_disk_gb a payload whose goal is met goes; one short of its goal stays and the health checks name it")
    func diskBudget() async throws {
        let dir = TemporaryDirectory("seeding-budget")
        let met = try ReleaseFixture.write(in: dir.file("dl/met"), name: "Met Album", files: [("01.flac", 400_000)])
        let short = try ReleaseFixture.write(in: dir.file("dl/short"), name: "Short Album", files: [("01.flac", 300_000)])
        let database = try AppDatabase.open(path: dir.file("db.sqlite"))
        // The default stops at completion (the first goal is met at once); the second has a goal of a day.
        let engine = try TorrentSession(settings: .loopback(), seedingPolicy: .stopWhenComplete)
        try await withRunning([engine]) {
            let metHash = try await engine.add(
                torrentFile: try TorrentCreator.create(from: met, pieceSize: 32768, kind: .v1Only), savePath: dir.file("dl/met"), seedMode: true)
            let shortHash = try await engine.add(
                torrentFile: try TorrentCreator.create(from: short, pieceSize: 32768, kind: .v1Only), savePath: dir.file("dl/short"),
                seedMode: true, seeding: SeedingPolicy(timeLimitSecs: 86_400, source: "indexer T: minimumratio/minimumseedtime of its results"))
            #expect(await eventually { await engine.isSeedingDone(metHash) }, "the first torrent's goal was never met")
            #expect(await eventually { ((try? await engine.seedingState(shortHash))?.bytesOnDisk ?? 0) == 300_000 })
            // keep_payload on: only the budget removes anything. 0.0002 GB = 200 kB, under what the second alone holds.
            let report = SeedingBudgetReport()
            let cleaner = PayloadCleaner(
                torrents: engine, database: database, downloadRoot: dir.file("dl"), keepPayload: true, maxSeedingBytes: 200_000, report: report)
            #expect(await cleaner.sweep() == [metHash])
            #expect(await engine.torrents == [shortHash])
            #expect(await eventually { !FileManager.default.fileExists(atPath: met + "/01.flac") }, "libtorrent deletes the met payload")
            #expect(FileManager.default.fileExists(atPath: short + "/01.flac"), "a payload short of its goal is never removed")
            let verdict = try #require(report.verdict)
            #expect(verdict.keptBytes == 300_000 && verdict.overBudgetShortOfGoal.map(\.torrent.infoHash) == [shortHash])
            let checks = HealthChecks.seeding(verdict)
            #expect(checks.count == 1 && checks[0].status == .warning && checks[0].subject.contains(shortHash), "\(checks)")
            #expect(checks[0].message.contains("to go") && checks[0].message.contains("indexer T"), "\(checks[0].message)")
            // A second sweep changes nothing: the one left is still short of its goal.
            #expect(await cleaner.sweep().isEmpty)
            // A store that does not answer: nothing counts as kept for seeding, nothing can go.
            let unknown = SeedingEntry(torrent: try await engine.seedingState(shortHash), tickets: nil)
            #expect(!unknown.keptForSeeding && !unknown.shortOfGoal)
            // Within the budget, the check says so.
            let roomy = SeedingBudgetReport()
            _ = await PayloadCleaner(
                torrents: engine, database: database, downloadRoot: dir.file("dl"), keepPayload: true, maxSeedingBytes: 1_000_000, report: roomy
            ).sweep()
            #expect(HealthChecks.seeding(roomy.verdict).map(\.status) == [.ok])
        }
    }
}
