import Foundation
import Storage
import Tickets

extension Orchestrator {
    /// Drives one claimed ticket through its stages until it waits for a person, ends, or fails.
    func work(on claimed: TicketChange, stopFlag: StopFlag) async {
        let id = claimed.ticket.id
        let context = StageContext(ticketId: id, stopFlag: stopFlag) { [publisher, progressThrottle, snapshots, database, clock] payload in
            guard progressThrottle.admit(ticketId: id, stage: payload["stage"]?.stringValue ?? "", now: clock.now()) else { return }
            publisher.publishProgress(TicketEvent(ticketId: id, seq: 0, type: .progress, payload: payload, at: clock.now()))
            if let refreshed = snapshots.update(id, with: payload) {
                _ = try? await database.refreshStateDetails(ticketId: id, refreshed, at: clock.now())
            }
        }
        defer {
            progressThrottle.forget(id)
            snapshots.forget(id)
        }
        var ticket = claimed.ticket
        do {
            if case .searching = ticket.state {
                let started = self.clock.now()
                ticket = try await searchAndMatch(ticket, context: context)
                metrics.stageFinished("search_match", after: self.clock.now().timeIntervalSince(started))
            }
            if case .autoApproved = ticket.state {
                ticket = try await move(
                    ticket, to: .downloading(.init(torrentHash: ticket.state.selectedCandidate!.torrent.infoHash, startedAt: self.clock.now())))
            }
            if case .downloading = ticket.state, let selected = ticket.approval?.selectedCandidate {
                try await downloadConvertPlace(ticket, selected: selected, context: context)
            }
        } catch let interrupted as StageInterrupted {
            await handOver(id, interrupted: interrupted)
        } catch let error as StageError {
            await fail(id, with: error)
        } catch PipelineError.illegalTransition(_, let t) where t.to != .failed {
            // The ticket moved under the worker (cancelled through the API): its work is void.
            logger.info("ticket \(id): work stopped, state changed elsewhere (\(t))")
        } catch StorageError.leaseLost(_, let node) {
            // Presumed dead and taken over by another node (or ended by an operator there): its work wins.
            logger.notice("ticket \(id): node \(node) lost its lease (another node has the ticket now); work stopped")
        } catch let error where StorageError.unavailable(from: error) != nil {
            await handBackAfterOutage(id, error)
        } catch {
            await fail(id, with: StageError(code: "internal_error", message: "\(error)", retryable: true))
        }
        await database.workEnded(ticketId: id)
        finished(id)
    }

    private func searchAndMatch(_ ticket: StoredTicket, context: StageContext) async throws -> StoredTicket {
        if ticket.searchQuery == nil, let followed = try await follow(ticket) { return followed }
        let query = ticket.searchQuery
        let found = try await stages.search.search(ticket, query: query, context: context)
        try context.checkCancellation()
        let blocked = try await database.blockedHashes(artist: ticket.ticket.search.artist, album: ticket.ticket.search.album)
        let candidates = found.filter { !blocked.contains($0.infoHash.lowercased()) }
        let dropped = found.count - candidates.count
        guard !candidates.isEmpty else {
            let searched = query ?? "\(ticket.ticket.search.artist) \(ticket.ticket.search.album)"
            guard dropped == 0 else {
                throw StageError(
                    code: "no_candidates", message: "every release found for '\(searched)' is on the blocklist (\(dropped))", retryable: true)
            }
            throw StageError.noCandidates(searched)
        }
        try await database.saveCandidates(ticketId: ticket.id, candidates, scores: nil, at: self.clock.now())
        let matching = try await move(ticket, to: .matching(.init(candidates: candidates, startedAt: self.clock.now())), note: context.takeNote())
        let outcome = try await stages.match.match(matching, candidates: candidates, context: context)
        try context.checkCancellation()
        let note = dropped == 0 ? "" : "; \(dropped) blocklisted release\(dropped == 1 ? "" : "s") dropped before matching"
        switch outcome {
        case .autoApproved(var selected, let confidence, let alternatives):
            selected.reasoning += note
            return try await move(matching, to: .autoApproved(.init(selected: selected, confidence: confidence, alternatives: alternatives)))
        case .needsApproval(var waiting):
            for index in waiting.candidates.indices { waiting.candidates[index].reasoning += note }
            return try await move(matching, to: .needsApproval(waiting))
        }
    }

