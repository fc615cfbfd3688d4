import Foundation
import Synchronization
import Logging
import Pipeline
import ServiceLifecycle
import Storage
import Testing
import Tickets

@Suite("Orchestrator")
struct OrchestratorTests {
    let dir = TemporaryDirectory("downloader2-orch")
    let database: AppDatabase

    init() throws {
        database = try AppDatabase.open(path: dir.file("db.sqlite"))
    }

    func orchestrator(
        _ stages: ScriptedStages, retry: RetryPolicy = RetryPolicy(maxAttempts: 2, initialDelay: 0.05, maxDelay: 1), parallel: Int = 4,
        clock: any TicketClock = WallClock()
    ) -> Orchestrator {
        Orchestrator(
            database: database, stages: stages.pipeline,
            settings: PipelineSettings(maxParallelTickets: parallel, checkInterval: 0.2, retry: retry), clock: clock, logger: Logger(label: "test"))
    }

    /// Runs the orchestrator as a service for the duration of `body`, then shuts it down gracefully.
    func running(_ orchestrator: Orchestrator, _ body: () async throws -> Void) async throws {
        try await withRunning([orchestrator], body)
    }

    func state(_ id: String) async throws -> TicketStateName? { try await database.ticket(id: id)?.state.name }

    func submit(_ o: Orchestrator, _ id: String, priority: Int? = nil) async throws {
        let ticket = Fixtures.ticket(id: id, root: dir.path, priority: priority)
        _ = try await o.submit(ticket, submittedJSON: Fixtures.json(ticket))
    }

