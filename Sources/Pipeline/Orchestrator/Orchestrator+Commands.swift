import Foundation
import Storage
import Tickets

// What the API may ask of the Orchestrator. Each command checks the transition table through
// the store, so an illegal request changes nothing and comes back as `illegalTransition`.
extension Orchestrator {
    /// Stores a validated ticket (or finds the one with the same id) and wakes the workers.
    public func submit(_ ticket: Ticket, submittedJSON: String) async throws -> (ticket: StoredTicket, created: Bool) {
        let (change, created) = try await database.insertTicket(ticket, submittedJSON: submittedJSON)
        if created {
            events.publish(change.events)
            wake.signal()
        }
        return (change.ticket, created)
    }

    /// Cancels a ticket that has not ended, stopping any work on it.
    public func cancel(_ id: String) async throws -> StoredTicket {
        let change = try await apply(id) { ticket in
            TicketUpdate(state: .cancelled(.init(cancelledAt: Date(), cancelledAtState: ticket.state.name)))
        }
        inFlight[id]?.raise(.cancelledByUser)
        return change.ticket
    }

    /// Pauses a ticket that downloads or waits to download: its torrent stops (resume data kept) and
    /// it waits in `paused` until resumed.
    public func pause(_ id: String, by operatorName: String? = nil) async throws -> StoredTicket {
        let change = try await apply(id) { [settings] ticket in
            TicketUpdate(
                state: .paused(.init(pausedFrom: ticket.state.name, pausedAt: Date(), pausedBy: operatorName ?? settings.approver)),
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
            return TicketUpdate(state: ticket.resumableState(at: Date(), note: "resumed"), retryCount: ticket.retryCount)
        }
        wake.signal()
        return change.ticket
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
            return TicketUpdate(state: .approved(.init(selected: chosen, approvedBy: approvedBy, approvedAt: Date(), alternatives: alternatives)))
        }
        wake.signal()
        return change.ticket
    }

    /// Rejects a ticket waiting for a person.
    public func reject(_ id: String, reason: String?, by rejecter: String? = nil) async throws -> StoredTicket {
        try await apply(id) { [settings] _ in
            TicketUpdate(state: .rejected(.init(rejectedBy: rejecter ?? settings.approver, reason: reason, rejectedAt: Date())))
        }.ticket
    }

    /// Retries a failed ticket from its last safe state, with a fresh retry budget.
    public func retry(_ id: String) async throws -> StoredTicket {
        let change = try await apply(id) { ticket in
            guard case .failed = ticket.state else {
                throw PipelineError.illegalTransition(ticketId: id, IllegalTransition(from: ticket.state.name, to: .pending))
            }
            return TicketUpdate(state: ticket.resumableState(at: Date(), note: "manual retry"), retryCount: 0)
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
            let change = try await database.setSearchQuery(ticketId: id, query: query, whileIn: .pending)
            events.publish(change.events)
            ticket = change.ticket
        } else {
            ticket = try await apply(id) { stored in
                TicketUpdate(
                    state: .pending(.init(since: Date(), note: "force-search from \(stored.state.name.rawValue)")), retryCount: 0,
                    searchQuery: query, note: (.searchQuerySet, .object(["query": .string(query)])))
            }.ticket
        }
        wake.signal()
        return ticket
    }
}