    /// A ticket for an album another ticket already chose a release for (same artist, album and
    /// format; in flight or completed) takes that release without searching: both use one download,
    /// each placing its own files. An operator's forced query always searches afresh.
    private func follow(_ ticket: StoredTicket) async throws -> StoredTicket? {
        let wanted = DuplicateKey(ticket.ticket)
        guard let leader = try await database.ticketsWithRelease(excluding: ticket.id).first(where: { DuplicateKey($0.ticket) == wanted }),
            let approval = leader.approval, var selected = approval.selectedCandidate
        else { return nil }
        selected.reasoning += "; the release ticket \(leader.id) chose for the same album"
        let confidence: Double
        var alternatives: [ScoredCandidate]?
        switch approval {
        case .autoApproved(let details): (confidence, alternatives) = (details.confidence, details.alternatives)
        case .approved(let details): (confidence, alternatives) = (selected.score, details.alternatives)
        default: return nil
        }
        logger.info("ticket \(ticket.id) follows ticket \(leader.id): same album and format, release \(selected.torrent.infoHash)")
        let matching = try await move(ticket, to: .matching(.init(candidates: [selected.torrent], startedAt: self.clock.now())))
        return try await move(matching, to: .autoApproved(.init(selected: selected, confidence: confidence, alternatives: alternatives)))
    }

    private func downloadConvertPlace(_ ticket: StoredTicket, selected: ScoredCandidate, context: StageContext) async throws {
        let limit = settings.maxParallelDownloads
        try await downloadSlots.acquire(context: context) {
            await context.reportProgress(
                .object([
                    "stage": .string("downloading"), "queued": .bool(true),
                    "note": .string("waiting for a download slot (max_parallel_downloads = \(limit))"),
                ]))
        }
        let downloadStarted = self.clock.now()
        // Tracks whose files are complete start converting while the rest downloads.
        let (ready, readySink) = AsyncStream<ReadyTrack>.makeStream()
        async let earlyPass = stages.convert.convertEarly(ticket, tracks: ready, context: context)
        let download: DownloadResult
        do {
            defer {
                downloadSlots.release()
                readySink.finish()
            }
            let verify = stages.verify
            // A track converts early only once its own file has passed verification.
            download = try await stages.download.download(ticket, selected: selected, context: context) { ready in
                if await verify.passesEarly(ticket, track: ready) { readySink.yield(ready) }
            }
        }
        let early = await earlyPass
        try context.checkCancellation()
        try await verify(ticket, selected: selected, download: download, context: context)
        let converting = try await move(
            ticket,
            to: .converting(
                .init(
                    currentTrackIdx: 0, totalTracks: ticket.ticket.tracks.count, currentTrackName: ticket.ticket.tracks.first?.name ?? "",
                    startedAt: self.clock.now())))
        let conversionStarted = self.clock.now()
        metrics.stageFinished("download", after: conversionStarted.timeIntervalSince(downloadStarted))
        metrics.downloaded(bytes: download.totalBytes)
        let conversion = try await stages.convert.convert(converting, download: download, early: early, context: context)
        try context.checkCancellation()
        let missing = Self.missingItems(ticket.ticket, conversion)
        if conversion.outputsByTrackId.isEmpty, !ticket.ticket.tracks.isEmpty {
            throw StageError(
                code: "nothing_delivered",
                message: "no track could be delivered: " + missing.map { "\($0.catalogId): \($0.reason)" }.joined(separator: "; "),
                retryable: false)
        }
        let placingStarted = self.clock.now()
        metrics.stageFinished("convert", after: placingStarted.timeIntervalSince(conversionStarted))
        metrics.converted(audioSeconds: conversion.audioSeconds)
        let placing = try await move(
            converting,
            to: .placing(
                .init(
                    filesPlaced: 0, totalFiles: ticket.ticket.tracks.count + ticket.ticket.images.count - missing.count, startedAt: self.clock.now())),
            note: context.takeNote())
        let placement = try await stages.place.place(placing, conversion: conversion, context: context)
        let stats = CompletionStats(
            totalDownloadBytes: download.totalBytes,
            downloadDurationSecs: Int(conversionStarted.timeIntervalSince(downloadStarted)),
            conversionDurationSecs: Int(self.clock.now().timeIntervalSince(conversionStarted)),
            finalSizeBytes: placement.totalBytes, tracksConvertedDuringDownload: early.outputs.count)
        metrics.stageFinished("place", after: self.clock.now().timeIntervalSince(placingStarted))
        _ = try await move(placing, to: .completed(.init(completedAt: self.clock.now(), stats: stats, missing: missing)))
        metrics.completed()
    }