    @Test("a ticket goes from submission to completed through every stage, each change an event")
    func happyPath() async throws {
        let stages = ScriptedStages()
        let o = orchestrator(stages)
        let live = o.events.subscribe()
        try await running(o) { () async throws in
            try await submit(o, "happy")
            #expect(try await eventually { try await state("happy") == .completed })
        }
        let events = try await database.events(ticketId: "happy")
        #expect(
            events.filter { $0.type == .stateChange }.compactMap { $0.payload["new_state"]?.stringValue } == [
                "searching", "matching", "auto_approved", "downloading", "converting", "placing", "completed",
            ])
        #expect(events.map(\.seq) == Array(1...events.count))
        guard case .completed(let done) = try await database.ticket(id: "happy")?.state else { Issue.record("not completed"); return }
        #expect(done.stats.totalDownloadBytes == 1000 && done.stats.finalSizeBytes == 500)
        #expect(try await database.candidates(ticketId: "happy").count == 2)
        // Live subscribers saw the same stored events, in order. Progress snapshots (seq 0) are live
        // only and not stored, so they are not compared. Known to fail under load (docs/NOTES.md,
        // "Live events out of order"): `created` (1) published after the claim's `state_change` (2).
        let seen = try await firstElements(
            events.count, of: live, where: { $0.ticketId == "happy" && $0.seq > 0 }, within: 30, "the stored events of 'happy', live")
        let shown = { (list: [TicketEvent]) in list.map { "\($0.seq):\($0.type.rawValue)" }.joined(separator: " ") }
        #expect(
            seen.map(\.seq) == events.map(\.seq) && seen.map(\.payload) == events.map(\.payload),
            "live: \(shown(seen))\nstored: \(shown(events))")
        #expect(
            zip(seen, events).allSatisfy { abs($0.at.timeIntervalSince($1.at)) < 0.001 && $0.type == $1.type },
            "live: \(shown(seen))\nstored: \(shown(events))")
    }

    @Test("while converting, the stored state details follow the track being converted")
    func convertingDetailsFollowTheWork() async throws {
        let reached = ManagedFlag(), release = ManagedFlag()
        let clock = ManualClock()
        let stages = ScriptedStages(convert: { ticket, _, context in
            for index in 0..<3 {
                await context.reportProgress(
                    .object([
                        "stage": .string("converting"), "current_track_idx": .number(Double(index)), "total_tracks": .number(3),
                        "current_track_name": .string("Track \(index + 1)"),
                    ]))
                // The scripted stage's pace: past the orchestrator's ~1/s progress throttle, on its clock.
                clock.advance(by: 1.1)
            }
            reached.set()
            // Held until the test has looked (bounded, so a failing test cannot hang here).
            let until = Date().addingTimeInterval(120)
            while !release.isSet, Date() < until {
                try context.checkCancellation()
                // A scripted stage polling the test's release flag: the stage's own work.
                try await Task.sleep(for: .milliseconds(20))
            }
            return ScriptedStages.converted(ticket)
        })
        let o = orchestrator(stages, clock: clock)
        try await running(o) { () async throws in
            try await submit(o, "conv")
            #expect(await eventually { reached.isSet })
            guard case .converting(let details)? = try await database.ticket(id: "conv")?.state else { Issue.record("not converting"); return }
            #expect(
                details.currentTrackIdx == 2 && details.currentTrackName == "Track 3"
                    && details.totalTracks == Fixtures.ticket(id: "x", root: "/").tracks.count)
            release.set()
            #expect(try await eventually { try await state("conv") == .completed })
        }
        let changes = try await database.events(ticketId: "conv").filter { $0.type == .stateChange }.count
        #expect(changes == 7, "refreshing the details adds no state_change event")
    }

    @Test("max_parallel_downloads: one download at a time while conversions of other tickets go on; the waiting ones say so")
    func downloadSlots() async throws {
        let downloads = ConcurrencyGauge(), tickets = ConcurrencyGauge()
        let stages = ScriptedStages(
            download: { ticket, _, _ in
                tickets.enter(ticket.id)
                downloads.enter(ticket.id)
                // Scripted work that lasts: the gauges measure what overlaps while it runs.
                try await Task.sleep(for: .milliseconds(300))
                downloads.leave(ticket.id)
                return DownloadResult(directory: "/tmp", filesByTrackId: [:], totalBytes: 1000)
            },
            convert: { ticket, _, _ in
                // Scripted work that lasts, as above.
                try await Task.sleep(for: .milliseconds(600))
                tickets.leave(ticket.id)
                return ScriptedStages.converted(ticket)
            })
        let o = Orchestrator(
            database: database, stages: stages.pipeline,
            settings: PipelineSettings(maxParallelTickets: 4, maxParallelDownloads: 1, checkInterval: 0.2), logger: Logger(label: "test"))
        let live = o.events.subscribe()
        try await running(o) { () async throws in
            for id in ["s1", "s2", "s3"] { try await submit(o, id) }
            for id in ["s1", "s2", "s3"] { #expect(try await eventually { try await state(id) == .completed }) }
        }
        #expect(downloads.peak == 1, "downloads at once: \(downloads.peak)")
        #expect(tickets.peak >= 2, "a ticket converts while another downloads: \(tickets.peak)")
        let queued = try await firstElements(
            1, of: live, where: { $0.type == .progress && $0.payload["queued"] == .bool(true) }, within: 5, "a 'queued' progress event")
        #expect(queued.first?.payload["note"]?.stringValue?.contains("max_parallel_downloads = 1") == true)
    }

    @Test("a stalled download falls back to the next-best approved release without spending a retry; the stalled one is dropped")
    func stallFallsBack() async throws {
        let stages = ScriptedStages(
            match: { _, candidates, _ in
                let scored = candidates.map { ScoredCandidate(torrent: $0, score: 0.9, trackMapping: [], reasoning: "scripted") }
                return .autoApproved(scored[0], confidence: 0.9, alternatives: [scored[1]])
            },
            download: { _, selected, _ in
                if selected.torrent.infoHash == Fixtures.candidate(0).infoHash {
                    throw StageError(code: "stalled", message: "no data and no seed for too long (0 seeds, 0 peers)", retryable: true)
                }
                return DownloadResult(directory: "/tmp", filesByTrackId: [:], totalBytes: 1000)
            })
        let o = orchestrator(stages, retry: RetryPolicy(maxAttempts: 0))
        try await running(o) { () async throws in
            try await submit(o, "stall")
            #expect(try await eventually { try await state("stall") == .completed })
        }
        let stored = try #require(try await database.ticket(id: "stall"))
        #expect(stored.approval?.selectedCandidate?.torrent.infoHash == Fixtures.candidate(1).infoHash && stored.retryCount == 0)
        let fallback = try #require(try await database.events(ticketId: "stall").first { $0.type == .fallback })
        #expect(
            fallback.payload["from_info_hash"]?.stringValue == Fixtures.candidate(0).infoHash && fallback.payload["code"]?.stringValue == "stalled")
        #expect(stages.calls("download") == 2 && stages.discarded.withLock { $0 } == [Fixtures.candidate(0).infoHash])

        // With nothing to fall back to, a stall is an ordinary failure (no retries allowed here).
        let alone = ScriptedStages(download: { _, _, _ in throw StageError(code: "stalled", message: "stalled", retryable: true) })
        let o2 = orchestrator(alone, retry: RetryPolicy(maxAttempts: 0))
        try await running(o2) { () async throws in
            try await submit(o2, "stall-alone")
            #expect(try await eventually { try await state("stall-alone") == .failed })
        }
        #expect(alone.discarded.withLock { $0 }.isEmpty)
    }

    @Test("a ticket below the threshold waits for a person, and an approval sends it on")
    func approvalResumesWork() async throws {
        let stages = ScriptedStages(match: { _, _, _ in
            .needsApproval(
                .init(
                    candidates: [Fixtures.scored(0, score: 0.6), Fixtures.scored(1, score: 0.5)], recommendedIdx: 0,
                    confidence: 0.6, reason: .lowConfidence(score: 0.6, threshold: 0.85), waitingSince: Date()))
        })
        let o = orchestrator(stages)
        try await running(o) { () async throws in
            try await submit(o, "wait")
            #expect(try await eventually { try await state("wait") == .needsApproval })
            // A negative check: how long it watches for a download that must not start.
            try await Task.sleep(for: .milliseconds(300))
            #expect(try await state("wait") == .needsApproval)
            #expect(stages.calls("download") == 0)
            _ = try await o.approve("wait", candidateIdx: 1, by: "alice")
            #expect(try await eventually { try await state("wait") == .completed })
        }
        #expect(stages.calls("download") == 1)
        let approved = try await database.events(ticketId: "wait").first { $0.payload["new_state"] == .string("approved") }
        #expect(approved?.payload["details"]?["approved_by"] == .string("alice"))
    }

    @Test("a retryable error is retried after the backoff, up to retry_max_attempts, then the ticket fails")
    func retryWithBackoff() async throws {
        let stages = ScriptedStages(search: { _, _, _ in throw StageError(code: "indexer_timeout", message: "jackett timed out", retryable: true) })
        let o = orchestrator(stages, retry: RetryPolicy(maxAttempts: 2, initialDelay: 0.1, maxDelay: 0.15))
        try await running(o) { () async throws in
            try await submit(o, "flaky")
            #expect(try await eventually { try await state("flaky") == .failed })
        }
        #expect(stages.calls("search") == 3)
        let stored = try #require(try await database.ticket(id: "flaky"))
        #expect(stored.retryCount == 2)
        #expect(stored.errorHistory.count == 3 && stored.errorHistory.allSatisfy { $0.code == "indexer_timeout" })
        guard case .failed(let failed) = stored.state else { Issue.record("not failed"); return }
        #expect(failed.failedAtState == .searching && failed.retryable && failed.code == "indexer_timeout")
        let scheduled = try await database.events(ticketId: "flaky").filter { $0.type == .retryScheduled }
        #expect(scheduled.map { $0.payload["retry_count"] } == [.number(1), .number(2)])
        // 0.1 s × 2^0, then 0.1 × 2^1 = 0.2 capped at 0.15; reported rounded to whole seconds.
        #expect(scheduled.allSatisfy { $0.payload["delay_secs"] == .number(0) })
    }

    @Test("the backoff is initial × 2^retry_count, capped")
    func backoffFormula() {
        let policy = RetryPolicy(maxAttempts: 3, initialDelay: 30, maxDelay: 3600)
        #expect((0...8).map { policy.delay(afterRetries: $0) } == [30, 60, 120, 240, 480, 960, 1920, 3600, 3600])
        #expect(policy.allowsRetry(afterRetries: 2) && !policy.allowsRetry(afterRetries: 3))
        #expect(policy.delay(afterRetries: 10_000) == 3600)
    }

    @Test("a retryable failure sets wait_until, and the ticket is not claimed before it")
    func waitUntilIsHonoured() async throws {
        let stages = ScriptedStages(search: { _, _, _ in throw StageError(code: "indexer_timeout", message: "slow", retryable: true) })
        let clock = ManualClock()
        let o = orchestrator(stages, retry: RetryPolicy(maxAttempts: 3, initialDelay: 3600, maxDelay: 7200), clock: clock)
        try await running(o) { () async throws in
            try await submit(o, "later")
            #expect(try await eventually { try await database.ticket(id: "later")?.retryCount == 1 })
            let stored = try #require(try await database.ticket(id: "later"))
            #expect(stored.state.name == .pending)
            #expect(try #require(stored.waitUntil).timeIntervalSince(clock.now()) == 3600, "the backoff is an hour on the orchestrator's clock")
            // A minute before wait_until the ticket is not due: the loop's passes (every 0.2 s) leave it.
            clock.advance(by: 3540)
            let passes = await o.claimPasses
            #expect(await eventually(within: 10) { await o.claimPasses >= passes + 3 }, "the orchestrator looked at the queue three times")
            #expect(stages.calls("search") == 1, "not claimed before wait_until")
            // At wait_until it is: the second search runs (and fails again, with the next backoff).
            clock.advance(by: 60)
            #expect(try await eventually(within: 10) { try await database.ticket(id: "later")?.retryCount == 2 })
        }
        #expect(stages.calls("search") == 2)
    }

    @Test("a non-retryable error fails at once; no candidates is retryable no_candidates")
    func failureKinds() async throws {
        let stages = ScriptedStages(
            search: { ticket, _, _ in ticket.id == "empty" ? [] : [Fixtures.candidate(0)] },
            download: { _, _, _ in throw StageError(code: "corrupt_torrent", message: "bad bencode", retryable: false) })
        let o = orchestrator(stages, retry: RetryPolicy(maxAttempts: 0, initialDelay: 0.05, maxDelay: 0.05))
        try await running(o) { () async throws in
            try await submit(o, "broken")
            // Another album: the same one would follow "broken" to its release instead of searching.
            var empty = Fixtures.ticket(id: "empty", root: dir.path)
            empty.search.album += " (Live)"
            _ = try await o.submit(empty, submittedJSON: Fixtures.json(empty))
            #expect(
                try await eventually {
                    let broken = try await state("broken"), empty = try await state("empty")
                    return broken == .failed && empty == .failed
                })
        }
        guard case .failed(let broken) = try await database.ticket(id: "broken")?.state,
            case .failed(let empty) = try await database.ticket(id: "empty")?.state
        else { Issue.record("expected failures"); return }
        #expect(broken.failedAtState == .downloading && !broken.retryable && broken.code == "corrupt_torrent")
        #expect(empty.code == "no_candidates" && empty.retryable && empty.failedAtState == .searching)
        #expect(empty.error.contains("Radiohead OK Computer"))
    }

    @Test("cancelling a ticket mid-download stops the stage and keeps it cancelled")
    func cancelStopsWork() async throws {
        let stopped = StopProbe()
        let stages = ScriptedStages(download: { _, _, context in
            while true {
                do {
                    try context.checkCancellation()
                } catch let interrupted as StageInterrupted {
                    stopped.record(interrupted.reason)
                    throw interrupted
                }
                // A scripted stage that works until it is interrupted: its own pace, not a wait.
                try await Task.sleep(for: .milliseconds(10))
            }
        })
        let o = orchestrator(stages)
        try await running(o) { () async throws in
            try await submit(o, "stopme")
            #expect(try await eventually { try await state("stopme") == .downloading })
            _ = try await o.cancel("stopme")
            #expect(
                await eventually {
                    let active = await o.activeTicketCount
                    return stopped.reason != nil && active == 0
                })
        }
        #expect(stopped.reason == .cancelledByUser)
        #expect(try await state("stopme") == .cancelled)
        #expect(stages.calls("convert") == 0)
    }

    @Test("shutting down mid-download hands the ticket back to its approval; the next start picks it up again")
    func shutdownHandsBack() async throws {
        let gate = StopProbe()
        let stages = ScriptedStages(download: { _, _, context in
            if gate.reason == nil {
                while true {
                    try context.checkCancellation()
                    // A scripted stage that works until it is interrupted: its own pace, not a wait.
                    try await Task.sleep(for: .milliseconds(10))
                }
            }
            return DownloadResult(directory: "/tmp", filesByTrackId: [:], totalBytes: 1)
        })
        let first = orchestrator(stages)
        try await running(first) { () async throws in
            try await submit(first, "resume")
            #expect(try await eventually { try await state("resume") == .downloading })
        }
        #expect(try await state("resume") == .autoApproved)
        #expect(try await database.events(ticketId: "resume").last?.type == .recovered)

        gate.record(.shutdown)
        let second = orchestrator(stages)
        try await running(second) { () async throws in
            #expect(try await eventually { try await state("resume") == .completed })
        }
        #expect(stages.calls("search") == 1 && stages.calls("download") == 2)
    }

    @Test("at start-up, tickets a crash left mid-stage are recovered and worked on again")
    func startupRecovery() async throws {
        try await database.storeTicket(Fixtures.ticket(id: "crashed", root: dir.path), in: .converting)
        let stages = ScriptedStages()
        try await running(orchestrator(stages)) { () async throws in
            #expect(try await eventually { try await state("crashed") == .completed })
        }
        let types = try await database.events(ticketId: "crashed").map(\.type)
        #expect(types.contains(.recovered))
        #expect(stages.calls("search") == 0 && stages.calls("download") == 1)
    }

    @Test("with one slot, tickets run one at a time, highest priority first")
    func priorityAndSlots() async throws {
        let order = OrderProbe()
        let stages = ScriptedStages(search: { ticket, _, _ in
            order.enter(ticket.id)
            defer { order.leave() }
            // Scripted work that lasts, so that a second ticket would overlap if the slot let it.
            try await Task.sleep(for: .milliseconds(30))
            return [Fixtures.candidate(0)]
        })
        // Stored before the orchestrator starts, so the claim order is the queue order.
        for (id, priority) in [("low", 0), ("high", 9), ("mid", 5)] {
            var ticket = Fixtures.ticket(id: id, root: dir.path, priority: priority)
            ticket.search.album += " \(id)"  // three albums: the same one would follow the first, without searching
            _ = try await database.insertTicket(ticket, submittedJSON: Fixtures.json(ticket))
        }
        let o = orchestrator(stages, parallel: 1)
        try await running(o) { () async throws in
            #expect(
                try await eventually {
                    for id in ["low", "high", "mid"] where try await state(id) != .completed { return false }
                    return true
                })
        }
        #expect(order.items == ["high", "mid", "low"])
        #expect(order.maxConcurrent == 1)
    }
}

/// Records the first reason a stage was stopped with.
final class StopProbe: Sendable {
    private let value = Mutex<StageInterrupted.Reason?>(nil)
    var reason: StageInterrupted.Reason? { value.withLock { $0 } }
    func record(_ reason: StageInterrupted.Reason) { value.withLock { if $0 == nil { $0 = reason } } }
}

/// Records the order a stage was entered in, and how many ran at once at most.
final class OrderProbe: Sendable {
    private struct State {
        var items: [String] = []
        var active = 0
        var maxActive = 0
    }

    private let state = Mutex(State())
    var items: [String] { state.withLock { $0.items } }
    var maxConcurrent: Int { state.withLock { $0.maxActive } }

    func enter(_ id: String) {
        state.withLock {
            $0.items.append(id)
            $0.active += 1
            $0.maxActive = max($0.maxActive, $0.active)
        }
    }

    func leave() { state.withLock { $0.active -= 1 } }
}
