import Foundation
import Testing
import Torrent

@Suite("Torrent engine: bad input, resume data, seeding policy")
struct EngineRobustnessTests {
    let dir = TemporaryDirectory("downloader2-engine")

    @Test("bad magnets, corrupt .torrent files, a metadata timeout and a dead tracker are clear errors; the session keeps working")
    func badInputKeepsSessionWorking() async throws {
        let folder = try ReleaseFixture.write(in: dir.file("seed"), name: "Album", files: ReleaseFixture.album)
        let torrent = try TorrentCreator.create(from: folder, pieceSize: 65536, kind: .v1Only)
        let seeder = try TorrentSession(settings: .loopback(), seedingPolicy: .seedForever)
        let session = try TorrentSession(settings: .loopback())
        let events = session.events()
        try await withRunning([seeder, session]) {
            for magnet in ["http://example.invalid/x.torrent", "magnet:?dn=no-hash", "magnet:?xt=urn:btih:not-hex-at-all"] {
                do {
                    _ = try await session.add(magnet: magnet, savePath: dir.file("x"))
                    Issue.record("\(magnet) accepted")
                } catch let error as TorrentError {
                    guard case .invalidMagnet = error else { Issue.record("\(magnet): \(error)"); continue }
                }
            }
            for garbage in [Data("not bencode".utf8), Data(torrent.prefix(torrent.count / 2)), Data()] {
                do {
                    _ = try await session.add(torrentFile: garbage, savePath: dir.file("x"))
                    Issue.record("corrupt torrent accepted")
                } catch let error as TorrentError {
                    guard case .corruptTorrentFile(let reason) = error else { Issue.record("\(error)"); continue }
                    #expect(!reason.isEmpty)
                }
            }
            #expect(throws: TorrentError.self) { try TorrentMetadata.parse(torrentFile: Data([0x64, 0x65])) }

            // Nobody has this torrent: its metadata never comes.
            let orphan = try await session.add(magnet: "magnet:?xt=urn:btih:" + String(repeating: "ab", count: 20), savePath: dir.file("x"))
            do {
                _ = try await session.waitForMetadata(orphan, timeout: .seconds(1))
                Issue.record("metadata cannot arrive")
            } catch TorrentError.metadataTimeout(let seconds, let peers) {
                #expect(peers == 0 && seconds >= 1)
                #expect(TorrentError.metadataTimeout(seconds: 1, peersSeen: 0).description.contains("no peer could be reached"))
            }
            try await session.remove(orphan, deleteFiles: true)

            // A tracker nobody listens on: a tracker error event, the torrent itself still works with a peer.
            let closedPort = try freeLoopbackPort()
            let seedHash = try await seeder.add(torrentFile: torrent, savePath: dir.file("seed"), seedMode: true)
            let hash = try await session.add(
                torrentFile: torrent, savePath: dir.file("leech"), peers: ["127.0.0.1:\(await seeder.listenPort)"],
                trackers: ["http://127.0.0.1:\(closedPort)/announce"])
            #expect(hash == seedHash)
            _ = try await session.waitUntilComplete(hash)
            let trackerErrors = try await firstElements(
                1, of: events, where: { if case .trackerError = $0 { true } else { false } },
                within: 60, "a tracker error event")
            guard case .trackerError(let h, let url, let message)? = trackerErrors.first else { Issue.record("no tracker error"); return }
            #expect(h == hash && url.contains("\(closedPort)") && !message.isEmpty)
            await #expect(throws: TorrentError.self) { try await session.pause(String(repeating: "cd", count: 20)) }
        }
        #expect(filesEqual(folder + "/01 - Airbag.flac", dir.file("leech/Album/01 - Airbag.flac")))
    }