    /// Looks inside the downloaded release before anything more is converted. The report goes into the
    /// ticket's history (`verified`); a refused release goes on the blocklist for this album with the
    /// report as evidence, and the ticket falls back (``fallback(from:after:entry:)``).
    private func verify(_ ticket: StoredTicket, selected: ScoredCandidate, download: DownloadResult, context: StageContext) async throws {
        let report = try await stages.verify.verify(ticket, download: download, context: context)
        try context.checkCancellation()
        guard !report.files.isEmpty else { return }
        var payload = report.json
        if case .object(var fields) = payload {
            fields["info_hash"] = .string(selected.torrent.infoHash.lowercased())
            fields["title"] = .string(selected.torrent.title)
            fields["directory"] = .string(download.directory)
            payload = .object(fields)
        }
        try await committing(ticket.id, \.events) {
            try await database.recordEvent(ticketId: ticket.id, type: .verified, payload: payload, whileIn: .downloading, at: self.clock.now())
        }
        if !report.notes.isEmpty { logger.notice("ticket \(ticket.id): verification notes: \(report.notes.joined(separator: "; "))") }
        if report.accepted, report.verdict == .suspect, !settings.acceptSuspects {
            // One sign of a lossy source, not two: never blocklisted. A person who chose this very
            // release took it knowingly; otherwise (an alternative the pipeline fell back to, even
            // under a person's approval) another approved release is tried first, or a person asked.
            if case .approved(let approved)? = ticket.approval, approved.chose(selected.torrent.infoHash) { return }
            throw StageError(
                code: "verification_suspect",
                message: "the release '\(selected.torrent.title)' may come from a lossy source: \(report.notes.joined(separator: "; "))",
                retryable: false)
        }
        guard !report.accepted else { return }
        let reason = report.problems.joined(separator: "; ")
        // A person who chose a release already refused (and blocklisted) chose it knowingly.
        if case .approved(let approved)? = ticket.approval, approved.chose(selected.torrent.infoHash),
            try await database.isBlocklisted(infoHash: selected.torrent.infoHash)
        {
            logger.notice(
                "ticket \(ticket.id): \(approved.approvedBy) approved the refused release \(selected.torrent.infoHash); converting it: \(reason)")
            return
        }
        try await database.addToBlocklist(
            BlocklistEntry(
                infoHash: selected.torrent.infoHash, title: selected.torrent.title, reason: reason, evidence: payload,
                artist: ticket.ticket.search.artist, album: ticket.ticket.search.album, source: "verification", ticketId: ticket.id))
        metrics.failed(code: "verification_failed", retryable: false)
        logger.warning("ticket \(ticket.id): release \(selected.torrent.infoHash) refused by verification and blocklisted: \(reason)")
        throw StageError(code: "verification_failed", message: "the release '\(selected.torrent.title)' was refused: \(reason)", retryable: false)
    }

