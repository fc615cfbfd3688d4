import Foundation
import Storage
import Tickets

// What the API may ask of the Orchestrator. Each command checks the transition table through
// the store, so an illegal request changes nothing and comes back as `illegalTransition`.
extension Orchestrator {
    /// Stores a validated ticket (or finds the one with the same id) and wakes the workers.
    public func submit(_ ticket: Ticket, submittedJSON: String) async throws -> (ticket: StoredTicket, created: Bool) {
        let (change, created) = try await committing(ticket.ticketId, { $0.created ? $0.change.events : [] }) {
            try await database.insertTicket(ticket, submittedJSON: submittedJSON, at: self.clock.now())
        }
        if created { wake.signal() }
        return (change.ticket, created)
    }

    /// Cancels a ticket that has not ended, stopping any work on it.
    public func cancel(_ id: String) async throws -> StoredTicket {
        let change = try await apply(id) { ticket in
            TicketUpdate(state: .cancelled(.init(cancelledAt: self.clock.now(), cancelledAtState: ticket.state.name)))
        }
        inFlight[id]?.raise(.cancelledByUser)
        return change.ticket
    }

    /// Pauses a ticket that downloads, waits to download or converts (after its current tracks): its torrent stops (resume data kept) and
    /// it waits in `paused` until resumed.
    public func pause(_ id: String, by operatorName: String? = nil) async throws -> StoredTicket {
        let change = try await apply(id) { [settings] ticket in
            TicketUpdate(
                state: .paused(.init(pausedFrom: ticket.state.name, pausedAt: self.clock.now(), pausedBy: operatorName ?? settings.approver)),
                retryCount: ticket.retryCount)
        }
        inFlight[id]?.raise(.paused)
        return change.ticket
    }

    /// Resumes a paused ticket: back to the approval that chose its release, and the download goes on
    /// from what is on disk.
    public func resume(_ id: String) async throws -> StoredTicket {
        let change = try await apply(id) { ticket in
            guard case .paused = ticket.state else {
                throw PipelineError.illegalTransition(ticketId: id, IllegalTransition(from: ticket.state.name, to: .approved))
            }
            return TicketUpdate(state: ticket.resumableState(at: self.clock.now(), note: "resumed"), retryCount: ticket.retryCount)
        }
        wake.signal()
        return change.ticket
    }

    /// Whether everything is paused.
    public var isPausedAll: Bool { pausedAll }

    /// Pauses everything: no ticket is claimed any more (kept across restarts), and every ticket that
    /// downloads, waits to download or converts is paused (a conversion finishes its current tracks
    /// first); placements under way finish.
    /// Returns the tickets it paused.
    @discardableResult
    public func pauseAll() async throws -> [StoredTicket] {
        try await database.setSetting(Self.pausedAllKey, "true")
        pausedAll = true
        var paused: [StoredTicket] = []
        for ticket in try await database.tickets(inStates: [.downloading, .approved, .autoApproved, .converting], limit: 100_000, offset: 0).tickets {
            // One that moved on meanwhile (to placing) is simply left to finish.
            if let done = try? await pause(ticket.id, by: Self.pauseAllOperator) { paused.append(done) }
        }
        logger.notice("everything paused: \(paused.count) ticket(s) stopped, no new work is claimed")
        return paused
    }

    /// Ends the global pause: tickets are claimed again, and those the global pause stopped resume
    /// (tickets paused one by one stay paused). Returns the tickets it resumed.
    @discardableResult
    public func resumeAll() async throws -> [StoredTicket] {
        try await database.setSetting(Self.pausedAllKey, "false")
        pausedAll = false
        var resumed: [StoredTicket] = []
        for ticket in try await database.tickets(inStates: [.paused], limit: 100_000, offset: 0).tickets {
            guard case .paused(let details) = ticket.state, details.pausedBy == Self.pauseAllOperator else { continue }
            if let done = try? await resume(ticket.id) { resumed.append(done) }
        }
        wake.signal()
        logger.notice("everything resumed: \(resumed.count) ticket(s) go on")
        return resumed
    }

    /// Approves a ticket waiting for a person, with `candidateIdx` or the recommended candidate.
    public func approve(_ id: String, candidateIdx: Int?, by approver: String? = nil) async throws -> StoredTicket {
        let approvedBy = approver ?? settings.approver
        let minScore = settings.fallbackMinScore
        let change = try await apply(id) { ticket in
            guard case .needsApproval(let waiting) = ticket.state else {
                throw PipelineError.illegalTransition(ticketId: id, IllegalTransition(from: ticket.state.name, to: .approved))
            }
            let idx = candidateIdx ?? waiting.recommendedIdx
            guard waiting.candidates.indices.contains(idx) else {
                throw PipelineError.invalidCandidateIndex(idx, count: waiting.candidates.count)
            }
            let chosen = waiting.candidates[idx]
            let alternatives = fallbackCandidates(waiting.candidates, chosen: chosen, ticket: ticket.ticket, minScore: minScore)
            return TicketUpdate(
                state: .approved(
                    .init(
                        selected: chosen, approvedBy: approvedBy, approvedAt: self.clock.now(), alternatives: alternatives,
                        chosenInfoHash: chosen.torrent.infoHash)))
        }
        wake.signal()
        return change.ticket
    }

