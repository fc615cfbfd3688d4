import Foundation
import Logging
import Pipeline
import Placement
import Storage
import Testing
import Tickets

/// A convert stage double that writes real files into a work directory, as the libav stage will.
struct FileWritingConvert: ConvertStage {
    let workDirectory: String

    func convert(_ ticket: StoredTicket, download: DownloadResult, context: StageContext) async throws -> ConvertedRelease {
        var tracks: [String: String] = [:], images: [String: String] = [:]
        for track in ticket.ticket.tracks {
            let path = workDirectory + "/\(ticket.id)-\(track.catalogTrackId).out"
            #expect(FileManager.default.createFile(atPath: path, contents: Data("audio of \(track.name)".utf8)))
            tracks[track.catalogTrackId] = path
        }
        for image in ticket.ticket.images {
            let path = workDirectory + "/\(ticket.id)-\(image.catalogImageId).jpg"
            #expect(FileManager.default.createFile(atPath: path, contents: Data("jpeg bytes".utf8)))
            images[image.catalogImageId] = path
        }
        return ConvertedRelease(outputsByTrackId: tracks, imagesByCatalogId: images)
    }
}

@Suite("Pipeline: the place stage on real files")
struct PlacementStageTests {
    let dir = TemporaryDirectory("downloader2-placestage")
    var root: String { dir.file("media") }

    func run(_ tickets: [Ticket]) async throws -> (AppDatabase, [String: StoredTicket]) {
        try FileManager.default.createDirectory(atPath: dir.file("work"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        let database = try AppDatabase.open(path: dir.file("db.sqlite"))
        let scripted = ScriptedStages()
        let stages = PipelineStages(
            search: scripted, match: scripted, download: scripted, convert: FileWritingConvert(workDirectory: dir.file("work")),
            place: FilePlacementStage(placer: Placer(mediaRoots: MediaRoots([root])), database: database))
        let orchestrator = Orchestrator(
            database: database, stages: stages, settings: PipelineSettings(checkInterval: 0.2, retry: RetryPolicy(maxAttempts: 0)),
            logger: Logger(label: "test"))
        for ticket in tickets { _ = try await orchestrator.submit(ticket, submittedJSON: Fixtures.json(ticket)) }
        let tasks = Task { try await orchestrator.run() }
        _ = try await eventually(within: 60) {
            for ticket in tickets where !(try await database.ticket(id: ticket.ticketId)?.state.name.isTerminal ?? false) { return false }
            return true
        }
        tasks.cancel()
        _ = try? await tasks.value
        var stored: [String: StoredTicket] = [:]
        for ticket in tickets { stored[ticket.ticketId] = try await database.ticket(id: ticket.ticketId) }
        return (database, stored)
    }

    @Test("every track and image lands at its dest_path, and each is recorded with its SHA-256")
    func placesAndRecords() async throws {
        let ticket = Fixtures.ticket(id: "placed", root: root)
        let (database, stored) = try await run([ticket])
        #expect(stored["placed"]?.state.name == .completed)
        let records = try await database.downloadFiles(ticketId: "placed")
        let expected = (ticket.tracks.map(\.destPath) + ticket.images.map(\.destPath)).sorted()
        #expect(records.map(\.path) == expected)
        let hasher = SHA256Hasher()
        for record in records {
            #expect(FileManager.default.fileExists(atPath: record.path))
            #expect(try hasher.hashFile(atPath: record.path) == FileDigest(sha256: record.sha256 ?? "", size: record.size))
            #expect(record.verifiedAt != nil)
        }
        #expect(Set(records.map(\.type)) == ["placed_track", "placed_image"])
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.file("work")).isEmpty, "sources were moved")
    }

    @Test("a different file already at a dest_path fails the ticket clearly; files placed before it stay")
    func conflictFailsClearly() async throws {
        let ticket = Fixtures.ticket(id: "conflict", root: root)
        try FileManager.default.createDirectory(atPath: root + "/abc", withIntermediateDirectories: true)
        #expect(FileManager.default.createFile(atPath: ticket.tracks[1].destPath, contents: Data("someone else's file".utf8)))
        let (database, stored) = try await run([ticket])
        guard case .failed(let failure) = stored["conflict"]?.state else {
            Issue.record("expected failure: \(String(describing: stored["conflict"]?.state))"); return
        }
        #expect(failure.code == "destination_exists" && !failure.retryable && failure.failedAtState == .placing)
        #expect(failure.error.contains("track t2") && failure.error.contains("overwrite"))
        #expect(FileManager.default.contents(atPath: ticket.tracks[1].destPath) == Data("someone else's file".utf8))
        #expect(FileManager.default.contents(atPath: ticket.tracks[0].destPath) == Data("audio of Airbag".utf8))
        #expect(try await database.downloadFiles(ticketId: "conflict").map(\.path) == [ticket.tracks[0].destPath])
    }
}