    @Test("stopped mid-download, a new session restores from resume data and does not start from zero")
    func resumeAfterRestart() async throws {
        // Two files; the first session wants only the first, so it stops part-way whatever the load.
        let folder = try ReleaseFixture.write(in: dir.file("seed"), name: "Big", files: [("disc1.flac", 6_000_000), ("disc2.flac", 6_000_000)])
        let torrent = try TorrentCreator.create(from: folder, pieceSize: 65536, kind: .v1Only)
        let seeder = try TorrentSession(settings: .loopback(), seedingPolicy: .seedForever)
        let resumeDir = dir.file("resume")

        try await withRunning([seeder]) {
            let seedHash = try await seeder.add(torrentFile: torrent, savePath: dir.file("seed"), seedMode: true)
            let first = try TorrentSession(settings: .loopback(), resumeDirectory: resumeDir, seedingPolicy: .seedForever)
            let hash = try await withRunning([first]) {
                let hash = try await first.add(
                    torrentFile: torrent, savePath: dir.file("leech"), wantedFiles: [0], peers: ["127.0.0.1:\(await seeder.listenPort)"])
                _ = try await first.waitUntilComplete(hash)
                return hash
            }
            let stoppedAt = try #require(FileManager.default.contents(atPath: resumeDir + "/\(hash).resume"))
            #expect(!stoppedAt.isEmpty)

            // Nobody can serve the torrent while the second session restores.
            try await seeder.remove(seedHash, deleteFiles: false)
            let second = try TorrentSession(settings: .loopback(), resumeDirectory: resumeDir)
            try await withRunning([second]) {
                #expect(await second.restore() == [hash])
                #expect(await eventually { (try? await second.progress(hash).state) != .checking })
                // No peer serves it now: every byte it has came from the resume data.
                let resumed = try await second.progress(hash)
                #expect(resumed.wantedDoneBytes >= 6_000_000, "resumed with \(resumed.wantedDoneBytes) bytes")
                try await second.selectFiles(hash, wanted: [0, 1])
                #expect(try await second.progress(hash).percent < 100)
                _ = try await seeder.add(torrentFile: torrent, savePath: dir.file("seed"), seedMode: true)
                try await second.connectPeer(hash, endpoint: "127.0.0.1:\(await seeder.listenPort)")
                _ = try await second.waitUntilComplete(hash)
            }
        }
        #expect(filesEqual(folder + "/disc1.flac", dir.file("leech/Big/disc1.flac")))
        #expect(filesEqual(folder + "/disc2.flac", dir.file("leech/Big/disc2.flac")))
    }

    @Test(
        "a node takes over another node's half-done torrent from its resume data on the shared folder (no piece hashed again, that node's copy moved); a node on its own folder downloads it again, whole"
    )
    func adoptOtherNodesResumeData() async throws {
        let folder = try ReleaseFixture.write(in: dir.file("seed"), name: "Big", files: [("disc1.flac", 6_000_000), ("disc2.flac", 6_000_000)])
        let torrent = try TorrentCreator.create(from: folder, pieceSize: 65536, kind: .v1Only)
        let seeder = try TorrentSession(settings: .loopback(), seedingPolicy: .seedForever)
        let root = dir.file("shared/.resume")
        try await withRunning([seeder]) {
            let seedHash = try await seeder.add(torrentFile: torrent, savePath: dir.file("seed"), seedMode: true)
            // Node A downloads the first file, then stops (its resume data stays on the shared folder).
            let nodeA = try TorrentSession(
                settings: .loopback(), resumeDirectory: root + "/node-a", sharedResumeRoot: root, seedingPolicy: .seedForever)
            let hash = try await withRunning([nodeA]) {
                let hash = try await nodeA.add(
                    torrentFile: torrent, savePath: dir.file("shared/t1"), wantedFiles: [0], peers: ["127.0.0.1:\(await seeder.listenPort)"])
                _ = try await nodeA.waitUntilComplete(hash)
                return hash
            }
            #expect(FileManager.default.fileExists(atPath: root + "/node-a/\(hash).resume"))

            // A node that does not share the download folder sees no resume data of node A's: it
            // downloads the torrent again, whole, into its own folder.
            let alone = try TorrentSession(
                settings: .loopback(), resumeDirectory: dir.file("alone/.resume/node-c"), sharedResumeRoot: dir.file("alone/.resume"))
            try await withRunning([alone]) {
                #expect(await alone.adoptOtherNodesResumeData(hash, savePath: dir.file("alone/t1")) == nil)
                let again = try await alone.add(torrentFile: torrent, savePath: dir.file("alone/t1"), peers: ["127.0.0.1:\(await seeder.listenPort)"])
                _ = try await alone.waitUntilComplete(again)
                #expect(try await alone.progress(again).wantedDoneBytes == 12_000_000)
                for file in ["disc1.flac", "disc2.flac"] {
                    #expect(filesEqual(dir.file("seed/Big/\(file)"), dir.file("alone/t1/Big/\(file)")))
                }
            }
            #expect(FileManager.default.fileExists(atPath: root + "/node-a/\(hash).resume"), "node A's resume data stays where no node shares it")
            try await seeder.remove(seedHash, deleteFiles: false)

            // Node B, on the shared folder, has no resume data of its own for it.
            let nodeB = try TorrentSession(settings: .loopback(), resumeDirectory: root + "/node-b", sharedResumeRoot: root)
            try await withRunning([nodeB]) {
                #expect(await nodeB.adoptOtherNodesResumeData(String(repeating: "ab", count: 20), savePath: dir.file("x")) == nil)
                #expect(await nodeB.adoptOtherNodesResumeData(hash, savePath: dir.file("shared/t1")) == "node-a")
                #expect(await eventually { (try? await nodeB.progress(hash).state) != .checking })
                let adopted = try await nodeB.progress(hash)
                #expect(adopted.wantedDoneBytes >= 6_000_000, "went on with \(adopted.wantedDoneBytes) bytes")
                let hashed = await nodeB.engineCounters(["disk.num_read_back"], timeout: .seconds(30))?["disk.num_read_back"]
                #expect(hashed == 0, "node B read back \(hashed ?? -1) blocks to hash them when taking the torrent over")
                // The resume data moved: node A's copy is gone (it would restore the torrent), node B writes its own.
                #expect(!FileManager.default.fileExists(atPath: root + "/node-a/\(hash).resume"))
                #expect(await eventually { FileManager.default.fileExists(atPath: root + "/node-b/\(hash).resume") })
            }

            // The reference, same files: added without the resume data, the engine hashes what is on disk.
            let fresh = try TorrentSession(settings: .loopback())
            try await withRunning([fresh]) {
                let again = try await fresh.add(torrentFile: torrent, savePath: dir.file("shared/t1"), wantedFiles: [0])
                #expect(await eventually { ((try? await fresh.progress(again))?.wantedDoneBytes ?? 0) >= 6_000_000 })
                let hashed = await fresh.engineCounters(["disk.num_read_back"], timeout: .seconds(30))?["disk.num_read_back"] ?? 0
                print("engine: taking over from resume data read back 0 blocks to hash; adding the same half-done torrent afresh read back \(hashed)")
                #expect(hashed > 0)
            }
        }
    }