    /// What a flagged completion lacks, in the ticket's order.
    static func missingItems(_ ticket: Ticket, _ conversion: ConvertedRelease) -> [TicketState.MissingItem] {
        ticket.tracks.compactMap { track in
            conversion.missingTracks[track.catalogTrackId].map {
                .init(kind: "track", catalogId: track.catalogTrackId, destPath: track.destPath, reason: $0)
            }
        }
            + ticket.images.compactMap { image in
                conversion.missingImages[image.catalogImageId].map {
                    .init(kind: "image", catalogId: image.catalogImageId, destPath: image.destPath, reason: $0)
                }
            }
    }

    /// One checked state change, published once it has committed.
    func move(_ ticket: StoredTicket, to state: TicketState, note: (type: TicketEventType, payload: JSONValue)? = nil) async throws -> StoredTicket {
        let moved = try await apply(ticket.id) { _ in TicketUpdate(state: state, note: note) }.ticket
        snapshots.begin(ticket.id, moved.state)
        return moved
    }

    /// A stage failure: back to a resumable state after a backoff if a retry is allowed, else `failed`.
    func fail(_ id: String, with error: StageError) async {
        metrics.failed(code: error.code, retryable: error.retryable)
        let policy = settings.retry
        let wantedPolicy = settings.wanted
        let abandoned = try? await database.ticket(id: id)?.approval?.selectedCandidate
        do {
            let change = try await apply(id) { ticket in
                let now = self.clock.now()
                let entry = TicketErrorEntry(
                    timestamp: now, state: ticket.state.name, code: error.code, message: error.message, retryCount: ticket.retryCount)
                if let fallback = Self.fallback(from: ticket, after: error, entry: entry) { return fallback }
                if let waiting = Self.waitForPerson(ticket, after: error, entry: entry, at: now) { return waiting }
                if let wanted = Self.keepWanted(ticket, after: error, entry: entry, policy: wantedPolicy, at: now) { return wanted }
                if let notBefore = error.notBefore, notBefore > now {
                    // An indexer asked for a pause: wait for it, without spending a retry.
                    return TicketUpdate(
                        state: ticket.resumableState(at: now, note: "waiting for \(error.code)"), error: entry, retryCount: ticket.retryCount,
                        waitUntil: notBefore,
                        note: (
                            .retryScheduled,
                            .object([
                                "code": .string(error.code), "error": .string(error.message), "retry_count": .number(Double(ticket.retryCount)),
                                "delay_secs": .number(notBefore.timeIntervalSince(now).rounded(.up)),
                                "retry_at": .string(ISO8601DateFormatter().string(from: notBefore)),
                            ])
                        ))
                }
                if error.retryable, policy.allowsRetry(afterRetries: ticket.retryCount) {
                    let delay = policy.delay(afterRetries: ticket.retryCount)
                    let retryAt = now.addingTimeInterval(delay)
                    return TicketUpdate(
                        state: ticket.resumableState(at: now, note: "retry \(ticket.retryCount + 1) after \(error.code)"),
                        error: entry, retryCount: ticket.retryCount + 1, waitUntil: retryAt,
                        note: (
                            .retryScheduled,
                            .object([
                                "code": .string(error.code), "error": .string(error.message),
                                "retry_count": .number(Double(ticket.retryCount + 1)), "delay_secs": .number(delay.rounded()),
                                "retry_at": .string(ISO8601DateFormatter().string(from: retryAt)),
                            ])
                        ))
                }
                return TicketUpdate(
                    state: .failed(
                        .init(
                            failedAtState: ticket.state.name, code: error.code, error: error.message, retryable: error.retryable,
                            retryCount: ticket.retryCount, failedAt: now)),
                    error: entry)
            }
            logger.warning("ticket \(id) failed in a stage: \(error) → \(change.ticket.state.name.rawValue)")
            if change.events.contains(where: { $0.type == .fallback }), let abandoned {
                await stages.download.discard(abandoned.torrent)
            }
        } catch PipelineError.illegalTransition(_, let t) {
            logger.info("ticket \(id): stage error '\(error)' ignored, the ticket already moved on (\(t))")
        } catch {
            logger.error("ticket \(id): could not record the failure '\(error)': \(error)")
        }
    }

