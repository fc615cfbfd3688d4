import Audio
import Foundation
import Logging
import Pipeline
import Storage
import Testing
import Tickets

/// A release verification calls `suspect` (one sign of a lossy source, not two) is never blocklisted:
/// the ticket falls back to a clean approved release and keeps the suspect one as a lower choice, or a
/// person is asked; `[verify] suspects = "accept"` converts it.
@Suite("Verification: suspect releases are never convicted")
struct SuspectVerificationTests {
    /// Says `suspect` for the releases named, `transcode` (refused) for those in `refused`, `genuine` for the others.
    struct Verdicts: VerifyStage {
        let suspects: Set<String>
        var refused: Set<String> = []
        func verify(_ ticket: StoredTicket, download: DownloadResult, context: StageContext) async throws -> VerificationReport {
            let hash = ticket.approval?.selectedCandidate?.torrent.infoHash ?? ""
            if refused.contains(hash) {
                let file = VerifiedFile(path: "01.flac", catalogTrackIds: ["t1"], lossless: true, verdict: .transcode, cutoffHz: 16_000)
                return VerificationReport(
                    accepted: false, verdict: .transcode, files: [file], problems: ["fake lossless: 1 of 1 lossless files is a lossy transcode"],
                    notes: [])
            }
            let verdict: LosslessVerdict = suspects.contains(hash) ? .suspect : .genuine
            let file = VerifiedFile(
                path: "01.flac", catalogTrackIds: ["t1"], lossless: true, verdict: verdict, cutoffHz: verdict == .suspect ? 16_000 : nil)
            return VerificationReport(
                accepted: true, verdict: verdict, files: [file], problems: [],
                notes: verdict == .suspect ? ["fake lossless: 0 of 1 lossless files are lossy transcodes, 1 suspect (cutoff at 16000 Hz)"] : [])
        }
        func passesEarly(_ ticket: StoredTicket, track: ReadyTrack) async -> Bool { true }
    }

    static func release(_ n: Int, _ ticket: Ticket) -> ScoredCandidate {
        ScoredCandidate(
            torrent: Fixtures.candidate(n), score: 0.95 - Double(n) * 0.01,
            trackMapping: ticket.tracks.map {
                TrackMapping(catalogTrackId: $0.catalogTrackId, torrentFilePath: "\($0.trackNumber).flac", confidence: 0.95)
            },
            reasoning: "release \(n)")
    }

    func run(
        _ id: String, alternatives: Int, suspects: Set<Int>, accept: Bool = false, _ body: (AppDatabase, Orchestrator) async throws -> Void
    ) async throws {
        let dir = TemporaryDirectory("suspect-\(id)")
        let database = try AppDatabase.open(path: dir.file("db.sqlite"))
        let ticket = Fixtures.ticket(id: id, root: dir.file("media"))
        let stages = ScriptedStages(match: { stored, _, _ in
            .autoApproved(
                Self.release(1, stored.ticket), confidence: 0.95, alternatives: (0..<alternatives).map { Self.release($0 + 2, stored.ticket) })
        })
        let hashes = Set(suspects.map { Fixtures.candidate($0).infoHash })
        var pipeline = stages.pipeline
        pipeline.verify = Verdicts(suspects: hashes)
        let orchestrator = Orchestrator(
            database: database, stages: pipeline,
            settings: PipelineSettings(checkInterval: 0.1, retry: RetryPolicy(maxAttempts: 0), acceptSuspects: accept),
            logger: Logger(label: "suspect"))
        try await withRunning([orchestrator]) {
            _ = try await orchestrator.submit(ticket, submittedJSON: Fixtures.json(ticket))
            try await body(database, orchestrator)
        }
        #expect(try await database.blocklist().isEmpty, "a suspect release is never blocklisted")
    }

    @Test("suspect, a clean alternative approved: the ticket falls back to it and keeps the suspect one last, marked")
    func fallsBack() async throws {
        try await run("falls-back", alternatives: 1, suspects: [1]) { database, _ in
            #expect(try await eventually(within: 20) { try await database.ticket(id: "falls-back")?.state.name.isTerminal == true })
            let stored = try #require(try await database.ticket(id: "falls-back"))
            #expect(stored.state.name == .completed, "\(stored.state)")
            #expect(stored.approval?.selectedCandidate?.torrent.infoHash == Fixtures.candidate(2).infoHash)
            guard case .autoApproved(let details)? = stored.approval else { Issue.record("\(String(describing: stored.approval))"); return }
            #expect(details.alternatives?.last?.torrent.infoHash == Fixtures.candidate(1).infoHash)
            #expect(details.alternatives?.last?.reasoning.contains("suspect by verification") == true)
            let events = try await database.events(ticketId: "falls-back")
            #expect(events.contains { $0.type == .fallback && $0.payload["code"]?.stringValue == "verification_suspect" })
        }
    }

