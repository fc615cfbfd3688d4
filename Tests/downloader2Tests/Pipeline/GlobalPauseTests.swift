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
    @Test("pause all: a running download stops, a new ticket is not claimed, a restart keeps the pause; resume all: both complete, a ticket paused alone stays")
    func pauseAllSurvivesRestart() async throws {
        let dir = TemporaryDirectory("pause-all")
        let database = try AppDatabase.open(path: dir.file("db.sqlite"))
        // Downloads take until the test lets them go (or the worker is stopped).
        let release = Mutex(false)
        let stages = ScriptedStages(download: { ticket, _, context in
            while !release.withLock({ $0 }) {
                try context.checkCancellation()
                try await Task.sleep(for: .milliseconds(20))
            }
            return DownloadResult(directory: "/tmp", filesByTrackId: [:], totalBytes: 1000)
        })
        func orchestrator() -> Orchestrator {
            Orchestrator(database: database, stages: stages.pipeline, settings: PipelineSettings(checkInterval: 0.1), logger: Logger(label: "pause-all"))
        }
        func ticket(_ id: String) -> Ticket {
            var ticket = Fixtures.ticket(id: id, root: dir.file("media"))
            ticket.search.album = "Album \(id)"
            return ticket
        }
        let first = orchestrator()
        try await withRunning([first]) {
            for id in ["busy", "alone"] { _ = try await first.submit(ticket(id), submittedJSON: Fixtures.json(ticket(id))) }
            #expect(try await eventually(within: 20) {
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
            try await Task.sleep(for: .milliseconds(600))
            #expect(try await database.ticket(id: "new")?.state.name == .pending)
        }
        // After a restart it is still paused
        release.withLock { $0 = true }
        let second = orchestrator()
        try await withRunning([second]) {
            #expect(await eventually(within: 5) { await second.isPausedAll })
            try await Task.sleep(for: .milliseconds(600))
            #expect(try await database.ticket(id: "new")?.state.name == .pending, "nothing is claimed after the restart either")
            // When everything is resumed
            let resumed = try await second.resumeAll()
            #expect(resumed.map(\.id) == ["busy"], "only what the global pause stopped")
            #expect(try await eventually(within: 20) {
                let busy = try await database.ticket(id: "busy")?.state.name
                let new = try await database.ticket(id: "new")?.state.name
                return busy == .completed && new == .completed
            })
            #expect(try await database.ticket(id: "alone")?.state.name == .paused, "a ticket paused on its own stays paused")
            #expect(await !second.isPausedAll)
        }
    }
}