    /// A download that stalled or never got its metadata, or a release verification refused, gives way
    /// to the next-best approved release without spending a retry; nil when there is none to fall back to.
    static func fallback(from ticket: StoredTicket, after error: StageError, entry: TicketErrorEntry) -> TicketUpdate? {
        guard ["stalled", "metadata_timeout", "verification_failed", "verification_suspect"].contains(error.code), ticket.state.name == .downloading
        else { return nil }
        let suspect = error.code == "verification_suspect"
        /// The approval with its first alternative chosen, and that alternative. A suspect release goes to
        /// the end of the alternatives, marked: once only marked ones are left, a person decides.
        func advance(_ selected: inout ScoredCandidate, _ alternatives: inout [ScoredCandidate]?) -> ScoredCandidate? {
            guard let first = alternatives?.first, !(suspect && first.reasoning.contains(Self.suspectMark)) else { return nil }
            var demoted = selected
            selected = first
            alternatives = alternatives.map { Array($0.dropFirst()) }.flatMap { $0.isEmpty ? nil : $0 }
            if suspect {
                demoted.reasoning += Self.suspectMark
                alternatives = (alternatives ?? []) + [demoted]
            }
            return first
        }
        let next: TicketState
        let from: ScoredCandidate, to: ScoredCandidate
        switch ticket.approval {
        case .autoApproved(var details)?:
            from = details.selected
            guard let chosen = advance(&details.selected, &details.alternatives) else { return nil }
            (to, next) = (chosen, .autoApproved(details))
        case .approved(var details)?:
            from = details.selected
            guard let chosen = advance(&details.selected, &details.alternatives) else { return nil }
            (to, next) = (chosen, .approved(details))
        default:
            return nil
        }
        return TicketUpdate(
            state: next, error: entry, retryCount: ticket.retryCount,
            note: (
                .fallback,
                .object([
                    "code": .string(error.code), "error": .string(error.message),
                    "from": .string(from.torrent.title), "from_info_hash": .string(from.torrent.infoHash),
                    "to": .string(to.torrent.title), "to_info_hash": .string(to.torrent.infoHash), "to_score": .number(to.score),
                ])
            ))
    }

    /// A release verification refused, with no approved release left to fall back to, waits for a
    /// person (`needs_approval`, reason `verification_failed`) instead of failing: the refused release is
    /// shown with why, and the person can approve it anyway, reject, or force a new search.
    static func waitForPerson(_ ticket: StoredTicket, after error: StageError, entry: TicketErrorEntry, at now: Date) -> TicketUpdate? {
        if error.code == "verification_suspect", ticket.state.name == .downloading, var suspect = ticket.approval?.selectedCandidate {
            // Every approved release left is suspect: the person sees them all, with the evidence.
            suspect.reasoning += Self.suspectMark
            let alternatives: [ScoredCandidate]
            switch ticket.approval {
            case .autoApproved(let details)?: alternatives = details.alternatives ?? []
            case .approved(let details)?: alternatives = details.alternatives ?? []
            default: alternatives = []
            }
            let others = alternatives.filter { $0.reasoning.contains(Self.suspectMark) }
            return TicketUpdate(
                state: .needsApproval(
                    .init(
                        candidates: [suspect] + others, recommendedIdx: 0, confidence: 0, reason: .verificationSuspect(detail: error.message),
                        waitingSince: now)),
                error: entry, retryCount: ticket.retryCount)
        }
        guard error.code == "verification_failed", ticket.state.name == .downloading, var refused = ticket.approval?.selectedCandidate else {
            return nil
        }
        refused.reasoning += "; refused by verification: \(error.message)"
        return TicketUpdate(
            state: .needsApproval(
                .init(
                    candidates: [refused], recommendedIdx: 0, confidence: 0, reason: .verificationFailed(detail: error.message), waitingSince: now)),
            error: entry, retryCount: ticket.retryCount)
    }

