public import Foundation

/// One entry of a ticket's append-only history; `seq` increases strictly per ticket from 1.
public struct TicketEvent: Codable, Sendable, Equatable {
    public var ticketId: String
    public var seq: Int
    public var type: TicketEventType
    /// The event's body as a JSON object (for `state_change`: `old_state`, `new_state`, `details`).
    public var payload: JSONValue
    public var at: Date

    public init(ticketId: String, seq: Int, type: TicketEventType, payload: JSONValue, at: Date) {
        self.ticketId = ticketId
        self.seq = seq
        self.type = type
        self.payload = payload
        self.at = at
    }
}

/// Kinds of ticket events; the WebSocket's message types are among them (docs/ARCHITECTURE.md#events-and-the-websocket).
public enum TicketEventType: String, Codable, Sendable, CaseIterable {
    /// The ticket was accepted and stored.
    case created
    case stateChange = "state_change"
    case progress
    case needsApproval = "needs_approval"
    /// Start-up found the ticket in a transient state and moved it back.
    case recovered
    /// A stage failed and another attempt is scheduled after a backoff.
    case retryScheduled = "retry_scheduled"
    /// A stalled or dead release was given up for the next-best approved one.
    case fallback
    /// An operator changed the search query of a ticket.
    case searchQuerySet = "search_query_set"
    /// The RSS sync saw a new release that looks like this wanted ticket and sent it to search.
    case rssMatch = "rss_match"
    /// Verification looked inside the downloaded release: per-file probe, durations, fake-lossless
    /// verdicts, and whether the release was accepted or refused.
    case verified
    /// The search met failing or paused indexers: each indexer's answer per query, with its errors.
    case searchReport = "search_report"
    /// Which picture became the ticket's cover image (the release's image file, a picture embedded
    /// in a track, the Cover Art Archive's front image, or none), and why.
    case coverChosen = "cover_chosen"
}
