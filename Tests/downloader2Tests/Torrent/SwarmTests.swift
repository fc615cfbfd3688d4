import Foundation
import Testing
import Torrent

/// Two engine sessions on 127.0.0.1 (DHT, LSD, UPnP, NAT-PMP off): one seeds, one downloads.
@Suite("Torrent engine: loopback swarm")
struct SwarmTests {
    let dir = TemporaryDirectory("downloader2-swarm")

    func seeder(_ kind: TorrentCreator.Kind = .hybrid) async throws -> (session: TorrentSession, torrent: Data, hash: String, folder: String) {
        let folder = try ReleaseFixture.write(in: dir.file("seed"), name: "Radiohead - OK Computer (1997) [FLAC]", files: ReleaseFixture.album)
        let torrent = try TorrentCreator.create(from: folder, pieceSize: 65536, kind: kind)
        let session = try TorrentSession(settings: .loopback(), seedingPolicy: .seedForever)
        let hash = try await session.add(torrentFile: torrent, savePath: dir.file("seed"), seedMode: true)
        return (session, torrent, hash, folder)
    }

    /// The album (a v1 torrent) from a seeder to a leecher whose loopback settings `change` adjusts,
    /// into `leech`; `whenComplete` looks at the leecher while both sessions still run.
    func leechV1Album(
        _ change: (inout TorrentSettings) -> Void, whenComplete: (TorrentSession) async throws -> Void
    ) async throws -> (session: TorrentSession, torrent: Data, hash: String, folder: String) {
        let seed = try await seeder(.v1Only)
        var settings = TorrentSettings.loopback()
        change(&settings)
        let leecher = try TorrentSession(settings: settings)
        let port = await seed.session.listenPort
        try await withRunning([seed.session, leecher]) {
            let hash = try await leecher.add(torrentFile: seed.torrent, savePath: dir.file("leech"), peers: ["127.0.0.1:\(port)"])
            _ = try await leecher.waitUntilComplete(hash)
            try await whenComplete(leecher)
        }
        return seed
    }

    func assertSameFiles(_ folder: String, downloadedUnder root: String, only: Set<String>? = nil) {
        for (name, _) in ReleaseFixture.album where only?.contains(name) ?? true {
            let original = (folder as NSString).appendingPathComponent(name)
            let copy = ((root as NSString).appendingPathComponent((folder as NSString).lastPathComponent) as NSString).appendingPathComponent(name)
            #expect(filesEqual(original, copy), "\(name) differs or is missing")
        }
    }

    @Test("a .torrent file, peer given directly: every file arrives byte-identical", arguments: [TorrentCreator.Kind.hybrid, .v1Only, .v2Only])
    func downloadByTorrentFile(kind: TorrentCreator.Kind) async throws {
        let seed = try await seeder(kind)
        let leecher = try TorrentSession(settings: .loopback())
        let port = await seed.session.listenPort
        #expect(port > 0)
        try await withRunning([seed.session, leecher]) {
            let hash = try await leecher.add(torrentFile: seed.torrent, savePath: dir.file("leech"), peers: ["127.0.0.1:\(port)"])
            #expect(hash == seed.hash)
            let done = try await leecher.waitUntilComplete(hash)
            #expect(done.percent == 100 && done.wantedDoneBytes == ReleaseFixture.album.reduce(0) { $0 + Int64($1.1) })
        }
        assertSameFiles(seed.folder, downloadedUnder: dir.file("leech"))
    }

    @Test(
        "files kept open: each piece is hashed from its blocks as they are written, none read back; libtorrent's POSIX disk I/O reads every block back",
        arguments: [true, false])
    func piecesHashedAsWritten(keepFilesOpen: Bool) async throws {
        let blocks = Int64((ReleaseFixture.album.reduce(0) { $0 + $1.1 } + 16383) / 16384)
        let seed = try await leechV1Album {
            $0.keepFilesOpen = keepFilesOpen
        } whenComplete: { leecher in
            let counters = try #require(await leecher.engineCounters(["disk.num_blocks_written", "disk.num_read_back"], timeout: .seconds(30)))
            let written = counters["disk.num_blocks_written"] ?? 0
            let readBack = counters["disk.num_read_back"] ?? -1
            print("engine (keep_files_open = \(keepFilesOpen)): \(written) blocks written, \(readBack) read back to hash")
            #expect(written >= blocks - 8, "every block written once (a block spanning two files counts once)")
            if keepFilesOpen {
                #expect(readBack == 0, "one peer sends each piece's blocks in order: every piece hashed as written")
            } else {
                #expect(readBack >= written - 8, "posix_disk_io reads each piece back to hash it")
            }
        }
        assertSameFiles(seed.folder, downloadedUnder: dir.file("leech"))
    }

