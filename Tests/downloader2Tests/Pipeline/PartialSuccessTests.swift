import Basics
import Audio
import Foundation
import Logging
import Pipeline
import Placement
import Storage
import Testing
import Tickets

/// `[processing] partial_success`: a release with one truncated track and no cover, through the
/// real convert and place stages and the Orchestrator (search, match and download scripted).
@Suite("Partial success: fail, or complete flagged with what is missing")
struct PartialSuccessTests {
    let dir = TemporaryDirectory("partial")

    /// Three FLAC tones, the second cut in half; no cover anywhere.
    func damagedRelease() throws -> [String: String] {
        let folder = dir.file("release")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        var files: [String: String] = [:]
        for (index, tone) in PipelineEndToEndTests.tones.enumerated() {
            let wav = dir.file("\(index).wav"), flac = "\(folder)/0\(index + 1).flac"
            ToneAudio.writeWAV(wav, frequency: tone, seconds: 4)
            try ExternalTool.run("ffmpeg", ["-v", "error", "-i", wav, "-c:a", "flac", flac])
            files["cat-\(index + 1)"] = flac
        }
        let whole = try Data(contentsOf: URL(fileURLWithPath: files["cat-2"]!))
        try whole.prefix(whole.count / 2).write(to: URL(fileURLWithPath: files["cat-2"]!))
        return files
    }

    func run(_ mode: PartialSuccess, id: String) async throws -> (StoredTicket, Ticket) {
        let files = try damagedRelease()
        let media = dir.file("media-\(id)")
        let database = try AppDatabase.open(path: dir.file("\(id).sqlite"))
        let scripted = ScriptedStages(download: { _, _, _ in DownloadResult(directory: dir.file("release"), filesByTrackId: files, totalBytes: 1) })
        let stages = PipelineStages(
            search: scripted, match: scripted, download: scripted,
            convert: AudioConvertStage(converter: AudioConverter(width: 2), workRoot: dir.file("tmp-\(id)"), partialSuccess: mode),
            place: FilePlacementStage(placer: Placer(mediaRoots: MediaRoots([media])), database: database))
        let orchestrator = Orchestrator(
            database: database, stages: stages, settings: PipelineSettings(checkInterval: 0.2, retry: RetryPolicy(maxAttempts: 0)),
            logger: Logger(label: "partial"))
        let ticket = PipelineEndToEndTests.ticket(id: id, media: media)
        try await withRunning([orchestrator]) {
            _ = try await orchestrator.submit(ticket, submittedJSON: Fixtures.json(ticket))
            #expect(try await eventually(within: 60) { try await database.ticket(id: id)?.state.name.isTerminal == true })
        }
        return (try #require(try await database.ticket(id: id)), ticket)
    }

    @Test("complete_flagged: the good tracks are placed, and the completion lists exactly the missing track and image, and why", .system)
    func completeFlagged() async throws {
        let (stored, ticket) = try await run(.completeFlagged, id: "flagged")
        guard case .completed(let done) = stored.state else { Issue.record("expected completed: \(stored.state)"); return }
        #expect(done.flagged == true)
        let missing = done.missing ?? []
        #expect(missing.map(\.catalogId) == ["cat-2", "cover-1"] && missing.map(\.kind) == ["track", "image"])
        #expect(missing[0].destPath == ticket.tracks[1].destPath && missing[0].reason.hasPrefix("corrupt_source:"), "\(missing[0].reason)")
        #expect(missing[1].reason.hasPrefix("missing_image:"), "\(missing[1].reason)")
        for (index, track) in ticket.tracks.enumerated() {
            #expect(FileManager.default.fileExists(atPath: track.destPath) == (index != 1), "\(track.destPath)")
        }
        #expect(try AudioCheck.dominantFrequency(ticket.tracks[2].destPath, among: PipelineEndToEndTests.tones) == PipelineEndToEndTests.tones[2])
    }

    @Test("fail: the ticket fails naming the damaged track, and nothing is placed", .system)
    func failMode() async throws {
        let (stored, ticket) = try await run(.fail, id: "strict")
        guard case .failed(let failure) = stored.state else { Issue.record("expected failed: \(stored.state)"); return }
        #expect(failure.code == "corrupt_source" && failure.error.contains("track 2 'Second Wind'"), "\(failure.error)")
        #expect(ticket.tracks.allSatisfy { !FileManager.default.fileExists(atPath: $0.destPath) })
    }
}

/// The early pass of the convert stage, fed tracks the way the download stage announces them.
@Suite("Conversion while downloading: the early pass")
struct EarlyConversionTests {
    let dir = TemporaryDirectory("early")

