import Foundation
import Tickets

/// A ticket as the store knows it: the submitted ticket, where it is, and its queue bookkeeping.
public struct StoredTicket: Sendable, Equatable {
    public var ticket: Ticket
    /// The JSON body exactly as the client submitted it.
    public var submittedJSON: String
    public var state: TicketState
    public var priority: Int
    public var retryCount: Int
    /// Not to be claimed before this time (backoff after a retryable error).
    public var waitUntil: Date?
    public var errorMessage: String?
    public var errorHistory: [TicketErrorEntry]
    /// An operator's search query overriding the ticket's own (force-search).
    public var searchQuery: String?
    /// The approval later stages work from, kept so a retry or a restart can return to it.
    public var approval: TicketState?
    public var createdAt: Date
    public var updatedAt: Date

    public var id: String { ticket.ticketId }

    public init(
        ticket: Ticket, submittedJSON: String, state: TicketState, priority: Int, retryCount: Int, waitUntil: Date?,
        errorMessage: String?, errorHistory: [TicketErrorEntry], searchQuery: String?, approval: TicketState?, createdAt: Date, updatedAt: Date
    ) {
        self.ticket = ticket
        self.submittedJSON = submittedJSON
        self.state = state
        self.priority = priority
        self.retryCount = retryCount
        self.waitUntil = waitUntil
        self.errorMessage = errorMessage
        self.errorHistory = errorHistory
        self.searchQuery = searchQuery
        self.approval = approval
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    /// Where work resumes after a crash in a transient state or a retry from `failed`:
    /// the approval that chose a release if the ticket got that far, else `pending`.
    public func resumableState(at now: Date, note: String) -> TicketState {
        let reached: TicketStateName
        switch state {
        case .failed(let f): reached = f.failedAtState
        case .paused(let p): reached = p.pausedFrom
        default: reached = state.name
        }
        let pastApproval: Set<TicketStateName> = [.approved, .autoApproved, .downloading, .converting, .placing]
        if pastApproval.contains(reached), let approval {
            return approval
        }
        return .pending(.init(since: now, note: note))
    }
}

/// What one write did to a ticket: the ticket afterwards and the events it appended, in order.
public struct TicketChange: Sendable, Equatable {
    public var ticket: StoredTicket
    public var events: [TicketEvent]

    public init(ticket: StoredTicket, events: [TicketEvent]) {
        self.ticket = ticket
        self.events = events
    }
}

/// The state a caller wants a ticket moved to, and the bookkeeping that goes with it.
public struct TicketUpdate: Sendable {
    public var state: TicketState
    /// Appended to the error history and made the latest error message.
    public var error: TicketErrorEntry?
    /// nil keeps the current count.
    public var retryCount: Int?
    /// Every transition clears the backoff unless it sets a new one.
    public var waitUntil: Date?
    /// nil keeps the current override.
    public var searchQuery: String?
    /// An extra event recorded after the state change (e.g. `recovered`, `retry_scheduled`).
    public var note: (type: TicketEventType, payload: JSONValue)?

    public init(
        state: TicketState, error: TicketErrorEntry? = nil, retryCount: Int? = nil, waitUntil: Date? = nil,
        searchQuery: String? = nil, note: (type: TicketEventType, payload: JSONValue)? = nil
    ) {
        self.state = state
        self.error = error
        self.retryCount = retryCount
        self.waitUntil = waitUntil
        self.searchQuery = searchQuery
        self.note = note
    }
}

/// A page of tickets and how many match in all.
public struct TicketPage: Sendable {
    public var tickets: [StoredTicket]
    public var total: Int
}

/// Queue figures for `/stats`.
public struct QueueStats: Sendable, Equatable {
    public var countByState: [TicketStateName: Int]
    public var total: Int
    public var oldestPendingCreatedAt: Date?
}
