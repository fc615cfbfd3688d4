import Audio
import Basics
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import Pipeline
import Placement
import Storage
import Synchronization
import Testing
import Tickets

/// The cover a ticket gets, and the reason in its history (`cover_chosen`): the release's image file,
/// the picture embedded in its tracks when the file is missing or unreadable, or none, in which case
/// the ticket still completes (the default `partial_success = "fail"`), its images listed as missing.
@Suite("The cover: chosen, explained in the history, and no cover is not a failure")
struct CoverChoiceTests {
    enum Release: String, CaseIterable, Sendable {
        /// front.jpg beside the tracks.
        case file
        /// No image file; the tracks carry an embedded picture.
        case embedded
        /// A front.jpg that is not an image; the tracks carry one.
        case unreadableFile
        /// Nothing anywhere.
        case none
    }

    /// Three FLAC tones (with an embedded 120 px picture where the case says), and maybe a 96 px front.jpg.
    func release(_ kind: Release, in dir: TemporaryDirectory) throws -> DownloadResult {
        let folder = dir.file("release")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let embedded = dir.file("embedded.jpg")
        try ToneAudio.writeCover(embedded, size: 120, color: "blue")
        var files: [String: String] = [:]
        for (index, tone) in PipelineEndToEndTests.tones.enumerated() {
            let wav = dir.file("\(index).wav"), flac = "\(folder)/0\(index + 1).flac"
            ToneAudio.writeWAV(wav, frequency: tone, seconds: 2)
            let picture =
                [.embedded, .unreadableFile].contains(kind)
                ? ["-i", embedded, "-map", "0:a", "-map", "1:v", "-disposition:v", "attached_pic", "-c:v", "copy"] : []
            try ExternalTool.run("ffmpeg", ["-v", "error", "-i", wav] + picture + ["-c:a", "flac", flac])
            files["cat-\(index + 1)"] = flac
        }
        var cover: String?
        switch kind {
        case .file:
            cover = "\(folder)/front.jpg"
            try ToneAudio.writeCover(cover!, size: 96, color: "orange")
        case .unreadableFile:
            cover = "\(folder)/front.jpg"
            try "not a picture".write(toFile: cover!, atomically: true, encoding: .utf8)
        case .embedded, .none:
            break
        }
        return DownloadResult(directory: folder, filesByTrackId: files, coverPath: cover, totalBytes: 1)
    }

    /// Runs `ticket` through the real convert and place stages over `download`; the completion and the `cover_chosen` payload.
    func run(
        _ ticket: Ticket, download: DownloadResult, in dir: TemporaryDirectory, archive: CoverArchive? = nil, expectNote: Bool = true
    ) async throws -> (done: TicketState.Completed, payload: JSONValue)? {
        let database = try AppDatabase.open(path: dir.file("db.sqlite"))
        let scripted = ScriptedStages(download: { _, _, _ in download })
        let stages = PipelineStages(
            search: scripted, match: scripted, download: scripted,
            convert: AudioConvertStage(converter: AudioConverter(width: 2), workRoot: dir.file("tmp"), coverArchive: archive),
            place: FilePlacementStage(placer: Placer(mediaRoots: MediaRoots([dir.file("media")])), database: database))
        let orchestrator = Orchestrator(
            database: database, stages: stages, settings: PipelineSettings(checkInterval: 0.2, retry: RetryPolicy(maxAttempts: 0)),
            logger: Logger(label: "cover"))
        try await withRunning([orchestrator]) {
            _ = try await orchestrator.submit(ticket, submittedJSON: Fixtures.json(ticket))
            #expect(try await eventually(within: 60) { try await database.ticket(id: ticket.ticketId)?.state.name.isTerminal == true })
        }
        let stored = try #require(try await database.ticket(id: ticket.ticketId))
        guard case .completed(let done) = stored.state else {
            Issue.record("expected completed: \(stored.state)")
            return nil
        }
        let events = try await database.events(ticketId: ticket.ticketId).filter { $0.type == .coverChosen }
        guard expectNote else {
            #expect(events.isEmpty, "no image wanted, no cover chosen: \(events)")
            return nil
        }
        try #require(events.count == 1, "one cover_chosen event: \(events)")
        return (done, events[0].payload)
    }