    @Test("seeding stops when the policy is met: 0/0 at completion, a ratio goal once reached")
    func seedingPolicy() async throws {
        #expect(SeedingPolicy.stopWhenComplete.isSatisfied(uploaded: 0, downloaded: 100, seedingSecs: 0))
        #expect(!SeedingPolicy(ratioLimit: 1).isSatisfied(uploaded: 50, downloaded: 100, seedingSecs: 10_000))
        #expect(SeedingPolicy(ratioLimit: 1).isSatisfied(uploaded: 100, downloaded: 100, seedingSecs: 0))
        #expect(SeedingPolicy(ratioLimit: 2, timeLimitSecs: 60).isSatisfied(uploaded: 0, downloaded: 100, seedingSecs: 60))
        #expect(!SeedingPolicy.seedForever.isSatisfied(uploaded: 1000, downloaded: 1, seedingSecs: 1_000_000))

        let folder = try ReleaseFixture.write(in: dir.file("seed"), name: "Album", files: ReleaseFixture.album)
        let torrent = try TorrentCreator.create(from: folder, pieceSize: 65536, kind: .v1Only)
        let seeder = try TorrentSession(settings: .loopback(), seedingPolicy: .seedForever)
        let leecher = try TorrentSession(settings: .loopback(), seedingPolicy: .stopWhenComplete)
        let events = leecher.events()
        try await withRunning([seeder, leecher]) {
            _ = try await seeder.add(torrentFile: torrent, savePath: dir.file("seed"), seedMode: true)
            let hash = try await leecher.add(torrentFile: torrent, savePath: dir.file("leech"), peers: ["127.0.0.1:\(await seeder.listenPort)"])
            _ = try await leecher.waitUntilComplete(hash)
            _ = try await firstElements(1, of: events, where: { $0 == .seedingDone(infoHash: hash) }, within: 60, "seedingDone of \(hash)")
            #expect(try await leecher.progress(hash).state == .completed)
        }
    }
}
