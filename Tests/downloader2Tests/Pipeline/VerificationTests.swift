import Audio
import Foundation
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

/// Verification between download and convert, with the real stages: a loopback swarm seeds two
/// releases of one album that list the same files, a fixture Jackett lists both, and the one with more
/// seeders is bad. The ticket must end completed from the good one without a person, and the bad one
/// must be on the blocklist with the evidence.
@Suite("Verification: fake and mislabelled releases are refused, blocklisted, and fallen back from")
struct VerificationTests {
    static let seconds = 6.0

    enum Bad: String, CaseIterable, Sendable {
        /// Every track a FLAC decoded from LAME 128 kbit/s: same names, same lengths.
        case fakeLossless = "fake lossless (FLAC from MP3 128)"
        /// Every track three seconds short of what the ticket says.
        case wrongDurations = "wrong durations"
        /// The second track's audio changed (10 % quieter) under the same EAC log, whose copy CRC no
        /// longer matches it.
        case tamperedTrack = "a tampered track (its CRC is not the rip log's)"
    }

    /// An EAC log in the real format (see Tests/RipLogs) for `folder`'s FLAC files, with each copy CRC
    /// computed by zlib over ffmpeg's 16-bit PCM (independently of the code under test).
    static func writeEACLog(for folder: String) throws {
        let tracks = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".flac") }.sorted()
        var text = """
            Exact Audio Copy V1.0 beta 3 from 29. August 2011

            EAC extraction logfile from 29. November 2026, 12:00

            Tone Ensemble / Sine Waves

            Used drive  : PLEXTOR DVDR   PX-716A   Adapter: 1  ID: 0

            Read mode               : Secure
            Read offset correction                      : 30

            """
        for (index, name) in tracks.enumerated() {
            let crc = String(format: "%08X", try RipLogTests.referenceCRC("\(folder)/\(name)"))
            text += """

                Track \(String(format: "%2d", index + 1))

                     Filename C:\\Rips\\\(name.replacingOccurrences(of: ".flac", with: ".wav"))

                     Peak level 98.8 %
                     Track quality 100.0 %
                     Test CRC \(crc)
                     Copy CRC \(crc)
                     Accurately ripped (confidence 5)  [1A2B3C4D]  (AR v2)
                     Copy OK

                """
        }
        text += "\nNo errors occurred\n\nEnd of status report\n"
        try text.write(toFile: "\(folder)/rip.log", atomically: true, encoding: .utf8)
    }

    /// The bad twin of a genuine release folder, under `root`, with the same folder and file names.
    static func badCopy(of folder: String, in root: String, kind: Bad) throws -> String {
        let copy = (root as NSString).appendingPathComponent((folder as NSString).lastPathComponent)
        try FileManager.default.createDirectory(atPath: copy, withIntermediateDirectories: true)
        for name in try FileManager.default.contentsOfDirectory(atPath: folder).sorted() {
            let source = "\(folder)/\(name)", target = "\(copy)/\(name)"
            guard name.hasSuffix(".flac") else { try FileManager.default.copyItem(atPath: source, toPath: target); continue }
            switch kind {
            case .fakeLossless:
                let mp3 = "\(root)/\(name).mp3"
                try ExternalTool.run("ffmpeg", ["-v", "error", "-y", "-i", source, "-c:a", "libmp3lame", "-b:a", "128k", mp3])
                try ExternalTool.run("ffmpeg", ["-v", "error", "-y", "-i", mp3, "-sample_fmt", "s16", "-c:a", "flac", target])
                try FileManager.default.removeItem(atPath: mp3)
            case .wrongDurations:
                try ExternalTool.run("ffmpeg", ["-v", "error", "-y", "-i", source, "-t", "\(seconds - 3)", "-c:a", "flac", target])
            case .tamperedTrack:
                if name.hasPrefix("02") {
                    try ExternalTool.run("ffmpeg", ["-v", "error", "-y", "-i", source, "-af", "volume=0.9", "-c:a", "flac", target])
                } else {
                    try FileManager.default.copyItem(atPath: source, toPath: target)
                }
            }
        }
        return copy
    }

    /// A fixture Jackett listing the bad release with 30 seeders and the good one with 4, both by magnet
    /// with the seeder as a direct peer.
    static func indexer(good: String?, bad: String) -> Router<BasicRequestContext> {
        let router = Router()
        router.get("api/v2.0/indexers/all/results") { _, _ -> Response in
            let quiet =
                good.map {
                    #",{"Title":"Tone Ensemble - Sine Waves (2024) [FLAC]","Tracker":"quiet","MagnetUri":"\#($0)","InfoHash":null,"Size":2000000,"Seeders":4,"Peers":4}"#
                } ?? ""
            let json = """
                {"Results":[
                 {"Title":"Tone Ensemble - Sine Waves (2024) [FLAC]","Tracker":"busy","MagnetUri":"\(bad)","InfoHash":null,"Size":2000000,"Seeders":30,"Peers":30}\(quiet)
                ],"Indexers":[]}
                """
            return Response(status: .ok, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(string: json)))
        }
        return router
    }

    /// The real stages with verification on (fake lossless refused), over `engine`, the fixture Jackett
    /// on `indexerPort`, libav and placement under `media`.
    static func orchestrator(
        dir: TemporaryDirectory, engine: TorrentSession, database: AppDatabase, indexerPort: Int, media: String, label: String
    ) -> Orchestrator {
        let lister = CandidateFileLister(
            torrents: engine, scratchDirectory: dir.file("dl/.metadata"), metadataTimeout: .seconds(10), earlyTimeout: .seconds(10))
        let stages = PipelineStages(
            search: IndexerSearchStage(
                search: CandidateSearch(indexers: [JackettClient(baseURL: "http://127.0.0.1:\(indexerPort)", apiKey: "k")]), lister: lister),
            match: CandidateMatchStage(matcher: CandidateScorer(), verifiesDownloads: true),
            download: TorrentDownloadStage(torrents: engine, downloadRoot: dir.file("dl"), metadataTimeout: .seconds(30), database: database),
            convert: AudioConvertStage(converter: AudioConverter(width: 2), workRoot: dir.file("tmp")),
            place: FilePlacementStage(placer: Placer(mediaRoots: MediaRoots([media])), database: database),
            verify: ReleaseVerifyStage(fakeLossless: .reject))
        return Orchestrator(
            database: database, stages: stages, settings: PipelineSettings(checkInterval: 0.2, retry: RetryPolicy(maxAttempts: 0)),
            logger: Logger(label: label))
    }

    @Test(
        "the bad release of two that list the same files is refused and blocklisted; the ticket completes from the good one, untouched by a person",
        .system,
        arguments: Bad.allCases)
    func fallsBackFromBadRelease(_ kind: Bad) async throws {
        let dir = TemporaryDirectory("verify")
        let media = dir.file("media")
        let genuine = try PipelineEndToEndTests.writeAlbum(in: dir.file("good"), seconds: Self.seconds, noise: 0.3)
        // Both releases carry the genuine rip's log (the tampered one keeps it, as a faker would).
        if kind == .tamperedTrack { try Self.writeEACLog(for: genuine) }
        let bad = try Self.badCopy(of: genuine, in: dir.file("bad"), kind: kind)
        let goodTorrent = try TorrentCreator.create(from: genuine, pieceSize: 32768, kind: .v1Only)
        let badTorrent = try TorrentCreator.create(from: bad, pieceSize: 32768, kind: .v1Only)
        let seeder = try TorrentSession(settings: .loopback(), seedingPolicy: .seedForever)
        let engine = try TorrentSession(settings: .loopback())
        let database = try AppDatabase.open(path: dir.file("db.sqlite"))
        try await withRunning([seeder, engine]) {
            let goodHash = try await seeder.add(torrentFile: goodTorrent, savePath: dir.file("good"), seedMode: true)
            let badHash = try await seeder.add(torrentFile: badTorrent, savePath: dir.file("bad"), seedMode: true)
            #expect(goodHash != badHash)
            let peer = "&x.pe=127.0.0.1:\(await seeder.listenPort)"
            let goodMagnet = try TorrentMetadata.magnetLink(forTorrentFile: goodTorrent) + peer
            let badMagnet = try TorrentMetadata.magnetLink(forTorrentFile: badTorrent) + peer
            let indexer = Application(
                router: Self.indexer(good: goodMagnet, bad: badMagnet), configuration: .init(address: .hostname("127.0.0.1", port: 0)))
            try await indexer.test(.live) { client in
                let orchestrator = Self.orchestrator(
                    dir: dir, engine: engine, database: database, indexerPort: client.port!, media: media, label: "verify")
                let ticket = PipelineEndToEndTests.ticket(
                    id: "verify-\(kind == .fakeLossless ? "fake" : "short")", media: media, seconds: Self.seconds)

                // When the ticket is submitted and nobody touches it
                try await withRunning([orchestrator]) {
                    _ = try await orchestrator.submit(ticket, submittedJSON: Fixtures.json(ticket))
                    let ended = try await eventually(within: 150) {
                        guard let stored = try await database.ticket(id: ticket.ticketId) else { return false }
                        return stored.state.name.isTerminal || stored.state.name == .needsApproval
                    }
                    #expect(ended)
                }

                // Then it completed from the good release
                let stored = try #require(try await database.ticket(id: ticket.ticketId))
                #expect(stored.state.name == .completed, "\(stored.state)")
                #expect(stored.approval?.selectedCandidate?.torrent.infoHash.lowercased() == goodHash.lowercased())
                for (index, track) in ticket.tracks.enumerated() {
                    let probe = try AudioCheck.ffprobe(track.destPath)
                    #expect(abs(probe.durationSecs - Self.seconds) < 0.05, "\(track.destPath): \(probe.durationSecs) s")
                    #expect(
                        try AudioCheck.dominantFrequency(track.destPath, among: PipelineEndToEndTests.tones) == PipelineEndToEndTests.tones[index])
                }

                // after the bad one was downloaded first, refused with its evidence, and fallen back from
                let events = try await database.events(ticketId: ticket.ticketId)
                let verified = events.filter { $0.type == .verified }
                #expect(verified.count == 2, "one report per release: \(verified.map(\.payload))")
                let refused = try #require(verified.first)
                #expect(refused.payload["accepted"]?.boolValue == false)
                #expect(refused.payload["info_hash"]?.stringValue == badHash.lowercased())
                #expect(verified.last?.payload["accepted"]?.boolValue == true)
                #expect(verified.last?.payload["verdict"]?.stringValue == "genuine")
                let fallback = try #require(events.first { $0.type == .fallback }, "a fallback event")
                #expect(fallback.payload["code"]?.stringValue == "verification_failed")
                #expect(fallback.payload["to_info_hash"]?.stringValue?.lowercased() == goodHash.lowercased())
                #expect(!events.contains { $0.type == .needsApproval }, "no person was asked")

                let blocked = try await database.blocklist()
                #expect(blocked.map(\.infoHash) == [badHash.lowercased()])
                let entry = try #require(blocked.first)
                #expect(entry.source == "verification" && entry.ticketId == ticket.ticketId && entry.album == "Sine Waves")
                guard case .array(let files)? = entry.evidence["files"] else { Issue.record("no per-file evidence: \(entry.evidence)"); return }
                #expect(files.count == ticket.tracks.count)
                switch kind {
                case .fakeLossless:
                    #expect(entry.reason.contains("fake lossless"), "\(entry.reason)")
                    #expect(entry.evidence["verdict"]?.stringValue == "transcode")
                    for file in files {
                        #expect(file["verdict"]?.stringValue == "transcode", "\(file)")
                        let cutoff = file["cutoff_hz"]?.doubleValue ?? 0
                        #expect(cutoff > 15_000 && cutoff < 18_000, "LAME 128 kbit/s low-passes at 16–17 kHz: \(file)")
                    }
                case .wrongDurations:
                    #expect(entry.reason.contains("lasts 0:03, the ticket's track"), "\(entry.reason)")
                    for file in files {
                        #expect(abs((file["duration_secs"]?.doubleValue ?? 0) - (Self.seconds - 3)) < 0.05, "\(file)")
                        #expect(file["expected_secs"]?.doubleValue == Self.seconds)
                    }
                case .tamperedTrack:
                    #expect(entry.reason.contains("not the rip its log describes") && entry.reason.contains("track 2"), "\(entry.reason)")
                    let mismatched = files.filter { $0["crc"] != nil && $0["crc"] != $0["log_crc"] }
                    #expect(mismatched.count == 1 && mismatched.first?["path"]?.stringValue?.contains("02 - ") == true, "\(files)")
                    // The good release's every track matches its log, which is read and summarised.
                    guard case .array(let goodFiles)? = verified.last?.payload["files"] else { Issue.record("no files"); return }
                    #expect(goodFiles.count == 3 && goodFiles.allSatisfy { $0["crc"] != nil && $0["crc"] == $0["log_crc"] }, "\(goodFiles)")
                    guard case .array(let logs)? = verified.last?.payload["rip_logs"] else { Issue.record("no rip logs"); return }
                    #expect(logs.first?.stringValue?.contains("EAC V1.0 beta log, secure mode, AccurateRip 3/3 tracks, no errors") == true, "\(logs)")
                }

                // A second ticket for the same album never sees the blocklisted release
                let again = try await database.blockedHashes(artist: "tone ensemble", album: "SINE  WAVES")
                #expect(again == [badHash.lowercased()])
            }
        }
    }

    @Test("a fake with nothing to fall back to waits for a person (needs_approval, verification_failed); approved anyway, it is converted", .system)
    func fakeWithoutAlternativeWaitsForPerson() async throws {
        let dir = TemporaryDirectory("verify-alone")
        let media = dir.file("media")
        let genuine = try PipelineEndToEndTests.writeAlbum(in: dir.file("good"), seconds: Self.seconds, noise: 0.3)
        let bad = try Self.badCopy(of: genuine, in: dir.file("bad"), kind: .fakeLossless)
        let badTorrent = try TorrentCreator.create(from: bad, pieceSize: 32768, kind: .v1Only)
        let seeder = try TorrentSession(settings: .loopback(), seedingPolicy: .seedForever)
        let engine = try TorrentSession(settings: .loopback())
        let database = try AppDatabase.open(path: dir.file("db.sqlite"))
        try await withRunning([seeder, engine]) {
            let badHash = try await seeder.add(torrentFile: badTorrent, savePath: dir.file("bad"), seedMode: true)
            let badMagnet = try TorrentMetadata.magnetLink(forTorrentFile: badTorrent) + "&x.pe=127.0.0.1:\(await seeder.listenPort)"
            let indexer = Application(router: Self.indexer(good: nil, bad: badMagnet), configuration: .init(address: .hostname("127.0.0.1", port: 0)))
            try await indexer.test(.live) { client in
                let orchestrator = Self.orchestrator(
                    dir: dir, engine: engine, database: database, indexerPort: client.port!, media: media, label: "verify-alone")
                let ticket = PipelineEndToEndTests.ticket(id: "verify-alone", media: media, seconds: Self.seconds)
                try await withRunning([orchestrator]) {
                    _ = try await orchestrator.submit(ticket, submittedJSON: Fixtures.json(ticket))
                    // When the only release is refused
                    #expect(try await eventually(within: 120) { try await database.ticket(id: ticket.ticketId)?.state.name == .needsApproval })
                    let waiting = try #require(try await database.ticket(id: ticket.ticketId))
                    guard case .needsApproval(let details) = waiting.state else { Issue.record("\(waiting.state)"); return }
                    // Then a person is asked, told why, shown the refused release
                    guard case .verificationFailed(let detail) = details.reason else { Issue.record("reason \(details.reason)"); return }
                    #expect(detail.contains("fake lossless"), "\(detail)")
                    #expect(details.candidates.map { $0.torrent.infoHash.lowercased() } == [badHash.lowercased()])
                    #expect(details.candidates[0].reasoning.contains("refused by verification"))
                    #expect(try await database.blocklist().map(\.infoHash) == [badHash.lowercased()])
                    // and approving it anyway converts it (the person chose it knowingly)
                    _ = try await orchestrator.approve(ticket.ticketId, candidateIdx: 0)
                    #expect(try await eventually(within: 120) { try await database.ticket(id: ticket.ticketId)?.state.name.isTerminal == true })
                }
                let stored = try #require(try await database.ticket(id: ticket.ticketId))
                #expect(stored.state.name == .completed, "\(stored.state)")
                #expect(ticket.tracks.allSatisfy { FileManager.default.fileExists(atPath: $0.destPath) })
            }
        }
    }
}