    @Test("the chosen cover and its reason are in the history; the image placed is that cover", .system, arguments: Release.allCases)
    func chosenAndExplained(_ kind: Release) async throws {
        let dir = TemporaryDirectory("cover-\(kind.rawValue)")
        let download = try release(kind, in: dir)
        let ticket = PipelineEndToEndTests.ticket(id: "cover-\(kind.rawValue)", media: dir.file("media"), seconds: 2)
        guard let (done, payload) = try await run(ticket, download: download, in: dir) else { return }
        let reason = payload["reason"]?.stringValue ?? ""
        let placed = ticket.images[0].destPath
        switch kind {
        case .file:
            #expect(payload["source"]?.stringValue == "file" && payload["file"]?.stringValue == "front.jpg", "\(payload)")
            #expect(payload["width"]?.intValue == 96 && payload["format"]?.stringValue == "jpeg", "\(payload)")
            #expect(reason.contains("named as a front cover"), "\(reason)")
            #expect(try AudioCheck.sha256(placed) == AudioCheck.sha256(download.coverPath!))
        case .embedded, .unreadableFile:
            #expect(payload["source"]?.stringValue == "embedded" && payload["file"]?.stringValue == "01.flac", "\(payload)")
            #expect(payload["width"]?.intValue == 120, "\(payload)")
            #expect(
                reason.hasPrefix(kind == .embedded ? "the release has no image file" : "the release's image 'front.jpg' cannot be used"), "\(reason)")
            #expect(try CoverArt(contentsOf: placed).width == 120, "the embedded picture is the placed cover")
        case .none:
            #expect(payload["source"]?.stringValue == "none" && payload["file"] == nil, "\(payload)")
            #expect(reason == "the release has no image file, and no track has an embedded picture: no cover", "\(reason)")
            #expect(!FileManager.default.fileExists(atPath: placed))
        }
        // No cover is a note, not a failure: the tracks are placed and the image is listed as missing, with why.
        #expect(done.flagged == (kind == .none ? true : nil))
        #expect(done.missing?.map(\.catalogId) == (kind == .none ? ["cover-1"] : nil))
        if kind == .none { #expect(done.missing?.first?.reason == "missing_image: \(reason)") }
        for track in ticket.tracks { #expect(FileManager.default.fileExists(atPath: track.destPath), "\(track.destPath)") }
    }

    enum Archive: String, CaseIterable, Sendable {
        /// The Cover Art Archive has the release's front image.
        case hasFront
        /// It answers 404 for this release.
        case noFront
        /// `[cover] fetch = false`.
        case off
        /// `[cover] fetch = true`, but the ticket asks for no image: nothing is asked.
        case noImages
    }

    /// The paths the stand-in was asked for.
    final class Asked: Sendable {
        let paths = Mutex<[String]>([])
    }

    /// A loopback stand-in for coverartarchive.org, answering as metabrainz/coverart_redirect does
    /// (`artwork_redirect/request.py` at 90ff5c7): `/release/{mbid}/front`, `front-500` and `front-1200`
    /// are a 307 to the image under `/download/mbid-{mbid}/mbid-{mbid}-{image id}.jpg` (thumbnails
    /// `…_thumb500.jpg`, `…_thumb1200.jpg`: the Internet Archive's layout), or 404 "No front cover image
    /// found for release with identifier {mbid}"; an MBID that is not a lowercase UUID is 400.
    /// `asked` counts the requests.
    static func archiveRouter(
        front: [UInt8], known: String, asked: Asked, port: @escaping @Sendable () -> Int
    ) -> Router<BasicRequestContext> {
        let router = Router()
        router.get("release/:mbid/:file") { request, context -> Response in
            asked.paths.withLock { $0.append(request.uri.path) }
            let mbid = context.parameters.get("mbid") ?? ""
            let file = context.parameters.get("file") ?? ""
            guard UUID(uuidString: mbid) != nil, mbid == mbid.lowercased() else {
                return Response(status: .badRequest, body: ResponseBody(byteBuffer: ByteBuffer(string: "invalid MBID specified")))
            }
            guard mbid == known, ["front", "front-500", "front-1200"].contains(file) else {
                return Response(
                    status: .notFound,
                    body: ResponseBody(byteBuffer: ByteBuffer(string: "No front cover image found for release with identifier \(mbid)")))
            }
            let suffix = file == "front" ? ".jpg" : "_thumb\(file.dropFirst("front-".count)).jpg"
            return Response(
                status: .temporaryRedirect,
                headers: [.location: "http://127.0.0.1:\(port())/download/mbid-\(mbid)/mbid-\(mbid)-21455371562\(suffix)"])
        }
        router.get("download/:folder/:file") { _, _ in
            Response(status: .ok, headers: [.contentType: "image/jpeg"], body: ResponseBody(byteBuffer: ByteBuffer(bytes: front)))
        }
        return router
    }

    @Test(
        "no cover in the release: with [cover] fetch, the Cover Art Archive's front image of the ticket's release", .system,
        arguments: Archive.allCases)
    func coverArtArchive(_ mode: Archive) async throws {
        let dir = TemporaryDirectory("cover-archive-\(mode.rawValue)")
        let download = try release(.none, in: dir)
        try ToneAudio.writeCover(dir.file("caa.jpg"), size: 150, color: "purple")
        let front = try #require(FileManager.default.contents(atPath: dir.file("caa.jpg")))
        let known = "76df3287-6cda-33eb-8e9a-044b5e15ffdd"
        var wanted = PipelineEndToEndTests.ticket(id: "cover-archive-\(mode.rawValue)", media: dir.file("media"), seconds: 2)
        // An uppercase id is valid in a ticket; the archive knows only the lowercase form.
        wanted.metadataToEmbed?.musicbrainzReleaseId = mode == .noFront ? "4331ea73-77e1-3213-a840-5e4e74180f93" : known.uppercased()
        if mode == .noImages { wanted.images = [] }
        let ticket = wanted
        let port = Mutex(0)
        let asked = Asked()
        let app = Application(
            router: Self.archiveRouter(front: Array(front), known: known, asked: asked, port: { port.withLock { $0 } }),
            configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live) { client in
            port.withLock { $0 = client.port! }
            let archive = mode == .off ? nil : CoverArchive(baseURL: "http://127.0.0.1:\(client.port!)")
            if mode == .noImages {
                #expect(try await run(ticket, download: download, in: dir, archive: archive, expectNote: false) == nil)
                #expect(asked.paths.withLock { $0 }.isEmpty, "no image wanted, nothing asked: \(asked.paths.withLock { $0 })")
                return
            }
            guard let (done, payload) = try await run(ticket, download: download, in: dir, archive: archive) else { return }
            let reason = payload["reason"]?.stringValue ?? ""
            let placed = ticket.images[0].destPath
            switch mode {
            case .hasFront:
                #expect(payload["source"]?.stringValue == "archive" && payload["width"]?.intValue == 150, "\(payload)")
                #expect(payload["file"]?.stringValue == "http://127.0.0.1:\(client.port!)/release/\(known)/front-1200")
                #expect(reason.contains("the Cover Art Archive's front image of MusicBrainz release \(known.uppercased())"), "\(reason)")
                #expect(asked.paths.withLock { $0 } == ["/release/\(known)/front-1200"], "the 1200-pixel thumbnail first")
                #expect(FileManager.default.contents(atPath: placed) == front, "the archive's image is placed as it came")
                // Fetched after the tracks were converted, it is embedded in them too.
                let embedded = try AudioCheck.mutagen(ticket.tracks[0].destPath).coverSHA256
                #expect(embedded == (try AudioCheck.sha256(dir.file("caa.jpg"))), "the archive's image embedded in the track")
                #expect(done.flagged == nil)
            case .noFront:
                #expect(payload["source"]?.stringValue == "none", "\(payload)")
                #expect(reason.contains("the Cover Art Archive has no front image of release 4331ea73-77e1-3213-a840-5e4e74180f93"), "\(reason)")
                #expect(done.flagged == true && !FileManager.default.fileExists(atPath: placed))
            case .off:
                #expect(payload["source"]?.stringValue == "none", "\(payload)")
                #expect(reason.contains("[cover] fetch = true would ask the Cover Art Archive"), "\(reason)")
                #expect(done.flagged == true && !FileManager.default.fileExists(atPath: placed))
            case .noImages:
                break
            }
        }
    }
}
