import Audio
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import Matching
import NIOCore
import Pipeline
import Placement
import Prometheus
import Search
import Storage
import Synchronization
import Testing
import Tickets
import Torrent

/// A ticket from submission to files on disk with nobody touching it: a fixture Jackett answering
/// with the real release and a decoy, a seeder on loopback, the embedded engine, libav, placement.
@Suite("Pipeline end to end: search → match → download → convert → place")
struct PipelineEndToEndTests {
    static let tones: [Double] = [330, 495, 660]
    static let names = ["First Light", "Second Wind", "Third Eye"]

    /// A FLAC album of distinct tones with a cover, as a release folder a seeder can share.
    static func writeAlbum(in root: String, seconds: Double = 4, noise: Double = 0) throws -> String {
        let folder = (root as NSString).appendingPathComponent("Tone Ensemble - Sine Waves (2024) [FLAC]")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        for (index, tone) in tones.enumerated() {
            let wav = (root as NSString).appendingPathComponent("\(index).wav")
            ToneAudio.writeWAV(wav, frequency: tone, seconds: seconds, noise: noise)
            try ExternalTool.run("ffmpeg", ["-v", "error", "-i", wav, "-c:a", "flac", "\(folder)/0\(index + 1) - \(names[index]).flac"])
        }
        try ToneAudio.writeCover("\(folder)/front.jpg", size: 96, color: "orange")
        try "EAC extraction log".write(toFile: "\(folder)/rip.log", atomically: true, encoding: .utf8)
        return folder
    }

