import Foundation
import Testing
import Torrent

/// Seeding goals in the engine: a private torrent stays off the DHT with the DHT on in the
/// session (libtorrent leaves PEX and LSD out for it the same way); a torrent's own goal and its seed time outlive a restart; a met goal stops it.
@Suite("Torrent engine: seeding goals and private torrents")
struct SeedingGoalTests {
    let dir = TemporaryDirectory("downloader2-seeding")

    func release(_ name: String, isPrivate: Bool) throws -> (folder: String, torrent: Data, hash: String) {
        let folder = try ReleaseFixture.write(in: dir.file("seed"), name: name, files: [("01.flac", 300_000), ("02.flac", 200_000)])
        let torrent = try TorrentCreator.create(from: folder, pieceSize: 32768, kind: .v1Only, isPrivate: isPrivate)
        return (folder, torrent, try TorrentMetadata.parse(torrentFile: torrent).infoHash)
    }

    @Test("with the DHT on in both sessions (loopback only), public torrents are announced to the other node and a private one is not")
    func privateTorrentStaysOffTheDHT() async throws {
        let first = try release("Public Album", isPrivate: false)
        let closed = try release("Private Album", isPrivate: true)
        let last = try release("Another Public Album", isPrivate: false)
        #expect(try TorrentMetadata.parse(torrentFile: closed.torrent).isPrivate)
        #expect(try !TorrentMetadata.parse(torrentFile: first.torrent).isPrivate)
        // Node B only listens; node A bootstraps from it and seeds. Both on 127.0.0.1, no other node.
        var settingsB = TorrentSettings.loopback()
        settingsB.enableDHT = true
        let nodeB = try TorrentSession(settings: settingsB)
        let heard = Collected<String>()
        let listening = nodeB.events()
        let listener = Task {
            for await event in listening {
                if case .dhtAnnounceReceived(let hash, _, _) = event { heard.items.withLock { $0.append(hash) } }
            }
        }
        defer { listener.cancel() }
        try await withRunning([nodeB]) {
            var settingsA = TorrentSettings.loopback()
            settingsA.enableDHT = true
            settingsA.dhtBootstrapNodes = "127.0.0.1:\(await nodeB.listenPort)"
            let nodeA = try TorrentSession(settings: settingsA, seedingPolicy: .seedForever)
            let events = nodeA.events()
            try await withRunning([nodeA]) {
                _ = try await firstElements(1, of: events, where: { $0 == .dhtBootstrapped }, within: 60, "node A's DHT bootstrap from node B")
                // libtorrent announces new torrents on the DHT in the order they come: the private one sits between two public ones.
                for r in [first, closed, last] { _ = try await nodeA.add(torrentFile: r.torrent, savePath: dir.file("seed"), seedMode: true) }
                let both = await eventually(within: 60) { heard.items.withLock { Set($0) }.isSuperset(of: [first.hash, last.hash]) }
                #expect(both, "node B heard: \(heard.items.withLock { $0 })")
                #expect(!heard.items.withLock { $0 }.contains(closed.hash), "the private torrent was announced on the DHT")
                #expect(try await nodeA.seedingState(closed.hash).isPrivate)
            }
        }
    }

    @Test("a torrent's own goal and its seed time outlive a restart; once the goal is met it stops")
    func goalAndSeedTimeSurviveRestart() async throws {
        let r = try release("Seeded Album", isPrivate: true)
        let resume = dir.file("resume")
        // Time only: a torrent that downloaded nothing (made here, in seed mode) has met any ratio goal.
        let goal = SeedingPolicy(timeLimitSecs: 86_400, source: "indexer Test: minimumratio/minimumseedtime of its results")
        // A default that would stop it at once, and a private default of a day: the torrent's own goal must win.
        let first = try TorrentSession(
            settings: .loopback(), resumeDirectory: resume, seedingPolicy: .stopWhenComplete,
            privateSeedingPolicy: SeedingPolicy(timeLimitSecs: 86_400, source: "private default"))
        let before = try await withRunning([first]) {
            _ = try await first.add(torrentFile: r.torrent, savePath: dir.file("seed"), seedMode: true, seeding: goal)
            #expect(await eventually(within: 60) { ((try? await first.seedingState(r.hash))?.seedingSecs ?? 0) >= 2 }, "it never began seeding")
            return try await first.seedingState(r.hash)
        }
        #expect(before.goal == goal && before.goalIsOwn && !before.goalMet && before.isPrivate, "\(before)")

        let second = try TorrentSession(settings: .loopback(), resumeDirectory: resume, seedingPolicy: .stopWhenComplete)
        try await withRunning([second]) {
            #expect(await second.restore() == [r.hash])
            let after = try await second.seedingState(r.hash)
            #expect(after.goal == goal && after.goalIsOwn, "the goal came back from beside the resume data: \(after.goal)")
            #expect(
                after.seedingSecs >= before.seedingSecs, "seed time kept across the restart: \(before.seedingSecs) s, then \(after.seedingSecs) s")
            #expect(!after.goalMet && after.state == .seeding, "\(after)")
            // A goal of a few more seconds than it has: met, it stops, and the state says so.
            let near = SeedingPolicy(timeLimitSecs: Int(after.seedingSecs) + 2, source: "test")
            await second.setSeedingPolicy(r.hash, near)
            #expect(await eventually(within: 60) { await second.isSeedingDone(r.hash) }, "the goal was never met")
            let done = try await second.seedingState(r.hash)
            #expect(done.goalMet && done.state == .completed && done.seedingSecs >= Int64(near.timeLimitSecs), "\(done)")
            #expect(done.remaining.seedSecs == 0)
        }
    }

    @Test("a goal is met at its ratio or its seed time, whichever comes first; what is left is reported")
    func goalArithmetic() {
        let goal = SeedingPolicy(ratioLimit: 1.0, timeLimitSecs: 3600)
        #expect(!goal.isSatisfied(uploaded: 50, downloaded: 100, seedingSecs: 1800))
        #expect(goal.isSatisfied(uploaded: 100, downloaded: 100, seedingSecs: 10))
        #expect(goal.isSatisfied(uploaded: 0, downloaded: 100, seedingSecs: 3600))
        let left = goal.remaining(uploaded: 25, downloaded: 100, seedingSecs: 600)
        #expect(left.ratio == 0.75 && left.seedSecs == 3000)
        let timeOnly = SeedingPolicy(timeLimitSecs: 60)
        #expect(timeOnly.remaining(uploaded: 0, downloaded: 10, seedingSecs: 20).ratio == nil)
        #expect(!timeOnly.isSatisfied(uploaded: 1000, downloaded: 10, seedingSecs: 59), "a time-only goal ignores the ratio")
        // Nothing downloaded: a public torrent made or found here has met any ratio; a private one has not
        // (its tracker may have counted a download whose resume data is gone).
        #expect(goal.isSatisfied(uploaded: 0, downloaded: 0, seedingSecs: 0))
        #expect(!goal.isSatisfied(uploaded: 0, downloaded: 0, seedingSecs: 0, isPrivate: true))
        #expect(goal.isSatisfied(uploaded: 0, downloaded: 0, seedingSecs: 3600, isPrivate: true))
        #expect(goal.remaining(uploaded: 0, downloaded: 0, seedingSecs: 600, isPrivate: true).ratio == 1.0)
    }
}