    @Test(
        "os_cache = false (the default): pieces go to disk whole, past the page cache, files byte-identical and hashed as written; os_cache = true leaves them in the page cache",
        arguments: [false, true])
    func pastThePageCache(osCache: Bool) async throws {
        let seed = try await leechV1Album {
            $0.osCache = osCache
        } whenComplete: { leecher in
            let counters = try #require(await leecher.engineCounters(["disk.num_read_back"], timeout: .seconds(30)))
            #expect(counters["disk.num_read_back"] == 0, "one peer sends each piece's blocks in order: every piece hashed as written")
        }
        // Measured before the files are compared (which reads them into the page cache).
        let leeched = ((dir.file("leech") as NSString).appendingPathComponent((seed.folder as NSString).lastPathComponent) as NSString)
        let biggest = leeched.appendingPathComponent(ReleaseFixture.album[0].0)
        let resident = try PageCache.residentFraction(of: biggest)
        print("os_cache = \(osCache): \(Int(resident * 100)) % of \(ReleaseFixture.album[0].0) in the page cache after the download")
        if PageCache.takesDirectIO(dir.path) {
            // Past the cache, only the bytes around each file's 4 KiB boundaries in a piece go through it.
            if osCache { #expect(resident > 0.9) } else { #expect(resident < 0.25) }
        } else {
            print("page-cache residency not checked: the filesystem of \(dir.path) refuses O_DIRECT (its writes fall back to the page cache)")
        }
        assertSameFiles(seed.folder, downloadedUnder: dir.file("leech"))
    }

    @Test(
        "v2 and hybrid torrents, past the page cache, through it, and on a disk thread: every piece hashed from its blocks as they are written (SHA-1 and SHA-256 blocks), none read back, files byte-identical",
        arguments: [TorrentCreator.Kind.hybrid, .v2Only], ["os_cache = false", "os_cache = true", "disk_thread = true"])
    func v2BlocksHashedAsWritten(kind: TorrentCreator.Kind, backend: String) async throws {
        let seed = try await seeder(kind)
        var settings = TorrentSettings.loopback()
        settings.osCache = backend == "os_cache = true"
        settings.diskThread = backend == "disk_thread = true"
        let leecher = try TorrentSession(settings: settings)
        let port = await seed.session.listenPort
        try await withRunning([seed.session, leecher]) {
            let hash = try await leecher.add(torrentFile: seed.torrent, savePath: dir.file("leech"), peers: ["127.0.0.1:\(port)"])
            _ = try await leecher.waitUntilComplete(hash)
            let counters = try #require(
                await leecher.engineCounters(
                    ["disk.num_read_back", "ses.num_piece_passed", "ses.num_piece_failed", "disk.disk_hash_time"], timeout: .seconds(30)))
            print("engine (\(kind), \(backend)): \(counters)")
            #expect(counters["disk.num_read_back"] == 0, "every piece hashed from the bytes written, the pad after each file as zeroes")
            #expect((counters["ses.num_piece_passed"] ?? 0) > 0)
            #expect(counters["ses.num_piece_failed"] == 0)
        }
        assertSameFiles(seed.folder, downloadedUnder: dir.file("leech"))
    }

