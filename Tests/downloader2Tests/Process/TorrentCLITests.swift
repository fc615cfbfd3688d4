import Basics
import Foundation
import Testing
import Tickets
import Torrent

/// `downloader2 torrent …` as a user runs it: a real process, killed and restarted.
@Suite("downloader2 torrent (CLI)")
struct TorrentCLITests {
    let dir = TemporaryDirectory("downloader2-cli")

    var environment: [String: String] {
        var env = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("DOWNLOADER2_") }
        env["DOWNLOADER2_TORRENT_LISTEN_INTERFACES"] = "127.0.0.1:0"
        env["DOWNLOADER2_TORRENT_ENABLE_DHT"] = "false"
        env["DOWNLOADER2_TORRENT_ENABLE_LSD"] = "false"
        env["DOWNLOADER2_TORRENT_ENABLE_UPNP"] = "false"
        env["DOWNLOADER2_TORRENT_ENABLE_NATPMP"] = "false"
        env["DOWNLOADER2_TORRENT_METADATA_TIMEOUT_SECS"] = "2"
        return env
    }

    func start(_ arguments: [String], log: String) throws -> ServiceProcess {
        try ServiceProcess(arguments, environment: environment, log: log)
    }

    func run(_ arguments: [String]) throws -> (status: Int32, errors: String) {
        let result = try ExternalTool.outcome(ProcessTests.binary, arguments, environment: environment)
        return (result.status, result.stderr)
    }

    /// The highest percentage the progress lines of `log` show so far.
    static func percentShown(in log: String) -> Double {
        let text = (try? String(contentsOfFile: log, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").compactMap { line in
            line.range(of: "% of ").flatMap { Double(line[..<$0.lowerBound].trimmingCharacters(in: .whitespaces)) }
        }.max() ?? 0
    }

    @Test("killed with SIGKILL part way, the same command resumes from its resume data and completes")
    func killAndResume() async throws {
        let folder = try ReleaseFixture.write(in: dir.file("seed"), name: "Throttled", files: [("image.flac", 30_000_000)])
        let torrentPath = dir.file("throttled.torrent")
        let torrent = try TorrentCreator.create(from: folder, pieceSize: 65536, kind: .v1Only)
        #expect(FileManager.default.createFile(atPath: torrentPath, contents: torrent))
        // The first run's seeder holds only the first half of the file (the rest is zeros, whose pieces
        // fail their hash): the download cannot finish before the kill, however late the test looks.
        let half = dir.file("half")
        try FileManager.default.createDirectory(atPath: half, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: folder, toPath: half + "/Throttled")
        var bytes = try Data(contentsOf: URL(fileURLWithPath: half + "/Throttled/image.flac"))
        bytes.replaceSubrange((bytes.count / 2)..<bytes.count, with: Data(count: bytes.count - bytes.count / 2))
        try bytes.write(to: URL(fileURLWithPath: half + "/Throttled/image.flac"))
        let halfSeeder = try TorrentSession(settings: .loopback(), seedingPolicy: .seedForever)
        let fullSeeder = try TorrentSession(settings: .loopback(), seedingPolicy: .seedForever)
        try await withRunning([halfSeeder, fullSeeder]) {
            _ = try await halfSeeder.add(torrentFile: torrent, savePath: half)
            _ = try await fullSeeder.add(torrentFile: torrent, savePath: dir.file("seed"), seedMode: true)
            let arguments = { (port: Int) in ["torrent", "add", torrentPath, "--dir", self.dir.file("dl"), "--peer", "127.0.0.1:\(port)"] }

            let firstLog = dir.file("first.log")
            let first = try start(arguments(await halfSeeder.listenPort), log: firstLog)
            #expect(await eventually(within: 120) { Self.percentShown(in: firstLog) >= 33 }, "never reached 33 %")
            // Resume data is written every few seconds while something changed, each time as a new file
            // (renamed over the old one). Two new files after 33 % was shown: the second was asked for
            // after that point, so it holds at least that progress. Over TCP on loopback the 33 % come
            // sooner than the first periodic save, so killing at once would find nothing to resume from.
            let resumeFile = dir.file("dl/.downloader2-resume/\(try TorrentMetadata.parse(torrentFile: torrent).infoHash).resume")
            func inode() -> Int? { (try? FileManager.default.attributesOfItem(atPath: resumeFile))?[.systemFileNumber] as? Int }
            var seen: [Int?] = [inode()]
            #expect(
                await eventually(within: 60) {
                    if let current = inode(), current != seen.last { seen.append(current) }
                    return seen.count >= 3
                }, "no resume data saved after the progress was shown")
            #expect(first.process.isRunning, "the first run cannot have finished: its seeder has half the file")
            first.stop(SIGKILL)
            #expect(first.process.terminationReason == .uncaughtSignal)

            let secondLog = dir.file("second.log")
            let second = try start(arguments(await fullSeeder.listenPort), log: secondLog)
            #expect(await eventually(within: 120) { !second.process.isRunning })
            let log = try String(contentsOfFile: secondLog, encoding: .utf8)
            #expect(second.process.terminationStatus == 0, "\(log)")
            let resumedLine = try #require(log.split(separator: "\n").first { $0.contains("resumed Throttled from resume data at") }, "\(log)")
            let resumedAt = Double(resumedLine.split(separator: " ").first { Double($0) != nil } ?? "0") ?? 0
            #expect(resumedAt >= 15, "resumed at \(resumedAt) %: \(resumedLine)")
            #expect(log.contains("complete: Throttled"))
        }
        #expect(filesEqual(folder + "/image.flac", dir.file("dl/Throttled/image.flac")))
    }

    @Test("a magnet with x.pe and neither tracker nor DHT reaches that peer, gets the metadata and completes")
    func magnetWithDirectPeer() async throws {
        let folder = try ReleaseFixture.write(in: dir.file("seed"), name: "Direct Peer", files: ReleaseFixture.album)
        let torrent = try TorrentCreator.create(from: folder, pieceSize: 65536, kind: .v1Only)
        let seeder = try TorrentSession(settings: .loopback(), seedingPolicy: .seedForever)
        try await withRunning([seeder]) {
            _ = try await seeder.add(torrentFile: torrent, savePath: dir.file("seed"), seedMode: true)
            let magnet = try TorrentMetadata.magnetLink(forTorrentFile: torrent) + "&x.pe=127.0.0.1:\(await seeder.listenPort)"
            #expect(!magnet.contains("tr="), "no tracker in the magnet")
            var env = environment
            env["DOWNLOADER2_TORRENT_METADATA_TIMEOUT_SECS"] = "30"
            let arguments = ["torrent", "add", magnet, "--dir", dir.file("direct"), "--engine-stats"]
            let environment = env
            let result = try await runBlocking { Result { try ExternalTool.outcome(ProcessTests.binary, arguments, environment: environment) } }.get()
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stderr.contains("complete: Direct Peer"), "\(result.stderr)")
            // libtorrent's own figures: every byte of the album went through its disk jobs, 16 KiB blocks at a time.
            let line = try #require(result.stderr.split(separator: "\n").first { $0.hasPrefix("engine (libtorrent") }, "\(result.stderr)")
            let written = try #require(line.firstMatch(of: /blocks written (\d+)/).flatMap { Int64($0.1) }, "\(line)")
            let total = ReleaseFixture.album.reduce(Int64(0)) { $0 + Int64($1.1) }
            #expect(written * 16_384 >= total && written * 16_384 < total + 16_384 * Int64(ReleaseFixture.album.count), "\(line)")
            #expect(line.contains("disk job time") && line.contains("requests in flight"), "\(line)")
        }
        for (name, _) in ReleaseFixture.album {
            #expect(filesEqual(folder + "/" + name, dir.file("direct/Direct Peer/" + name)), "\(name)")
        }
    }

    @Test("bad sources and a metadata timeout exit non-zero with a message that says what is wrong")
    func errorsExitNonZero() throws {
        let garbage = dir.file("garbage.torrent")
        #expect(FileManager.default.createFile(atPath: garbage, contents: Data("d4:infod".utf8)))
        let cases: [([String], String)] = [
            (["torrent", "add", "magnet:?dn=nothing", "--dir", dir.file("x")], "invalid magnet link"),
            (["torrent", "add", garbage, "--dir", dir.file("x")], "not a valid .torrent file"),
            (["torrent", "info", garbage], "not a valid .torrent file"),
            (["torrent", "add", dir.file("missing.torrent"), "--dir", dir.file("x")], "neither a magnet link nor a readable .torrent file"),
            (["torrent", "add", "magnet:?xt=urn:btih:" + String(repeating: "e", count: 40), "--dir", dir.file("x")], "no metadata after"),
            (["torrent", "add", garbage, "--dir", dir.file("x"), "--files", "one"], "--files"),
        ]
        for (arguments, message) in cases {
            let result = try run(arguments)
            #expect(result.status != 0, "\(arguments)")
            #expect(result.errors.contains(message), "\(arguments): \(result.errors)")
        }
    }

    @Test("create then info round-trips a release: names, sizes, info-hashes")
    func createAndInfo() throws {
        let folder = try ReleaseFixture.write(in: dir.file("seed"), name: "Album", files: ReleaseFixture.album)
        let out = dir.file("album.torrent")
        #expect(try run(["torrent", "create", folder, "--tracker", "http://127.0.0.1:1/announce", "-o", out]).status == 0)
        let metadata = try TorrentMetadata.parse(torrentFile: try #require(FileManager.default.contents(atPath: out)))
        #expect(metadata.infoHashV1?.count == 40 && metadata.infoHashV2?.count == 64)
        let data = try ExternalTool.run(ProcessTests.binary, ["torrent", "info", out, "--json"], environment: environment).stdout
        #expect(try TicketJSON.decoder().decode(TorrentMetadata.self, from: data) == metadata)
    }
}