    /// Approves a release a person chose from an interactive search (it need not be among the
    /// ticket's candidates): from `needs_approval` or `failed`, like an approval by index. The
    /// ticket's own candidates that score well enough stay its fallbacks.
    public func approve(_ id: String, release chosen: ScoredCandidate, by approver: String? = nil) async throws -> StoredTicket {
        let approvedBy = approver ?? settings.approver
        let minScore = settings.fallbackMinScore
        guard let current = try await database.ticket(id: id) else { throw PipelineError.ticketNotFound(id) }
        let blocked = try await database.blockedHashes(artist: current.ticket.search.artist, album: current.ticket.search.album)
        let change = try await apply(id) { ticket in
            let others: [ScoredCandidate]
            switch ticket.state {
            case .needsApproval(let waiting): others = waiting.candidates
            case .failed: others = []
            default: throw PipelineError.illegalTransition(ticketId: id, IllegalTransition(from: ticket.state.name, to: .approved))
            }
            var selected = chosen
            selected.reasoning += "; chosen from an interactive search"
            // A refused (blocklisted) release is never a fallback; the retry budget starts afresh, as a manual retry's does.
            let alternatives = fallbackCandidates(
                others.filter { !blocked.contains($0.torrent.infoHash.lowercased()) }, chosen: selected, ticket: ticket.ticket, minScore: minScore)
            return TicketUpdate(
                state: .approved(
                    .init(
                        selected: selected, approvedBy: approvedBy, approvedAt: self.clock.now(), alternatives: alternatives,
                        chosenInfoHash: selected.torrent.infoHash)), retryCount: 0)
        }
        wake.signal()
        return change.ticket
    }

    /// Rejects a ticket waiting for a person.
    public func reject(_ id: String, reason: String?, by rejecter: String? = nil) async throws -> StoredTicket {
        try await apply(id) { [settings] _ in
            TicketUpdate(state: .rejected(.init(rejectedBy: rejecter ?? settings.approver, reason: reason, rejectedAt: self.clock.now())))
        }.ticket
    }

    /// Retries a failed ticket from its last safe state, with a fresh retry budget.
    public func retry(_ id: String) async throws -> StoredTicket {
        let change = try await apply(id) { ticket in
            guard case .failed = ticket.state else {
                throw PipelineError.illegalTransition(ticketId: id, IllegalTransition(from: ticket.state.name, to: .pending))
            }
            return TicketUpdate(state: ticket.resumableState(at: self.clock.now(), note: "manual retry"), retryCount: 0)
        }
        wake.signal()
        return change.ticket
    }

    /// Searches again with an operator's query: a pending ticket keeps its place and takes the
    /// query; one waiting for approval, rejected or failed goes back to `pending` with it.
    public func forceSearch(_ id: String, query: String) async throws -> StoredTicket {
        guard let current = try await database.ticket(id: id) else { throw PipelineError.ticketNotFound(id) }
        let ticket: StoredTicket
        if current.state.name == .pending {
            ticket = try await committing(id, \.events) {
                try await database.setSearchQuery(ticketId: id, query: query, whileIn: .pending, at: self.clock.now())
            }.ticket
        } else {
            ticket = try await apply(id) { stored in
                TicketUpdate(
                    state: .pending(.init(since: self.clock.now(), note: "force-search from \(stored.state.name.rawValue)")), retryCount: 0,
                    searchQuery: query, note: (.searchQuerySet, .object(["query": .string(query)])))
            }.ticket
        }
        wake.signal()
        return ticket
    }

    /// Sends a `wanted` ticket to search at once (a new release on an indexer's feed looks like it),
    /// with an `rss_match` event saying which; false when the ticket is no longer wanted.
    public func searchWanted(_ id: String, because match: JSONValue) async throws -> Bool {
        do {
            _ = try await apply(id) { ticket in
                guard ticket.state.name == .wanted else {
                    throw PipelineError.illegalTransition(ticketId: id, IllegalTransition(from: ticket.state.name, to: .pending))
                }
                return TicketUpdate(
                    state: .pending(.init(since: self.clock.now(), note: "a new release on an indexer feed looks like it")),
                    retryCount: ticket.retryCount,
                    note: (.rssMatch, match))
            }
        } catch PipelineError.illegalTransition {
            return false
        }
        wake.signal()
        return true
    }
}