    /// A copy of `folder` under `root` whose file `missing` has zeros in place of its middle half.
    static func partialCopy(of folder: String, in root: String, missing: String) throws -> String {
        let copy = (root as NSString).appendingPathComponent((folder as NSString).lastPathComponent)
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: folder, toPath: copy)
        // Only the middle half is blanked: the pieces it shares with its neighbours (the cover comes
        // after it) stay whole, so every other file, the cover included, can complete.
        let target = (copy as NSString).appendingPathComponent(missing)
        var bytes = try Data(contentsOf: URL(fileURLWithPath: target))
        let quarter = bytes.count / 4
        bytes.replaceSubrange(quarter..<(3 * quarter), with: Data(count: 2 * quarter))
        try bytes.write(to: URL(fileURLWithPath: target))
        return copy
    }

    /// A fixture Jackett (its real results API) listing a lossy decoy nobody seeds, then the real release
    /// under `field` ("MagnetUri" or "Link"); with `torrent`, it also serves that file at `/dl/album.torrent`.
    /// Each search answers after `delay` (a slow indexer keeps a ticket in `searching` that long); the
    /// first `failFirst` searches answer 502.
    static func indexer(
        field: String, link: @escaping @Sendable () -> String, hash: String, torrent: Data? = nil, delay: Duration = .zero,
        failFirst: Int = 0, minimumRatio: Double? = nil, minimumSeedTimeSecs: Int? = nil
    ) -> Router<BasicRequestContext> {
        let router = Router()
        let failures = Mutex(failFirst)
        if let torrent {
            router.get("dl/album.torrent") { _, _ in Response(status: .ok, body: ResponseBody(byteBuffer: ByteBuffer(bytes: torrent))) }
        }
        // A q-only Cardigann tracker behind Jackett: it finds the album by its keywords, and answers
        // an empty query with its latest (unrelated) releases.
        let releases: @Sendable () -> [CardigannTracker.Release] = {
            let flac = CardigannTracker.Release(
                title: "Tone Ensemble - Sine Waves (2024) [FLAC]", size: 2_000_000, seeders: 5, leechers: 0, infoHash: hash,
                magnet: field == "MagnetUri" ? link() : nil, link: field == "Link" ? link() : nil,
                published: Date(timeIntervalSince1970: 1_733_000_000), minimumSeedTime: minimumSeedTimeSecs, minimumRatio: minimumRatio)
            let mp3 = CardigannTracker.Release(
                title: "Tone Ensemble - Sine Waves (2024) MP3 128", size: 9_000_000, seeders: 1, leechers: 0, infoHash: nil,
                magnet: "magnet:?xt=urn:btih:\(String(repeating: "7e", count: 20))", published: Date(timeIntervalSince1970: 1_732_000_000))
            return [mp3, flac] + CardigannTracker.latest
        }
        // The same tracker's own Torznab feed (q-only caps), at Jackett's path, key "k".
        let tracker = CardigannTracker(catalogue: releases)
        tracker.registerTorznab(on: router, apiKey: "k")
        router.get("api/v2.0/indexers/all/results") { request, _ -> Response in
            // An indexer that answers slowly, on purpose (the behaviour under test).
            if delay > .zero { try await Task.sleep(for: delay) }
            // An indexer that is down for its first `failFirst` answers (a proxy in front of it answers 502).
            if failures.withLock({ n in
                defer { n -= 1 }; return n > 0
            }) {
                return Response(status: .badGateway, body: ResponseBody(byteBuffer: ByteBuffer(string: "upstream down")))
            }
            let json = tracker.jsonAnswer(tracker.find(request.uri.queryParameters.get("Query") ?? ""))
            return Response(status: .ok, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(string: json)))
        }
        return router
    }

    static func ticket(id: String, media: String, seconds: Double = 4) -> Ticket {
        Ticket(
            ticketId: id,
            search: TicketSearch(artist: "Tone Ensemble", album: "Sine Waves", year: 2024),
            tracks: names.enumerated().map { index, name in
                TicketTrack(
                    catalogTrackId: "cat-\(index + 1)", trackNumber: index + 1, name: name, durationSecs: seconds,
                    destPath: "\(media)/Tone Ensemble/Sine Waves/0\(index + 1).ogg")
            },
            images: [TicketImage(catalogImageId: "cover-1", type: "cover_front", destPath: "\(media)/Tone Ensemble/Sine Waves/cover.jpg")],
            constraints: TicketConstraints(format: .oggVorbis, bitrateKbps: 192),
            metadataToEmbed: MetadataToEmbed(artist: "Tone Ensemble", album: "Sine Waves", albumArtist: "Tone Ensemble", year: 2024, genre: "Test"))
    }

    /// The real stages over the engine, the fixture indexer on `indexerPort`, libav and placement under `media`.
    static func orchestrator(
        dir: TemporaryDirectory, engine: TorrentSession, database: AppDatabase, indexerPort: Int, media: String,
        registry: PrometheusCollectorRegistry,
        torznab: Bool = false
    ) -> Orchestrator {
        let base = "http://127.0.0.1:\(indexerPort)"
        let client: any IndexerClient =
            torznab
            ? TorznabClient(name: "tonetracker", baseURL: base + "/api/v2.0/indexers/tonetracker/results/torznab/api", apiKey: "k")
            : JackettClient(baseURL: base, apiKey: "k")
        let lister = CandidateFileLister(
            torrents: engine, scratchDirectory: dir.file("dl/.metadata"), metadataTimeout: .seconds(3), earlyTimeout: .seconds(3))
        let stages = PipelineStages(
            search: IndexerSearchStage(
                search: CandidateSearch(indexers: [client]), lister: lister),
            match: CandidateMatchStage(matcher: CandidateScorer()),
            download: TorrentDownloadStage(torrents: engine, downloadRoot: dir.file("dl"), metadataTimeout: .seconds(30), database: database),
            convert: AudioConvertStage(converter: AudioConverter(width: 2), workRoot: dir.file("tmp")),
            place: FilePlacementStage(placer: Placer(mediaRoots: MediaRoots([media])), database: database))
        return Orchestrator(
            database: database, stages: stages, settings: PipelineSettings(checkInterval: 0.2, retry: RetryPolicy(maxAttempts: 0)),
            metrics: PipelineMetrics(factory: PrometheusMetricsFactory(registry: registry)), logger: Logger(label: "e2e"))
    }

    @Test("A ticket completes: every dest_path holds the right tone, tagged, with the cover; downloadFile rows written", .system)
    func ticketToFiles() async throws {
        let dir = TemporaryDirectory("e2e")
        let media = dir.file("media")
        let folder = try Self.writeAlbum(in: dir.file("seed"), noise: 0.1)
        let torrent = try TorrentCreator.create(from: folder, pieceSize: 65536, kind: .v1Only)
        // The first seeder lacks the last track (its bytes are zeros, so those pieces fail their
        // hash): the download cannot finish until the full seeder joins, and the full seeder joins
        // only once a track converted while downloading is on disk. Deterministic on any machine.
        let partial = try Self.partialCopy(of: folder, in: dir.file("partial"), missing: "03 - \(Self.names[2]).flac")
        let seeder = try TorrentSession(settings: .loopback(), seedingPolicy: .seedForever)
        let fullSeeder = try TorrentSession(settings: .loopback(), seedingPolicy: .seedForever)
        let engine = try TorrentSession(settings: .loopback())
        let database = try AppDatabase.open(path: dir.file("db.sqlite"))
        try await withRunning([seeder, fullSeeder, engine]) {
            let hash = try await seeder.add(torrentFile: torrent, savePath: (partial as NSString).deletingLastPathComponent)
            #expect(await eventually(within: 30) { (try? await seeder.progress(hash))?.state != .checking }, "the partial seeder checked its files")
            let magnet = try TorrentMetadata.magnetLink(forTorrentFile: torrent) + "&x.pe=127.0.0.1:\(await seeder.listenPort)"
            let enginePort = await engine.listenPort
            let releaseRest = Task {
                let work = dir.file("tmp/e2e-1")
                _ = await eventually(within: 120) {
                    ((try? FileManager.default.contentsOfDirectory(atPath: work)) ?? []).contains { $0.hasSuffix(".ogg") && !$0.contains("partial") }
                }
                _ = try await fullSeeder.add(torrentFile: torrent, savePath: dir.file("seed"), seedMode: true)
                try await fullSeeder.connectPeer(hash, endpoint: "127.0.0.1:\(enginePort)")
            }
            defer { releaseRest.cancel() }
            // Given an indexer that lists the real release and a lossy decoy nobody seeds
            let router = Self.indexer(field: "MagnetUri", link: { magnet }, hash: hash)
            let indexer = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
            try await indexer.test(.live) { client in
                let registry = PrometheusCollectorRegistry()
                let orchestrator = Self.orchestrator(
                    dir: dir, engine: engine, database: database, indexerPort: client.port!, media: media, registry: registry)
                var ticket = Self.ticket(id: "e2e-1", media: media)
                // The release's cover is a JPEG; this destination asks for PNG.
                ticket.images.append(
                    TicketImage(catalogImageId: "cover-png", type: "cover_front", destPath: "\(media)/Tone Ensemble/Sine Waves/folder.png"))

                // When the ticket is submitted
                try await withRunning([orchestrator]) {
                    _ = try await orchestrator.submit(ticket, submittedJSON: Fixtures.json(ticket))
                    var approved = false
                    let ended = try await eventually(within: 120) {
                        guard let stored = try await database.ticket(id: ticket.ticketId) else { return false }
                        if stored.state.name == .needsApproval, !approved {
                            Issue.record("the real release was not auto-approved: \(stored.state)")
                            approved = true
                            _ = try await orchestrator.approve(ticket.ticketId, candidateIdx: nil)
                        }
                        return stored.state.name.isTerminal
                    }
                    #expect(ended)
                }

                // Then it completed with the FLAC release, not the decoy
                let stored = try #require(try await database.ticket(id: ticket.ticketId))
                #expect(stored.state.name == .completed, "\(stored.state)")
                #expect(stored.approval?.selectedCandidate?.torrent.infoHash.lowercased() == hash.lowercased())
                // Conversion began while the album was still downloading: earlier tracks come first.
                guard case .completed(let done) = stored.state else { return }
                #expect((done.stats.tracksConvertedDuringDownload ?? 0) >= 1, "\(done.stats)")
                // Every track is where the ticket says, Vorbis, the right length, its own tone, tagged, with the cover
                let coverHash = try AudioCheck.sha256("\(folder)/front.jpg")
                for (index, track) in ticket.tracks.enumerated() {
                    let probe = try AudioCheck.ffprobe(track.destPath)
                    #expect(probe.codec == "vorbis")
                    #expect(abs(probe.durationSecs - 4) < 0.05)
                    #expect(try AudioCheck.dominantFrequency(track.destPath, among: Self.tones) == Self.tones[index], "\(track.name)")
                    let tags = try AudioCheck.mutagen(track.destPath)
                    #expect(
                        tags.first("title") == track.name && tags.first("album") == "Sine Waves"
                            && tags.first("catalog_track_id") == track.catalogTrackId)
                    #expect(tags.first("tracknumber") == "\(index + 1)" && tags.first("tracktotal") == "3" && tags.first("date") == "2024")
                    #expect(tags.coverSHA256 == coverHash)
                }
                #expect(try AudioCheck.sha256(ticket.images[0].destPath) == coverHash)
                let png = try CoverArt(contentsOf: ticket.images[1].destPath)
                #expect(png.kind == .png && png.width == 96 && png.height == 96)
                // What the ticket needed was downloaded (the rip log too: verification reads it), and the work folder is empty
                #expect(FileManager.default.fileExists(atPath: dir.file("dl/e2e-1/Tone Ensemble - Sine Waves (2024) [FLAC]/rip.log")))
                #expect(((try? FileManager.default.contentsOfDirectory(atPath: dir.file("tmp/e2e-1"))) ?? []).isEmpty)
                // The metrics saw it: every stage timed, the bytes, the audio converted
                let metrics = registry.emitToString()
                for stage in ["search_match", "download", "convert", "place"] {
                    #expect(metrics.contains(#"downloader2_stage_duration_seconds_count{stage="\#(stage)"} 1"#), "\(stage) in \(metrics)")
                }
                #expect(metrics.contains("downloader2_converted_audio_seconds_total 12"), "\(metrics)")
                #expect(metrics.contains("downloader2_tickets_completed_total 1"))
                let rows = try await database.downloadFiles(ticketId: ticket.ticketId)
                #expect(
                    Set(rows.filter { $0.type.hasPrefix("placed_") }.map(\.path))
                        == Set(ticket.tracks.map(\.destPath) + ticket.images.map(\.destPath)))
                // Every downloaded file has its integrity record, equal to the seeder's original.
                let downloaded = rows.filter { !$0.type.hasPrefix("placed_") }
                let sourceNames = try FileManager.default.contentsOfDirectory(atPath: folder).sorted()
                #expect(downloaded.map { ($0.path as NSString).lastPathComponent }.sorted() == sourceNames)
                for row in downloaded {
                    let original = (folder as NSString).appendingPathComponent((row.path as NSString).lastPathComponent)
                    let kind = row.path.hasSuffix(".jpg") ? "image" : row.path.hasSuffix(".log") ? "log" : "audio"
                    #expect(row.sha256 == (try AudioCheck.sha256(original)) && row.type == kind, "\(row)")
                }

                // The torrent has seeded (the default policy stops at completion) and its one ticket is done:
                // with keep_payload the files stay; without, the torrent and its folder go.
                let payload = dir.file("dl/e2e-1")
                #expect(await eventually { await engine.isSeedingDone(hash) })
                #expect(await PayloadCleaner(torrents: engine, database: database, downloadRoot: dir.file("dl"), keepPayload: true).sweep().isEmpty)
                #expect(FileManager.default.fileExists(atPath: payload))
                #expect(
                    await PayloadCleaner(torrents: engine, database: database, downloadRoot: dir.file("dl"), keepPayload: false).sweep() == [hash])
                #expect(await engine.torrents.isEmpty && !FileManager.default.fileExists(atPath: payload))
            }
        }
    }

    @Test("Through a q-only Cardigann tracker's Torznab feed (Jackett's [q] music search): the ticket completes unattended", .system)
    func qOnlyTorznab() async throws {
        let dir = TemporaryDirectory("e2e-qonly")
        let folder = try Self.writeAlbum(in: dir.file("seed"))
        let torrent = try TorrentCreator.create(from: folder, pieceSize: 65536, kind: .v1Only)
        let seeder = try TorrentSession(settings: .loopback(), seedingPolicy: .seedForever)
        let engine = try TorrentSession(settings: .loopback())
        let database = try AppDatabase.open(path: dir.file("db.sqlite"))
        try await withRunning([seeder, engine]) {
            let hash = try await seeder.add(torrentFile: torrent, savePath: dir.file("seed"), seedMode: true)
            let magnet = try TorrentMetadata.magnetLink(forTorrentFile: torrent) + "&x.pe=127.0.0.1:\(await seeder.listenPort)"
            let router = Self.indexer(field: "MagnetUri", link: { magnet }, hash: hash)
            let indexer = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
            try await indexer.test(.live) { client in
                let orchestrator = Self.orchestrator(
                    dir: dir, engine: engine, database: database, indexerPort: client.port!, media: dir.file("media"),
                    registry: PrometheusCollectorRegistry(), torznab: true)
                let ticket = Self.ticket(id: "qonly-1", media: dir.file("media"))
                try await withRunning([orchestrator]) {
                    _ = try await orchestrator.submit(ticket, submittedJSON: Fixtures.json(ticket))
                    #expect(try await eventually(within: 120) { try await database.ticket(id: ticket.ticketId)?.state.name.isTerminal == true })
                }
                let stored = try #require(try await database.ticket(id: ticket.ticketId))
                #expect(stored.state.name == .completed, "\(stored.state)")
                #expect(stored.approval?.name == .autoApproved, "no person was asked: \(String(describing: stored.approval?.name))")
                #expect(stored.approval?.selectedCandidate?.torrent.infoHash == hash)
                #expect(stored.approval?.selectedCandidate?.torrent.indexer == "ToneTracker")
            }
        }
    }

    @Test("A second ticket for the same album and format follows the first: no second search, one download, each places its own files", .system)
    func duplicateFollows() async throws {
        let dir = TemporaryDirectory("e2e-dup")
        let folder = try Self.writeAlbum(in: dir.file("seed"))
        let torrent = try TorrentCreator.create(from: folder, pieceSize: 65536, kind: .v1Only)
        let seeder = try TorrentSession(settings: .loopback(), seedingPolicy: .seedForever)
        let engine = try TorrentSession(settings: .loopback(), seedingPolicy: .seedForever)
        let database = try AppDatabase.open(path: dir.file("db.sqlite"))
        try await withRunning([seeder, engine]) {
            let hash = try await seeder.add(torrentFile: torrent, savePath: dir.file("seed"), seedMode: true)
            let magnet = try TorrentMetadata.magnetLink(forTorrentFile: torrent) + "&x.pe=127.0.0.1:\(await seeder.listenPort)"
            let searches = Mutex(0)
            let router = Self.indexer(
                field: "MagnetUri",
                link: {
                    searches.withLock { $0 += 1 }; return magnet
                }, hash: hash)
            let indexer = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
            try await indexer.test(.live) { client in
                let orchestrator = Self.orchestrator(
                    dir: dir, engine: engine, database: database, indexerPort: client.port!, media: dir.file("media"),
                    registry: PrometheusCollectorRegistry())
                let first = Self.ticket(id: "dup-1", media: dir.file("media/one"))
                let second = Self.ticket(id: "dup-2", media: dir.file("media/two"))
                try await withRunning([orchestrator]) {
                    _ = try await orchestrator.submit(first, submittedJSON: Fixtures.json(first))
                    #expect(try await eventually(within: 60) { try await database.ticket(id: first.ticketId)?.approval != nil })
                    _ = try await orchestrator.submit(second, submittedJSON: Fixtures.json(second))
                    for id in [first.ticketId, second.ticketId] {
                        #expect(try await eventually(within: 120) { try await database.ticket(id: id)?.state.name.isTerminal == true })
                        let state = try await database.ticket(id: id)?.state
                        #expect(state?.name == .completed, "\(id): \(String(describing: state))")
                    }
                }
                #expect(searches.withLock { $0 } == 1, "the second ticket did not search")
                let followed = try #require(try await database.ticket(id: second.ticketId)?.approval?.selectedCandidate)
                #expect(followed.torrent.infoHash == hash && followed.reasoning.contains("ticket dup-1 chose"))
                #expect(await engine.torrents == [hash], "one download")

                // The album is still there: a third ticket uses it after checking its files' hashes against
                // their records, and downloads nothing again.
                let third = Self.ticket(id: "dup-3", media: dir.file("media/three"))
                let recorded = try await database.downloadFiles(ticketId: first.ticketId).filter { $0.type == "audio" }
                // libtorrent adds the last second's payload to its all-time counter on its next one-second
                // tick (later on a loaded machine): the "before" figure is taken once the counter holds
                // the whole album and stays put across a tick.
                var downloadedBefore = try await engine.progress(hash).allTimeDownload
                let wanted = try await engine.progress(hash).wantedBytes
                let settled = try await eventually(within: 30) {
                    // One libtorrent tick between samples: the counter is compared across a tick.
                    try await Task.sleep(for: .milliseconds(1200))
                    let now = try await engine.progress(hash).allTimeDownload
                    defer { downloadedBefore = now }
                    return now == downloadedBefore && now >= wanted
                }
                #expect(settled, "the engine's all-time download counter settled at \(downloadedBefore) of \(wanted) wanted bytes")
                try await withRunning([orchestrator]) {
                    _ = try await orchestrator.submit(third, submittedJSON: Fixtures.json(third))
                    #expect(try await eventually(within: 120) { try await database.ticket(id: third.ticketId)?.state.name.isTerminal == true })
                }
                let thirdState = try await database.ticket(id: third.ticketId)?.state
                #expect(thirdState?.name == .completed, "\(String(describing: thirdState))")
                for row in recorded { #expect(try AudioCheck.sha256(row.path) == row.sha256) }
                #expect(try await engine.progress(hash).allTimeDownload == downloadedBefore, "nothing downloaded again")
                #expect(searches.withLock { $0 } == 1)
                for ticket in [first, second, third] {
                    for (index, track) in ticket.tracks.enumerated() {
                        #expect(try AudioCheck.dominantFrequency(track.destPath, among: Self.tones) == Self.tones[index], "\(track.destPath)")
                    }
                }
            }
        }
    }
}