    @Test(
        "a peer that sends wrong data: its pieces fail their hash (v1's SHA-1, a v2 block's SHA-256, both in a hybrid), nothing wrong is kept, and the album completes from a good peer",
        arguments: [TorrentCreator.Kind.v1Only, .hybrid, .v2Only])
    func wrongBlocksFailTheirPiece(kind: TorrentCreator.Kind) async throws {
        let good = try await seeder(kind)
        // A second seeder of the same files. libtorrent's seed mode verifies each piece the first
        // time a peer asks for it, so a first leecher takes them all (every piece verified), and
        // then its files are overwritten in place with other bytes: every block it sends is wrong.
        let badFolder = try ReleaseFixture.write(in: dir.file("bad"), name: (good.folder as NSString).lastPathComponent, files: ReleaseFixture.album)
        let bad = try TorrentSession(settings: .loopback(), seedingPolicy: .seedForever)
        _ = try await bad.add(torrentFile: good.torrent, savePath: dir.file("bad"), seedMode: true)
        let first = try TorrentSession(settings: .loopback())
        let leecher = try TorrentSession(settings: .loopback())
        let goodPort = await good.session.listenPort
        let badPort = await bad.listenPort
        try await withRunning([good.session, bad, first, leecher]) {
            let firstHash = try await first.add(torrentFile: good.torrent, savePath: dir.file("first"), peers: ["127.0.0.1:\(badPort)"])
            _ = try await first.waitUntilComplete(firstHash)
            try await first.remove(firstHash, deleteFiles: true)
            var random = SplitMix64(seed: 41)
            for (name, size) in ReleaseFixture.album {
                let handle = try #require(FileHandle(forWritingAtPath: (badFolder as NSString).appendingPathComponent(name)))
                try handle.write(contentsOf: Data((0..<size).map { _ in UInt8.random(in: 0...255, using: &random) }))
                try handle.close()
            }
            let hash = try await leecher.add(torrentFile: good.torrent, savePath: dir.file("leech"), peers: ["127.0.0.1:\(badPort)"])
            var seen: [String: Int64] = [:]
            let failed = try await eventually(within: 60) {
                seen = await leecher.engineCounters(["ses.num_piece_failed", "ses.num_piece_passed"], timeout: .seconds(30)) ?? seen
                return (seen["ses.num_piece_failed"] ?? 0) >= 1
            }
            #expect(failed, "a piece from the bad peer failed its hash; the engine counted \(seen)")
            #expect((seen["ses.num_piece_passed"] ?? 0) == 0, "nothing from the bad peer passed: \(seen)")
            try await leecher.connectPeer(hash, endpoint: "127.0.0.1:\(goodPort)")
            _ = try await leecher.waitUntilComplete(hash)
        }
        assertSameFiles(good.folder, downloadedUnder: dir.file("leech"))
    }

    @Test("a piece over more files than stay open at once (100 files in one 256 KiB piece), past the page cache: written whole, byte-identical")
    func pieceOverManyFiles() async throws {
        let files = (1...100).map { (String(format: "scans/%03d.txt", $0), 1_000 + $0 * 17) }
        let folder = try ReleaseFixture.write(in: dir.file("many"), name: "Many Small Files", files: files)
        let torrent = try TorrentCreator.create(from: folder, pieceSize: 262_144, kind: .v1Only)
        let seeder = try TorrentSession(settings: .loopback(), seedingPolicy: .seedForever)
        _ = try await seeder.add(torrentFile: torrent, savePath: dir.file("many"), seedMode: true)
        let leecher = try TorrentSession(settings: .loopback())
        let port = await seeder.listenPort
        try await withRunning([seeder, leecher]) {
            let hash = try await leecher.add(torrentFile: torrent, savePath: dir.file("many-leech"), peers: ["127.0.0.1:\(port)"])
            let done = try await leecher.waitUntilComplete(hash)
            #expect(done.isComplete)
        }
        for (name, _) in files {
            let copy = ((dir.file("many-leech") as NSString).appendingPathComponent("Many Small Files") as NSString).appendingPathComponent(name)
            #expect(filesEqual((folder as NSString).appendingPathComponent(name), copy), "\(name) differs or is missing")
        }
    }

    @Test(
        "a disk that fills up, past the page cache (the default) or through it: the download stops with the error named, no space left on device, and is not taken for complete",
        .system,
        arguments: [false, true])
    func fullDisk(osCache: Bool) async throws {
        let seed = try await seeder(.v1Only)
        // 6 MiB of ext4 (about 4 MiB free) for an album of 7.5 MB; ext4 takes O_DIRECT, tmpfs would not.
        let small = try SmallFileSystem(at: dir.file("small"), size: "6", ext4: true)
        var settings = TorrentSettings.loopback()
        settings.osCache = osCache
        let leecher = try TorrentSession(settings: settings)
        let port = await seed.session.listenPort
        try await withRunning([seed.session, leecher]) {
            let hash = try await leecher.add(torrentFile: seed.torrent, savePath: small.path, peers: ["127.0.0.1:\(port)"])
            do {
                _ = try await leecher.waitUntilComplete(hash)
                Issue.record("a 7.5 MB album completed on 4 MiB of free space")
            } catch TorrentError.torrentFailed(let message) {
                print("full disk (os_cache = \(osCache)): \(message)")
                #expect(message.localizedCaseInsensitiveContains("no space left"), "\(message)")
            }
            #expect(try await !leecher.progress(hash).isComplete)
        }
    }

