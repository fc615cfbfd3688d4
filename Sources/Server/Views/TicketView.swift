import Basics
import Foundation
import Storage
import Tickets

/// How the API shows a ticket: its state with details, queue bookkeeping, the submitted ticket,
/// and (for a single ticket) its history of events.
public struct TicketView: Encodable, Sendable {
    var ticketId: String
    var state: TicketStateName
    var stateDetails: TicketState.Details
    var priority: Int
    var retryCount: Int
    var waitUntil: Date?
    var errorMessage: String?
    var errorHistory: [TicketErrorEntry]
    var searchQuery: String?
    var createdAt: Date
    var updatedAt: Date
    var ticket: Ticket
    var history: [TicketEvent]?

    public init(_ stored: StoredTicket, history: [TicketEvent]? = nil) {
        ticketId = stored.id
        state = stored.state.name
        stateDetails = stored.state.details
        priority = stored.priority
        retryCount = stored.retryCount
        waitUntil = stored.waitUntil
        errorMessage = stored.errorMessage
        errorHistory = stored.errorHistory
        searchQuery = stored.searchQuery
        createdAt = stored.createdAt
        updatedAt = stored.updatedAt
        ticket = stored.ticket
        self.history = history
    }
}

extension TicketView: JSONWritable {
    /// The view as `TicketJSON.encoder()` encodes it, written by hand (`JSONWriter`): encoding was
    /// the largest part of answering a submission (`make bench-api`). Keys in sorted order.
    public func writeJSON(to w: inout JSONWriter) throws {
        w.beginObject()
        w.member("created_at", createdAt)
        w.key("error_history")
        try w.array(errorHistory)
        w.member("error_message", errorMessage)
        if let history {
            w.key("history")
            try w.encoded(history)
        }
        w.member("priority", priority)
        w.member("retry_count", retryCount)
        w.member("search_query", searchQuery)
        w.member("state", state.rawValue)
        w.key("state_details")
        try w.value(stateDetails)
        w.key("ticket")
        try w.value(ticket)
        w.member("ticket_id", ticketId)
        w.member("updated_at", updatedAt)
        w.member("wait_until", waitUntil)
        w.endObject()
    }

    public static func json(_ stored: StoredTicket, history: [TicketEvent]? = nil) throws -> Data {
        try TicketView(stored, history: history).json()
    }

    /// `{"tickets":[…],"total":…,"limit":…,"offset":…}`.
    public static func listJSON(_ tickets: [StoredTicket], total: Int, limit: Int, offset: Int) throws -> Data {
        var w = JSONWriter(capacity: 2_048 * max(tickets.count, 1))
        w.beginObject()
        w.key("tickets")
        w.beginArray()
        for ticket in tickets { try w.value(TicketView(ticket)) }
        w.endArray()
        w.member("total", total)
        w.member("limit", limit)
        w.member("offset", offset)
        w.endObject()
        return w.data
    }
}

struct EventListView: Encodable {
    var ticketId: String
    var events: [TicketEvent]
}
