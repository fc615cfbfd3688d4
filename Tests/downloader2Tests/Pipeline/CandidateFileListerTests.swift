import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Matching
import Pipeline
import Search
import Testing
import Tickets
import Torrent

@Suite("Candidate file lists before download")
struct CandidateFileListerTests {
    let dir = TemporaryDirectory("downloader2-lister")

    @Test("from the indexer, a fetched .torrent, a redirect to a magnet, a magnet's metadata; otherwise the reason")
    func everySource() async throws {
        let folder = try ReleaseFixture.write(in: dir.file("seed"), name: "Lister Album", files: ReleaseFixture.album)
        let torrent = try TorrentCreator.create(from: folder, pieceSize: 65536, kind: .v1Only)
        let seeder = try TorrentSession(settings: .loopback(), seedingPolicy: .seedForever)
        let engine = try TorrentSession(settings: .loopback())
        let magnet = try TorrentMetadata.magnetLink(forTorrentFile: torrent) + "&x.pe=127.0.0.1:\(await seeder.listenPort)"
        let router = Router()
        router.get("dl/redirect") { _, _ in Response(status: .found, headers: [.location: magnet]) }
        router.get("dl/album.torrent") { _, _ in Response(status: .ok, body: ResponseBody(byteBuffer: ByteBuffer(bytes: torrent))) }
        router.get("dl/garbage.torrent") { _, _ in "<html>login required</html>" }
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await withRunning([seeder, engine]) {
            let hash = try await seeder.add(torrentFile: torrent, savePath: dir.file("seed"), seedMode: true)
            try await app.test(.live) { client in
                let base = "http://127.0.0.1:\(client.port!)"
                let listed = TorrentCandidate(
                    title: "listed", indexer: "i", infoHash: "aa", sizeBytes: 1, seeders: 1, leechers: 0,
                    files: [TorrentFileEntry(path: "01.flac", sizeBytes: 1)])
                let candidates = [
                    listed,
                    TorrentCandidate(
                        title: "torrent", indexer: "i", downloadUrl: base + "/dl/album.torrent", infoHash: "", sizeBytes: 0, seeders: 1, leechers: 0),
                    TorrentCandidate(
                        title: "redirect", indexer: "i", downloadUrl: base + "/dl/redirect", infoHash: hash, sizeBytes: 0, seeders: 1, leechers: 0),
                    TorrentCandidate(title: "magnet", indexer: "i", magnetUri: magnet, infoHash: hash, sizeBytes: 0, seeders: 1, leechers: 0),
                    TorrentCandidate(
                        title: "dead", indexer: "i", magnetUri: "magnet:?xt=urn:btih:" + String(repeating: "9e", count: 20), infoHash: "",
                        sizeBytes: 0, seeders: 0, leechers: 0),
                    TorrentCandidate(
                        title: "garbage", indexer: "i", downloadUrl: base + "/dl/garbage.torrent", infoHash: "", sizeBytes: 0, seeders: 0, leechers: 0
                    ),
                    TorrentCandidate(title: "nothing", indexer: "i", infoHash: "", sizeBytes: 0, seeders: 0, leechers: 0),
                ]
                let lister = CandidateFileLister(torrents: engine, scratchDirectory: dir.file("scratch"), metadataTimeout: .seconds(2), width: 4)
                let resolved = await lister.resolve(candidates)
                let byTitle = Dictionary(uniqueKeysWithValues: resolved.map { ($0.title, $0) })
                #expect(resolved.map(\.title) == candidates.map(\.title), "order kept")
                #expect(byTitle["listed"]?.filesSource == "indexer" && byTitle["listed"]?.files?.count == 1)
                for (title, source) in [("torrent", "torrent_file"), ("redirect", "magnet_metadata"), ("magnet", "magnet_metadata")] {
                    let c = try #require(byTitle[title])
                    #expect(c.filesSource == source, "\(title): \(String(describing: c.filesUnavailableReason))")
                    #expect(
                        Set(c.files?.map { ($0.path as NSString).lastPathComponent } ?? [])
                            == Set(ReleaseFixture.album.map { ($0.0 as NSString).lastPathComponent }), "\(title)")
                    #expect(c.infoHash == hash)
                }
                #expect(byTitle["torrent"]?.sizeBytes == ReleaseFixture.album.reduce(0) { $0 + Int64($1.1) })
                #expect(byTitle["dead"]?.files == nil && byTitle["dead"]?.filesUnavailableReason?.contains("no metadata") == true)
                #expect(byTitle["garbage"]?.filesUnavailableReason?.contains("not a valid .torrent file") == true)
                #expect(byTitle["nothing"]?.filesUnavailableReason?.contains("neither") == true)
            }
            // Only file lists were fetched: no torrent stays in the engine, no payload was written.
            #expect(await eventually { await engine.torrents.isEmpty })
            #expect(!FileManager.default.fileExists(atPath: dir.file("scratch/Lister Album/01 - Airbag.flac")))
        }
    }

    @Test("an image's CUE sheet is fetched alone before the download and its titles map the tracks; a running download is left alone")
    func imageCueSheetAhead() async throws {
        let folder = try ReleaseFixture.write(in: dir.file("seed"), name: "Image Album", files: [("Album.flac", 2_000_000), ("Album.log", 3_000)])
        // The sheet lists a hidden first track, so its order differs from the ticket's.
        let cue = """
            PERFORMER "Radiohead"
            TITLE "OK Computer"
            FILE "Album.flac" WAVE
              TRACK 01 AUDIO
                TITLE "(hidden)"
                INDEX 01 00:00:00
              TRACK 02 AUDIO
                TITLE "Airbag"
                INDEX 01 00:10:00
              TRACK 03 AUDIO
                TITLE "Paranoid Android"
                INDEX 01 00:20:00
            """
        try Data(cue.utf8).write(to: URL(fileURLWithPath: folder + "/Album.cue"))
        let torrent = try TorrentCreator.create(from: folder, pieceSize: 65536, kind: .v1Only)
        let seeder = try TorrentSession(settings: .loopback(), seedingPolicy: .seedForever)
        let engine = try TorrentSession(settings: .loopback())
        let magnet = try TorrentMetadata.magnetLink(forTorrentFile: torrent) + "&x.pe=127.0.0.1:\(await seeder.listenPort)"
        let router = Router()
        router.get("dl/image.torrent") { _, _ in Response(status: .ok, body: ResponseBody(byteBuffer: ByteBuffer(bytes: torrent))) }
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await withRunning([seeder, engine]) {
            let hash = try await seeder.add(torrentFile: torrent, savePath: dir.file("seed"), seedMode: true)
            try await app.test(.live) { client in
                // Generous limits: the whole suite runs in parallel on two cores in CI.
                let lister = CandidateFileLister(
                    torrents: engine, scratchDirectory: dir.file("scratch"), metadataTimeout: .seconds(30), earlyTimeout: .seconds(30))
                // One after the other, so each adds the torrent itself: from the magnet, then from the .torrent
                // (whose indexer also gave the magnet, the source of its peer: a .torrent has only trackers).
                let resolved = [
                    await lister.resolve([
                        TorrentCandidate(
                            title: "Radiohead - OK Computer [FLAC image+cue]", indexer: "i", magnetUri: magnet, infoHash: hash, sizeBytes: 0,
                            seeders: 1, leechers: 0)
                    ])[0],
                    await lister.resolve([
                        TorrentCandidate(
                            title: "Radiohead - OK Computer [FLAC image+cue]", indexer: "i", magnetUri: magnet,
                            downloadUrl: "http://127.0.0.1:\(client.port!)/dl/image.torrent",
                            infoHash: "", sizeBytes: 0, seeders: 1, leechers: 0)
                    ])[0],
                ]
                #expect(resolved.map(\.filesSource) == ["magnet_metadata", "torrent_file"])
                for candidate in resolved {
                    #expect(
                        candidate.cueSheets == ["Image Album/Album.cue": ["(hidden)", "Airbag", "Paranoid Android"]],
                        "\(candidate.filesSource ?? "?")")
                }
                let ticket = Ticket(
                    ticketId: "cue", search: TicketSearch(artist: "Radiohead", album: "OK Computer"),
                    tracks: [
                        TicketTrack(catalogTrackId: "a", trackNumber: 1, name: "Airbag", destPath: "/m/1.ogg"),
                        TicketTrack(catalogTrackId: "b", trackNumber: 2, name: "Paranoid Android", destPath: "/m/2.ogg"),
                    ],
                    constraints: TicketConstraints(format: .oggVorbis))
                let scored = CandidateScorer().score(ticket, resolved[0])
                #expect(
                    scored.trackMapping.map(\.cueTrack) == [2, 3] && scored.reasoning.contains("tracks from the sheet's titles"),
                    "\(scored.reasoning)")
            }
            #expect(await eventually { await engine.torrents.isEmpty })
            #expect(!FileManager.default.fileExists(atPath: dir.file("scratch/Image Album/Album.cue")), "the scratch data goes with the torrent")

            // The same torrent being downloaded by a ticket: listing it again neither re-plans nor removes it.
            let running = try await engine.add(magnet: magnet, savePath: dir.file("download"))
            let again = await CandidateFileLister(torrents: engine, scratchDirectory: dir.file("scratch"), metadataTimeout: .seconds(5))
                .resolve([TorrentCandidate(title: "again", indexer: "i", magnetUri: magnet, infoHash: hash, sizeBytes: 0, seeders: 1, leechers: 0)])
            #expect(again[0].files?.count == 3 && again[0].cueSheets == nil)
            #expect(await engine.torrents == [running])
        }
    }
    @Test("a lossless release's rip logs are read before the download and weigh in its score; a lossy release's are not fetched")
    func ripLogsAhead() async throws {
        // Real logs (Tests/RipLogs): an XLD rip verified by AccurateRip, an EAC rip that reports errors.
        let releases: [(name: String, log: String, audio: String)] = [
            ("Verified Rip", "xld_perfect_2.log", "flac"), ("Error Rip", "file_write_error.log", "flac"), ("Lossy Rip", "xld_perfect_2.log", "mp3"),
        ]
        let seeder = try TorrentSession(settings: .loopback(), seedingPolicy: .seedForever)
        let engine = try TorrentSession(settings: .loopback())
        try await withRunning([seeder, engine]) {
            var candidates: [TorrentCandidate] = []
            for release in releases {
                let folder = try ReleaseFixture.write(
                    in: dir.file("seed"), name: release.name,
                    files: [("01 - Airbag.\(release.audio)", 400_000), ("02 - Paranoid Android.\(release.audio)", 400_000)])
                try FileManager.default.copyItem(atPath: RipLogTests.path(release.log), toPath: folder + "/\(release.name).log")
                let torrent = try TorrentCreator.create(from: folder, pieceSize: 65536, kind: .v1Only)
                let hash = try await seeder.add(torrentFile: torrent, savePath: dir.file("seed"), seedMode: true)
                let magnet = try TorrentMetadata.magnetLink(forTorrentFile: torrent) + "&x.pe=127.0.0.1:\(await seeder.listenPort)"
                candidates.append(
                    TorrentCandidate(
                        title: "Radiohead - OK Computer [\(release.audio.uppercased())]", indexer: "i", magnetUri: magnet, infoHash: hash,
                        sizeBytes: 0, seeders: 3, leechers: 0))
            }
            // Generous limits: the whole suite runs in parallel on two cores in CI.
            let lister = CandidateFileLister(
                torrents: engine, scratchDirectory: dir.file("scratch"), metadataTimeout: .seconds(30), earlyTimeout: .seconds(30))
            let resolved = await lister.resolve(candidates)
            #expect(resolved.map(\.filesSource) == ["magnet_metadata", "magnet_metadata", "magnet_metadata"])
            let verified = try #require(resolved[0].ripLogs?.first, "the verified rip's log was not read ahead")
            #expect(verified.path == "Verified Rip/Verified Rip.log" && verified.clean && verified.accurateRipVerified)
            #expect(verified.summary.contains("XLD") && verified.summary.contains("AccurateRip 19/19 tracks"), "\(verified.summary)")
            let errors = try #require(resolved[1].ripLogs?.first, "the erroneous rip's log was not read ahead")
            #expect(!errors.clean && errors.summary.contains("EAC"), "\(errors)")
            #expect(resolved[2].ripLogs == nil, "a lossy release's log is not fetched")

            let ticket = Ticket(
                ticketId: "logs", search: TicketSearch(artist: "Radiohead", album: "OK Computer"),
                tracks: [
                    TicketTrack(catalogTrackId: "a", trackNumber: 1, name: "Airbag", destPath: "/m/1.ogg"),
                    TicketTrack(catalogTrackId: "b", trackNumber: 2, name: "Paranoid Android", destPath: "/m/2.ogg"),
                ],
                constraints: TicketConstraints(format: .oggVorbis))
            let scorer = CandidateScorer()
            var unread = resolved[0]
            unread.ripLogs = nil
            let (good, bad, plain) = (scorer.score(ticket, resolved[0]), scorer.score(ticket, resolved[1]), scorer.score(ticket, unread))
            #expect(
                good.reasoning.contains("clean rip verified by AccurateRip") && good.reasoning.contains("Verified Rip.log: XLD"), "\(good.reasoning)")
            #expect(bad.reasoning.contains("rip log with errors"), "\(bad.reasoning)")
            // A little up for the verified rip, down for the one with errors, against the same files without a log.
            #expect(good.score > plain.score && good.score - plain.score <= 0.031, "\(good.score) against \(plain.score)")
            #expect(bad.score < plain.score, "\(bad.score) against \(plain.score)")
            #expect(await eventually { await engine.torrents.isEmpty })
            #expect(
                !FileManager.default.fileExists(atPath: dir.file("scratch/Verified Rip/Verified Rip.log")), "the scratch data goes with the torrent")
        }
    }
}