    @Test("suspect and nothing else approved (or every alternative suspect too): a person is asked with the evidence; approved, it converts")
    func asksAPerson() async throws {
        try await run("asks", alternatives: 1, suspects: [1, 2]) { database, orchestrator in
            #expect(try await eventually(within: 20) { try await database.ticket(id: "asks")?.state.name == .needsApproval })
            let waiting = try #require(try await database.ticket(id: "asks"))
            guard case .needsApproval(let details) = waiting.state else { Issue.record("\(waiting.state)"); return }
            guard case .verificationSuspect(let detail) = details.reason else { Issue.record("\(details.reason)"); return }
            #expect(detail.contains("lossy source") && detail.contains("16000 Hz"))
            #expect(Set(details.candidates.map(\.torrent.infoHash)) == [Fixtures.candidate(1).infoHash, Fixtures.candidate(2).infoHash])
            _ = try await orchestrator.approve("asks", candidateIdx: 0)
            #expect(try await eventually(within: 20) { try await database.ticket(id: "asks")?.state.name.isTerminal == true })
            #expect(try await database.ticket(id: "asks")?.state.name == .completed, "a person's approval is taken knowingly")
        }
    }

    @Test(
        "a person's approval covers the release they chose, not an alternative the pipeline falls back to: a suspect fallback still asks"
    )
    func approvalCoversTheChosenReleaseOnly() async throws {
        let dir = TemporaryDirectory("suspect-chosen")
        let database = try AppDatabase.open(path: dir.file("db.sqlite"))
        let ticket = Fixtures.ticket(id: "chosen", root: dir.file("media"))
        let stages = ScriptedStages(match: { stored, _, _ in
            .needsApproval(
                TicketState.NeedsApproval(
                    candidates: [Self.release(1, stored.ticket), Self.release(2, stored.ticket)], recommendedIdx: 0, confidence: 0.6,
                    reason: .noExactMatch, waitingSince: Date()))
        })
        var pipeline = stages.pipeline
        // The release the person chooses is refused (a transcode); the alternative is only suspect.
        pipeline.verify = Verdicts(suspects: [Fixtures.candidate(2).infoHash], refused: [Fixtures.candidate(1).infoHash])
        let orchestrator = Orchestrator(
            database: database, stages: pipeline, settings: PipelineSettings(checkInterval: 0.1, retry: RetryPolicy(maxAttempts: 0)),
            logger: Logger(label: "suspect"))
        try await withRunning([orchestrator]) {
            _ = try await orchestrator.submit(ticket, submittedJSON: Fixtures.json(ticket))
            #expect(try await eventually(within: 20) { try await database.ticket(id: "chosen")?.state.name == .needsApproval })
            let approved = try await orchestrator.approve("chosen", candidateIdx: 0)
            guard case .approved(let details) = approved.state else { Issue.record("\(approved.state)"); return }
            #expect(details.chose(Fixtures.candidate(1).infoHash) && !details.chose(Fixtures.candidate(2).infoHash))
            // Refused, blocklisted, fallen back to release 2, which is suspect: the person is asked again.
            var state = "\(approved.state.name)"
            let asked = try await eventually(within: 20) {
                let stored = try await database.ticket(id: "chosen")
                state = "\(stored?.state.name.rawValue ?? "none")"
                guard case .needsApproval(let waiting)? = stored?.state, case .verificationSuspect = waiting.reason else { return false }
                return true
            }
            #expect(asked, "a suspect release the person did not choose is not converted on their approval (state: \(state))")
            let events = try await database.events(ticketId: "chosen")
            #expect(events.contains { $0.type == .fallback && $0.payload["code"]?.stringValue == "verification_failed" })
        }
        #expect(try await database.blocklist().map(\.infoHash) == [Fixtures.candidate(1).infoHash], "only the refused release is blocklisted")
    }

    @Test("[verify] suspects = accept: converted at once, noted, not blocklisted")
    func accepted() async throws {
        try await run("accepts", alternatives: 1, suspects: [1], accept: true) { database, _ in
            #expect(try await eventually(within: 20) { try await database.ticket(id: "accepts")?.state.name.isTerminal == true })
            let stored = try #require(try await database.ticket(id: "accepts"))
            #expect(stored.state.name == .completed && stored.approval?.selectedCandidate?.torrent.infoHash == Fixtures.candidate(1).infoHash)
        }
    }
}
