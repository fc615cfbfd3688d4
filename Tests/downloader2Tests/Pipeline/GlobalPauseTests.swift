import Audio
import Foundation
import Logging
import Pipeline
import Storage
import Synchronization
import Testing
import Tickets

/// `POST /api/v1/pause` and `/resume` at the Orchestrator: nothing is claimed while paused, a download
/// under way is stopped, the pause outlives a restart, and resuming lets every ticket finish; a ticket
/// paused on its own stays paused.
@Suite("Global pause and resume")
struct GlobalPauseTests {
    @Test(
        "pause all: a running download stops, a new ticket is not claimed, a restart keeps the pause; resume all: both complete, a ticket paused alone stays"
    )
    func pauseAllSurvivesRestart() async throws {
        let dir = TemporaryDirectory("pause-all")
        let database = try AppDatabase.open(path: dir.file("db.sqlite"))
        // Downloads take until the test lets them go (or the worker is stopped).
        let release = Mutex(false)
        let stages = ScriptedStages(download: { ticket, _, context in
            while !release.withLock({ $0 }) {
                try context.checkCancellation()
                // A scripted download polling the test's release flag: the stage's own work, not a wait.
                try await Task.sleep(for: .milliseconds(20))
            }
            return DownloadResult(directory: "/tmp", filesByTrackId: [:], totalBytes: 1000)
        })
        func orchestrator() -> Orchestrator {
            Orchestrator(
                database: database, stages: stages.pipeline, settings: PipelineSettings(checkInterval: 0.1), logger: Logger(label: "pause-all"))
        }
        func ticket(_ id: String) -> Ticket {
            var ticket = Fixtures.ticket(id: id, root: dir.file("media"))
            ticket.search.album = "Album \(id)"
            return ticket
        }
        let first = orchestrator()
        try await withRunning([first]) {
            for id in ["busy", "alone"] { _ = try await first.submit(ticket(id), submittedJSON: Fixtures.json(ticket(id))) }
            #expect(
                try await eventually(within: 20) {
                    let busy = try await database.ticket(id: "busy")?.state.name
                    let alone = try await database.ticket(id: "alone")?.state.name
                    return busy == .downloading && alone == .downloading
                })
            // One ticket is paused on its own first
            _ = try await first.pause("alone")
            // When everything is paused
            let paused = try await first.pauseAll()
            #expect(paused.map(\.id) == ["busy"])
            let busy = try #require(try await database.ticket(id: "busy"))
            guard case .paused(let details) = busy.state else { Issue.record("busy is \(busy.state.name)"); return }
            #expect(details.pausedFrom == .downloading && details.pausedBy == Orchestrator.pauseAllOperator)
            #expect(await eventually(within: 10) { await first.activeTicketCount == 0 }, "the worker let go")
            // Then a new ticket is not claimed
            _ = try await first.submit(ticket("new"), submittedJSON: Fixtures.json(ticket("new")))
            // Nothing may be claimed: the check waits for three looks at the queue after the submission.
            let looked = await first.claimPasses
            #expect(await eventually(within: 10) { await first.claimPasses >= looked + 3 }, "the orchestrator looked three times")
            #expect(try await database.ticket(id: "new")?.state.name == .pending)
        }
        // After a restart it is still paused
        release.withLock { $0 = true }
        let second = orchestrator()
        try await withRunning([second]) {
            #expect(await eventually(within: 5) { await second.isPausedAll })
            // As above: three looks at the queue, and still nothing claimed.
            let looked = await second.claimPasses
            #expect(await eventually(within: 10) { await second.claimPasses >= looked + 3 }, "the orchestrator looked three times")
            #expect(try await database.ticket(id: "new")?.state.name == .pending, "nothing is claimed after the restart either")
            // When everything is resumed
            let resumed = try await second.resumeAll()
            #expect(resumed.map(\.id) == ["busy"], "only what the global pause stopped")
            #expect(
                try await eventually(within: 20) {
                    let busy = try await database.ticket(id: "busy")?.state.name
                    let new = try await database.ticket(id: "new")?.state.name
                    return busy == .completed && new == .completed
                })
            #expect(try await database.ticket(id: "alone")?.state.name == .paused, "a ticket paused on its own stays paused")
            #expect(await !second.isPausedAll)
        }
    }

    @Test("pause all while converting: the track under way finishes, no other starts; resume keeps it and converts the rest", .system)
    func pauseAllDuringConversion() async throws {
        let dir = TemporaryDirectory("pause-convert")
        let database = try AppDatabase.open(path: dir.file("db.sqlite"))
        // Four tracks of 90 s, converted one at a time (in no promised order)
        let seconds = [90.0, 90, 90, 90]
        try FileManager.default.createDirectory(atPath: dir.file("src"), withIntermediateDirectories: true)
        for (index, length) in seconds.enumerated() {
            ToneAudio.writeWAV(dir.file("src/\(index).wav"), frequency: 220 + 110 * Double(index), seconds: length)
        }
        var ticket = Fixtures.ticket(id: "conv", root: dir.file("media"))
        ticket.tracks = seconds.enumerated().map { index, length in
            TicketTrack(
                catalogTrackId: "t\(index)", discNumber: 1, trackNumber: index + 1, name: "Track \(index + 1)", durationSecs: length,
                destPath: dir.file("media/\(index).ogg"))
        }
        ticket.images = []
        let files = Dictionary(uniqueKeysWithValues: seconds.indices.map { ("t\($0)", dir.file("src/\($0).wav")) })
        let scripted = ScriptedStages(download: { _, _, _ in DownloadResult(directory: dir.file("src"), filesByTrackId: files, totalBytes: 1000) })
        // Loudness tags off: writing them rewrites every track once the album is done, and this test
        // tells a kept track from a converted-again one by its inode.
        let convert = AudioConvertStage(converter: AudioConverter(width: 1), workRoot: dir.file("work"), replayGain: .off)
        let stages = PipelineStages(search: scripted, match: scripted, download: scripted, convert: convert, place: scripted)
        let orchestrator = Orchestrator(
            database: database, stages: stages, settings: PipelineSettings(checkInterval: 0.1), logger: Logger(label: "pause-convert"))
        let work = dir.file("work/conv")
        func outputs() -> [String] {
            ((try? FileManager.default.contentsOfDirectory(atPath: work)) ?? []).filter { $0.hasSuffix(".ogg") && !$0.hasPrefix(".") }.sorted()
        }
        try await withRunning([orchestrator]) {
            _ = try await orchestrator.submit(ticket, submittedJSON: Fixtures.json(ticket))
            // When the first track's conversion is under way (its hidden partial file exists)
            func underWay() -> String? {
                ((try? FileManager.default.contentsOfDirectory(atPath: work)) ?? []).first { $0.hasSuffix(".partial.ogg") }
            }
            #expect(await eventually(within: 30) { underWay() != nil })
            let track = try #require(underWay()?.dropFirst().components(separatedBy: ".").first)
            #expect(outputs().isEmpty, "no track finished yet")
            let paused = try await orchestrator.pauseAll()
            #expect(paused.map(\.id) == ["conv"])
            guard case .paused(let details) = try await database.ticket(id: "conv")?.state else { Issue.record("not paused"); return }
            #expect(details.pausedFrom == .converting)
            // Then that track is finished whole, and no other is started
            #expect(await eventually(within: 60) { await orchestrator.activeTicketCount == 0 }, "the worker let go")
            #expect(outputs() == ["\(track).ogg"])
            #expect(underWay() == nil)
            #expect(abs(try AudioCheck.ffprobe(dir.file("work/conv/\(track).ogg")).durationSecs - 90) < 0.5)
            let first = try FileManager.default.attributesOfItem(atPath: dir.file("work/conv/\(track).ogg"))
            // A negative check: how long it watches for a conversion that must not start.
            try await Task.sleep(for: .milliseconds(300))
            #expect(outputs() == ["\(track).ogg"], "still nothing new while paused")

            // When everything is resumed, the ticket completes and the paused track is not converted again
            _ = try await orchestrator.resumeAll()
            #expect(try await eventually(within: 60) { try await database.ticket(id: "conv")?.state.name == .completed })
            #expect(outputs() == ["t0.ogg", "t1.ogg", "t2.ogg", "t3.ogg"])
            let after = try FileManager.default.attributesOfItem(atPath: dir.file("work/conv/\(track).ogg"))
            #expect(after[.modificationDate] as? Date == first[.modificationDate] as? Date)
            #expect(after[.systemFileNumber] as? Int == first[.systemFileNumber] as? Int, "the same file: the track was not converted again")
        }
    }
}