    @Test("a seeder whose file was deleted stops claiming it once a peer asks, and reading it creates no empty file in its place")
    func missingFileIsNotCreatedByReading() async throws {
        let seed = try await seeder(.v1Only)
        let missing = (seed.folder as NSString).appendingPathComponent("01 - Airbag.flac")
        try FileManager.default.removeItem(atPath: missing)
        let leecher = try TorrentSession(settings: .loopback())
        let port = await seed.session.listenPort
        #expect(try await seed.session.progress(seed.hash).isComplete, "seed mode: complete until a piece is read")
        try await withRunning([seed.session, leecher]) {
            _ = try await leecher.add(torrentFile: seed.torrent, savePath: dir.file("leech"), peers: ["127.0.0.1:\(port)"])
            // libtorrent 2.0.8 leaves seed mode when a read fails (here: paused, nothing claimed).
            #expect(
                await eventually(within: 30) { (try? await seed.session.progress(seed.hash))?.isComplete == false },
                "the seeder stopped claiming the deleted file once it was read")
        }
        #expect(!FileManager.default.fileExists(atPath: missing), "a read must not create the file it could not find")
    }

    @Test("a magnet link with x.pe: metadata first (file list before any payload), then the files")
    func downloadByMagnet() async throws {
        let seed = try await seeder()
        let leecher = try TorrentSession(settings: .loopback())
        let port = await seed.session.listenPort
        let magnet = try TorrentMetadata.magnetLink(forTorrentFile: seed.torrent) + "&x.pe=127.0.0.1:\(port)"
        try await withRunning([seed.session, leecher]) {
            let hash = try await leecher.add(magnet: magnet, savePath: dir.file("leech"), holdPayload: true)
            let metadata = try await leecher.waitForMetadata(hash, timeout: .seconds(20))
            // The file list is known and no payload has been requested yet. A negative check: how long
            // it watches for a payload request that a held torrent must not make.
            try await Task.sleep(for: .milliseconds(300))
            #expect(try await leecher.progress(hash).wantedDoneBytes == 0)
            #expect(metadata.name == "Radiohead - OK Computer (1997) [FLAC]")
            #expect(
                Set(metadata.files.filter { !$0.isPadding }.map { ($0.path as NSString).lastPathComponent })
                    == Set(ReleaseFixture.album.map { ($0.0 as NSString).lastPathComponent }))
            #expect(metadata.infoHash == seed.hash)
            try await leecher.downloadAllFiles(hash)
            _ = try await leecher.waitUntilComplete(hash)
            // Adding the same magnet again returns the same torrent.
            #expect(try await leecher.add(magnet: magnet, savePath: dir.file("leech")) == hash)
            #expect(await leecher.torrents == [hash])
        }
        assertSameFiles(seed.folder, downloadedUnder: dir.file("leech"))
    }

    @Test("selecting 2 of 5 files downloads those and writes none of the others", arguments: [TorrentCreator.Kind.v1Only, .hybrid])
    func fileSelection(kind: TorrentCreator.Kind) async throws {
        let seed = try await seeder(kind)
        let leecher = try TorrentSession(settings: .loopback())
        let port = await seed.session.listenPort
        let magnet = try TorrentMetadata.magnetLink(forTorrentFile: seed.torrent)
        let wantedNames: Set<String> = ["02 - Paranoid Android.flac", "album.log"]
        let outcome: Result<TorrentProgress, any Error> = try await withRunning([seed.session, leecher]) {
            let hash = try await leecher.add(magnet: magnet, savePath: dir.file("leech"), holdPayload: true, peers: ["127.0.0.1:\(port)"])
            let metadata = try await leecher.waitForMetadata(hash, timeout: .seconds(20))
            let wanted = Set(
                metadata.files.filter { wantedNames.contains(String($0.path.split(separator: "/", maxSplits: 1).last ?? "")) }.map(\.index))
            #expect(wanted.count == 2)
            try await leecher.selectFiles(hash, wanted: wanted)
            await #expect(throws: TorrentError.self) { try await leecher.selectFiles(hash, wanted: [99]) }
            return await Result { try await leecher.waitUntilComplete(hash) }
        }
        switch outcome {
        case .success(let done):
            // Wanted bytes count whole pieces, so boundary pieces of neighbouring files are included.
            #expect(done.wantedBytes >= 2_400_000 + 4_321 && done.wantedBytes <= 2_400_000 + 4_321 + 4 * 65536)
            assertSameFiles(seed.folder, downloadedUnder: dir.file("leech"), only: wantedNames)
            let root = (dir.file("leech") as NSString).appendingPathComponent((seed.folder as NSString).lastPathComponent)
            for (name, _) in ReleaseFixture.album where !wantedNames.contains(name) {
                #expect(!FileManager.default.fileExists(atPath: (root as NSString).appendingPathComponent(name)), "\(name) must not be written")
            }
        case .failure(let error):
            // libtorrent 2.0.8 can reject a hybrid torrent with skipped files when only its v1 hash is
            // known (docs/NOTES.md#libtorrent-hybrid-torrents); our magnets carry both hashes, so both
            // kinds must download. A failure here is a defect, whatever libtorrent says.
            Issue.record("a \(kind) torrent with 2 of 5 files selected must download: \(error)")
        }
    }

    @Test(
        "peers are dialled over TCP unless dial_utp is set; uTP is still accepted, and enable_utp = false refuses it",
        arguments: [(dial: false, enable: true), (dial: true, enable: true), (dial: true, enable: false)])
    func transports(dial: Bool, enable: Bool) async throws {
        var settings = TorrentSettings.loopback()
        settings.enableUTP = enable
        settings.dialUTP = dial
        let name = "Transport Test \(dial ? "dial" : "accept") \(enable ? "utp" : "tcp")"
        let folder = try ReleaseFixture.write(in: dir.file("seed"), name: name, files: ReleaseFixture.album)
        let torrent = try TorrentCreator.create(from: folder, pieceSize: 65536, kind: .v1Only)
        // The seeder sends slowly, so the download lasts while its connection is looked at.
        var slow = settings
        slow.maxUploadKbps = 32
        let seeder = try TorrentSession(settings: slow, seedingPolicy: .seedForever)
        let leecher = try TorrentSession(settings: settings, seedingPolicy: .seedForever)
        _ = try await seeder.add(torrentFile: torrent, savePath: dir.file("seed"), seedMode: true)
        let port = await seeder.listenPort
        try await withRunning([seeder, leecher]) {
            let hash = try await leecher.add(torrentFile: torrent, savePath: dir.file("leech-\(name)"), peers: ["127.0.0.1:\(port)"])
            #expect(await eventually(within: 20) { ((try? await leecher.peerTransports(hash)).map { $0.tcp + $0.utp } ?? 0) == 1 })
            #expect(try await leecher.progress(hash).percent < 100, "still downloading while the connection is looked at")
            let peers = try await leecher.peerTransports(hash)
            if dial && enable {
                #expect(peers.utp == 1, "dial_utp dials uTP first: \(peers)")
            } else {
                #expect(peers.tcp == 1, "dialled over TCP: \(peers)")
            }
        }
    }
}

