import Audio
import Basics
import Foundation
import Logging
import Pipeline
import Placement
import Storage
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

    @Test("the chosen cover and its reason are in the history; the image placed is that cover", arguments: Release.allCases)
    func chosenAndExplained(_ kind: Release) async throws {
        let dir = TemporaryDirectory("cover-\(kind.rawValue)")
        let download = try release(kind, in: dir)
        let media = dir.file("media")
        let database = try AppDatabase.open(path: dir.file("db.sqlite"))
        let scripted = ScriptedStages(download: { _, _, _ in download })
        let stages = PipelineStages(
            search: scripted, match: scripted, download: scripted,
            convert: AudioConvertStage(converter: AudioConverter(width: 2), workRoot: dir.file("tmp")),
            place: FilePlacementStage(placer: Placer(mediaRoots: MediaRoots([media])), database: database))
        let orchestrator = Orchestrator(
            database: database, stages: stages, settings: PipelineSettings(checkInterval: 0.2, retry: RetryPolicy(maxAttempts: 0)),
            logger: Logger(label: "cover"))
        let ticket = PipelineEndToEndTests.ticket(id: "cover-\(kind.rawValue)", media: media, seconds: 2)
        try await withRunning([orchestrator]) {
            _ = try await orchestrator.submit(ticket, submittedJSON: Fixtures.json(ticket))
            #expect(try await eventually(within: 60) { try await database.ticket(id: ticket.ticketId)?.state.name.isTerminal == true })
        }
        let stored = try #require(try await database.ticket(id: ticket.ticketId))
        guard case .completed(let done) = stored.state else {
            Issue.record("expected completed: \(stored.state)")
            return
        }
        let events = try await database.events(ticketId: ticket.ticketId).filter { $0.type == .coverChosen }
        try #require(events.count == 1, "one cover_chosen event: \(events)")
        let payload = events[0].payload
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
}
