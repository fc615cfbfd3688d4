import Foundation
import Testing
import Torrent

/// Our engine against BitTorrent programs nobody here wrote, through a real tracker, on loopback.
// transmission-cli is not among them: Transmission 3.00 drops loopback addresses from the peers a
// tracker gives it, so it cannot join a swarm that must stay on 127.0.0.1.
@Suite("Torrent engine: interop with aria2c and opentracker", .system)
struct InteropTests {
    let dir = TemporaryDirectory("downloader2-interop")

    /// A v1 torrent of a generated album announcing to `tracker` (aria2c and transmission 3 speak v1 only).
    func release(trackerFor: (String) throws -> LoopbackTracker) throws -> (folder: String, torrent: Data, hash: String, tracker: LoopbackTracker) {
        let folder = try ReleaseFixture.write(in: dir.file("seed"), name: "Interop Album", files: ReleaseFixture.album)
        let probe = try TorrentCreator.create(from: folder, pieceSize: 65536, kind: .v1Only)
        let hash = try TorrentMetadata.parse(torrentFile: probe).infoHash
        let tracker = try trackerFor(hash)
        let torrent = try TorrentCreator.create(from: folder, trackers: [tracker.announceURL], pieceSize: 65536, kind: .v1Only)
        #expect(FileManager.default.createFile(atPath: dir.file("album.torrent"), contents: torrent))
        return (folder, torrent, hash, tracker)
    }

    @Test("aria2c seeds, our engine downloads by magnet, finding the seed only through opentracker")
    func aria2SeedsWeDownload() async throws {
        let r = try release { try LoopbackTracker(whitelist: [$0], in: dir.file("tracker")) }
        let aria = try ExternalProcess(
            "aria2c",
            [
                "--interface=127.0.0.1",
                "--dir=\(dir.file("seed"))", "--check-integrity=true", "--seed-ratio=0.0", "--listen-port=\(try freeLoopbackPort())",
                "--enable-dht=false", "--enable-dht6=false", "--bt-enable-lpd=false", "--enable-peer-exchange=false", "--disable-ipv6=true",
                "--summary-interval=0", "--console-log-level=warn", dir.file("album.torrent"),
            ], logDirectory: dir.path)
        defer { aria.stop() }
        #expect(await eventually(within: 60) { (await r.tracker.seeders(of: r.hash) ?? 0) >= 1 }, "aria2c never registered: \(aria.log)")

        let magnet = try TorrentMetadata.magnetLink(forTorrentFile: r.torrent)
        #expect(magnet.contains("tr="))
        let session = try TorrentSession(settings: .loopback())
        try await withRunning([session]) {
            let hash = try await session.add(magnet: magnet, savePath: dir.file("ours"))
            _ = try await session.waitForMetadata(hash, timeout: .seconds(30))
            let done = try await session.waitUntilComplete(hash)
            #expect(done.isComplete)
        }
        for (name, _) in ReleaseFixture.album {
            #expect(filesEqual(r.folder + "/" + name, dir.file("ours/Interop Album/\(name)")), "\(name)")
        }
    }

    @Test("our engine seeds; aria2c downloads through opentracker and verifies every piece")
    func weSeedOthersDownload() async throws {
        let r = try release { try LoopbackTracker(whitelist: [$0], in: dir.file("tracker")) }
        let seeder = try TorrentSession(settings: .loopback(), seedingPolicy: .seedForever)
        try await withRunning([seeder]) {
            _ = try await seeder.add(torrentFile: r.torrent, savePath: dir.file("seed"), seedMode: true)
            #expect(await eventually(within: 60) { (await r.tracker.seeders(of: r.hash) ?? 0) >= 1 }, "our seed never registered")

            let aria = try ExternalProcess(
                "aria2c",
                [
                    "--interface=127.0.0.1",
                    "--dir=\(dir.file("aria"))", "--seed-time=0", "--check-integrity=true", "--listen-port=\(try freeLoopbackPort())",
                    "--enable-dht=false", "--enable-dht6=false", "--bt-enable-lpd=false", "--enable-peer-exchange=false", "--disable-ipv6=true",
                    "--summary-interval=0", "--console-log-level=warn", dir.file("album.torrent"),
                ], logDirectory: dir.path)
            let status = await aria.waitForExit(within: 60)
            #expect(status == 0, "aria2c: \(aria.log)")
        }
        for (name, _) in ReleaseFixture.album {
            #expect(filesEqual(r.folder + "/" + name, dir.file("aria/Interop Album/\(name)")), "aria2c: \(name)")
        }
    }
}