    /// Marks a release verification called suspect in its reasoning.
    static let suspectMark = "; suspect by verification (one sign of a lossy source)"

    /// A search that found nothing usable leaves the ticket `wanted`, to be searched again on the
    /// policy's schedule (no retry is spent); once the ticket is older than the give-up age it fails
    /// with `not_found`. Nil without a policy, or for any other error.
    static func keepWanted(
        _ ticket: StoredTicket, after error: StageError, entry: TicketErrorEntry, policy: WantedPolicy?, at now: Date
    ) -> TicketUpdate? {
        guard let policy, error.code == "no_candidates", ticket.state.name == .searching else { return nil }
        // The fruitless searches so far are in the error history (the retry budget stays for the download).
        let searches = ticket.errorHistory.filter { $0.code == "no_candidates" }.count + 1
        if now.timeIntervalSince(ticket.createdAt) >= policy.giveUpAfter {
            let days = Int(policy.giveUpAfter / 86_400)
            return TicketUpdate(
                state: .failed(
                    .init(
                        failedAtState: .searching, code: "not_found",
                        error: "still not found after \(searches) search(es) over \(days) day(s): \(error.message)",
                        retryable: false, retryCount: ticket.retryCount, failedAt: now)),
                error: entry)
        }
        let next = now.addingTimeInterval(policy.delay(afterSearches: searches))
        return TicketUpdate(
            state: .wanted(.init(reason: error.message, nextSearchAt: next, searches: searches)),
            error: entry, retryCount: ticket.retryCount, waitUntil: next)
    }

    /// A worker stopped by shutdown hands its ticket back; one stopped by a cancel has nothing to do.
    private func handOver(_ id: String, interrupted: StageInterrupted) async {
        guard interrupted.reason == .shutdown else { return }
        do {
            _ = try await apply(id) { ticket in
                TicketUpdate(
                    state: ticket.resumableState(at: self.clock.now(), note: "interrupted by shutdown"), retryCount: ticket.retryCount,
                    note: (.recovered, .object(["interrupted_state": .string(ticket.state.name.rawValue), "reason": .string("shutdown")])))
            }
        } catch {
            logger.error("ticket \(id): could not hand back after shutdown (start-up recovery will): \(error)")
        }
    }

    /// The database failed under the worker (full disk, read-only, I/O error): the ticket cannot be
    /// failed either, so it goes back to its last safe state as soon as the database takes writes
    /// again, and the work starts over from there. No retry is spent: the ticket did nothing wrong.
    private func handBackAfterOutage(_ id: String, _ error: any Error) async {
        logger.error("ticket \(id): the database is unavailable (\(error)); it resumes from its last safe state once the database takes writes")
        while !Task.isCancelled, !Task.isShuttingDownGracefully {
            do {
                _ = try await apply(id) { ticket in
                    TicketUpdate(
                        state: ticket.resumableState(at: self.clock.now(), note: "the database was unavailable"), retryCount: ticket.retryCount,
                        note: (
                            .recovered, .object(["interrupted_state": .string(ticket.state.name.rawValue), "reason": .string("storage_unavailable")])
                        ))
                }
                logger.notice("ticket \(id): the database takes writes again; the ticket resumes")
                return
            } catch let again where StorageError.unavailable(from: again) != nil {
                try? await Task.sleep(for: .seconds(2))
            } catch {
                logger.error("ticket \(id): could not hand back after the outage (start-up recovery will): \(error)")
                return
            }
        }
    }

    /// Writes an update through the store, translating its refusals, and publishes the events.
    @discardableResult
    func apply(_ id: String, _ decide: @escaping @Sendable (StoredTicket) throws -> TicketUpdate) async throws -> TicketChange {
        do {
            return try await committing(id, \.events) { try await database.updateTicket(id: id, at: self.clock.now(), decide) }
        } catch {
            throw PipelineError.translating(error)
        }
    }
}
