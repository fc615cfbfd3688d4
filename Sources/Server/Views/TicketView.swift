import Foundation
import Storage
import Tickets

/// How the API shows a ticket: its state with details, queue bookkeeping, the submitted ticket,
/// and (for a single ticket) its history of events.
struct TicketView: Encodable {
    var ticketId: String
    var state: TicketStateName
    var stateDetails: JSONValue
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

    init(_ stored: StoredTicket, history: [TicketEvent]? = nil) throws {
        ticketId = stored.id
        state = stored.state.name
        stateDetails = try JSONValue(json: stored.state.detailsJSON())
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

struct TicketListView: Encodable {
    var tickets: [TicketView]
    var total: Int
    var limit: Int
    var offset: Int
}

struct EventListView: Encodable {
    var ticketId: String
    var events: [TicketEvent]
}