extension Result where Failure == any Error {
    init(catching body: () async throws -> Success) async {
        do { self = .success(try await body()) } catch { self = .failure(error) }
    }
}

/// What of a file the kernel holds in its page cache, by `mincore` over a mapping of it.
enum PageCache {
    static func residentFraction(of path: String) throws -> Double {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_size > 0 else { return 0 }
        let length = Int(info.st_size)
        guard let mapping = mmap(nil, length, PROT_READ, MAP_SHARED, fd, 0), mapping != MAP_FAILED else {
            throw POSIXError(.init(rawValue: errno) ?? .EIO)
        }
        defer { munmap(mapping, length) }
        let pageSize = Int(sysconf(Int32(_SC_PAGESIZE)))
        var pages = [UInt8](repeating: 0, count: (length + pageSize - 1) / pageSize)
        guard mincore(mapping, length, &pages) == 0 else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
        return Double(pages.filter { $0 & 1 != 0 }.count) / Double(pages.count)
    }

    /// Whether a file in `folder` can be opened with O_DIRECT.
    static func takesDirectIO(_ folder: String) -> Bool {
        let probe = (folder as NSString).appendingPathComponent(".direct-io-probe")
        // O_DIRECT needs _GNU_SOURCE in C, so Swift's Glibc does not name it: Linux's value per architecture.
        #if arch(arm64)
        let direct: Int32 = 0o200000
        #else
        let direct: Int32 = 0o40000
        #endif
        let fd = open(probe, O_RDWR | O_CREAT | direct, 0o644)
        defer { unlink(probe) }
        guard fd >= 0 else { return false }
        close(fd)
        return true
    }
}
