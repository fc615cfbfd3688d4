import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Pipeline
import Storage
import Synchronization
import Testing
import Tickets

/// `wanted`: a search that finds nothing keeps the ticket, searched again on a schedule that backs off,
/// until a give-up age; force-search and cancel work on it, and a restart keeps its next search time.
@Suite("Wanted albums: searched again on a schedule")
struct WantedTests {
    @Test("the schedule: 15 min, 1 h, 6 h, then daily; a custom list's last interval repeats")
    func schedule() {
        let policy = WantedPolicy()
        #expect((1...6).map { policy.delay(afterSearches: $0) } == [900, 3600, 21_600, 86_400, 86_400, 86_400])
        #expect(policy.giveUpAfter == 90 * 86_400)
        #expect(WantedPolicy(intervals: [60, 120]).delay(afterSearches: 9) == 120)
    }

    @Test("nothing found twice: wanted with the next search time, searched again on time, then found and completed; the retry budget is untouched")
    func foundLater() async throws {
        let dir = TemporaryDirectory("wanted")
        let database = try AppDatabase.open(path: dir.file("db.sqlite"))
        let searches = Mutex(0)
        let stages = ScriptedStages(search: { _, _, _ in
            searches.withLock {
                $0 += 1; return $0
            } <= 2 ? [] : [Fixtures.candidate(0)]
        })
        let policy = WantedPolicy(intervals: [0.3, 0.6], giveUpAfter: 3600)
        let orchestrator = Orchestrator(
            database: database, stages: stages.pipeline,
            settings: PipelineSettings(checkInterval: 0.1, retry: RetryPolicy(maxAttempts: 1), wanted: policy),
            logger: Logger(label: "wanted"))
        let ticket = Fixtures.ticket(id: "w1", root: dir.file("media"))
        // A webhook told of each fruitless search and of the completion
        let hook = NotificationTests.Receiver()
        let hookApp = Application(router: hook.router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await hookApp.test(.live) { client in
            let notifier = Notifier(
                targets: [NotifyTarget(kind: .webhook, url: "http://127.0.0.1:\(client.port!)/hook", events: ["wanted", "completed"])],
                database: database, events: orchestrator.events)
            try await withRunning([orchestrator, notifier]) {
                _ = try await orchestrator.submit(ticket, submittedJSON: Fixtures.json(ticket))
                #expect(try await eventually(within: 20) { try await database.ticket(id: "w1")?.state.name == .completed })
                #expect(await eventually(within: 10) { hook.recorded.count == 3 })
            }
        }
        let told = hook.recorded.compactMap { try? JSONValue(json: $0.body) }
        #expect(told.compactMap { $0["event"]?.stringValue }.sorted() == ["completed", "wanted", "wanted"])
        #expect(told.filter { $0["event"]?.stringValue == "wanted" }.allSatisfy { $0["next_search_at"]?.stringValue != nil })
        let events = try await database.events(ticketId: "w1")
        let wanted = events.filter { $0.type == .stateChange && $0.payload["new_state"]?.stringValue == "wanted" }
        #expect(wanted.count == 2, "\(events.map(\.type))")
        // Each wanted state says why and when the next search is, on the policy's schedule
        for (index, event) in wanted.enumerated() {
            let details = try #require(event.payload["details"])
            #expect(details["searches"]?.intValue == index + 1)
            #expect(details["reason"]?.stringValue?.contains("no release found") == true)
            let next = try #require(details["next_search_at"]?.stringValue.flatMap { ISO8601DateFormatter().date(from: $0) })
            #expect(abs(next.timeIntervalSince(event.at) - policy.delay(afterSearches: index + 1)) < 1.1)
        }
        #expect(searches.withLock { $0 } == 3)
        let stored = try #require(try await database.ticket(id: "w1"))
        #expect(stored.retryCount == 0, "searching again spends no retry")
        #expect(stored.errorHistory.filter { $0.code == "no_candidates" }.count == 2)
    }

    @Test("older than the give-up age: not_found; force-search and cancel act on a wanted ticket; a restart keeps its next search")
    func giveUpForceCancelRestart() async throws {
        let dir = TemporaryDirectory("wanted-edges")
        let database = try AppDatabase.open(path: dir.file("db.sqlite"))
        let stages = ScriptedStages(search: { _, _, _ in [] })
        func orchestrator(_ policy: WantedPolicy) -> Orchestrator {
            Orchestrator(
                database: database, stages: stages.pipeline,
                settings: PipelineSettings(checkInterval: 0.1, retry: RetryPolicy(maxAttempts: 0), wanted: policy),
                logger: Logger(label: "wanted"))
        }
        func ticket(_ id: String) -> Ticket {
            var ticket = Fixtures.ticket(id: id, root: dir.file("media"))
            ticket.search.album = "Album \(id)"
            return ticket
        }
        // Given up at once: fails with not_found
        let impatient = orchestrator(WantedPolicy(intervals: [3600], giveUpAfter: 0))
        try await withRunning([impatient]) {
            _ = try await impatient.submit(ticket("gone"), submittedJSON: Fixtures.json(ticket("gone")))
            #expect(try await eventually(within: 20) { try await database.ticket(id: "gone")?.state.name == .failed })
        }
        guard case .failed(let failure) = try await database.ticket(id: "gone")?.state else { Issue.record("not failed"); return }
        #expect(failure.code == "not_found" && !failure.retryable)

        // Searched once, next search an hour away: wanted across a restart, never claimed meanwhile
        let patient = WantedPolicy(intervals: [3600], giveUpAfter: 86_400)
        let first = orchestrator(patient)
        try await withRunning([first]) {
            for id in ["later", "forced", "dropped"] { _ = try await first.submit(ticket(id), submittedJSON: Fixtures.json(ticket(id))) }
            #expect(
                try await eventually(within: 20) {
                    let states = try await ["later", "forced", "dropped"].asyncMap { try await database.ticket(id: $0)?.state.name }
                    return states.allSatisfy { $0 == .wanted }
                })
        }
        let second = orchestrator(patient)
        try await withRunning([second]) {
            // The next search stays an hour away: three looks at the queue leave it wanted.
            #expect(await eventually(within: 10) { await second.claimPasses >= 3 }, "the orchestrator looked three times")
            let later = try #require(try await database.ticket(id: "later"))
            #expect(later.state.name == .wanted)
            #expect((later.waitUntil?.timeIntervalSinceNow ?? 0) > 3000, "the next search stays an hour away")
            // force-search takes it back to pending at once; cancel ends it
            _ = try await second.forceSearch("forced", query: "Radiohead OK Computer live")
            #expect(
                try await eventually(within: 20) { try await database.ticket(id: "forced")?.state.name == .wanted },
                "searched at once (and still nothing)")
            #expect(stages.calls("search") == 5, "the given-up one, three first searches, the forced one: no early search after the restart")
            _ = try await second.cancel("dropped")
            #expect(try await database.ticket(id: "dropped")?.state.name == .cancelled)
        }
    }
}

extension Array {
    func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var result: [T] = []
        for element in self { result.append(try await transform(element)) }
        return result
    }
}