    func run(cancelled: Bool, id: String? = nil) async throws -> (EarlyConversions, String) {
        let wav = dir.file("tone.wav"), flac = dir.file("release/01.flac")
        try FileManager.default.createDirectory(atPath: dir.file("release"), withIntermediateDirectories: true)
        ToneAudio.writeWAV(wav, frequency: PipelineEndToEndTests.tones[0], seconds: 4)
        try ExternalTool.run("ffmpeg", ["-v", "error", "-y", "-i", wav, "-c:a", "flac", flac])
        let ticket = PipelineEndToEndTests.ticket(id: id ?? (cancelled ? "early-x" : "early"), media: dir.file("media"))
        let stored = try await AppDatabase.open(path: dir.file("db-\(SafeName(ticket.ticketId).value).sqlite")).storeTicket(ticket, in: .downloading)
        let stage = AudioConvertStage(converter: AudioConverter(width: 2), workRoot: dir.file("tmp"))
        let flag = StopFlag()
        if cancelled { flag.raise(.cancelledByUser) }
        let (tracks, sink) = AsyncStream<ReadyTrack>.makeStream()
        sink.yield(ReadyTrack(catalogTrackId: "cat-1", path: flac))
        sink.finish()
        let early = await stage.convertEarly(stored, tracks: tracks, context: StageContext(ticketId: ticket.ticketId, stopFlag: flag))
        return (early, dir.file("tmp/\(SafeName(ticket.ticketId).value)"))
    }

    @Test(
        "a cancel removes only its own ticket's work folder, whatever its id: '.', '..', 'a/b' beside 'a_b'", .system, arguments: [".", "..", "a/b"])
    func cancelRemovesOnlyItsOwn(id: String) async throws {
        // Given other tickets' work beside it (and the id that a naive name would merge with it)
        let neighbours = ["a_b", "early-other"].map { dir.file("tmp/\(SafeName($0).value)/kept.ogg") }
        for path in neighbours {
            try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            #expect(FileManager.default.createFile(atPath: path, contents: Data("another ticket's".utf8)))
        }
        // When a ticket with this id is cancelled during its conversion
        let (cancelled, workDir) = try await run(cancelled: true, id: id)
        // Then its own folder is gone, inside the work root, and nothing else is
        #expect(cancelled.outputs.isEmpty && !FileManager.default.fileExists(atPath: workDir))
        #expect((workDir as NSString).deletingLastPathComponent == dir.file("tmp"))
        for path in neighbours { #expect(FileManager.default.fileExists(atPath: path), "\(path) survived") }
    }

    @Test("an announced track is converted at once; after a cancel nothing is left in the work folder", .system)
    func earlyPass() async throws {
        let (early, workDir) = try await run(cancelled: false)
        let output = try #require(early.outputs["cat-1"])
        let tone = try AudioCheck.dominantFrequency(output, among: PipelineEndToEndTests.tones)
        #expect(output.hasPrefix(workDir) && tone == PipelineEndToEndTests.tones[0])
        let (cancelled, cancelledDir) = try await run(cancelled: true)
        #expect(cancelled.outputs.isEmpty && !FileManager.default.fileExists(atPath: cancelledDir))
    }
}
