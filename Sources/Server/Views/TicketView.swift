import Basics
import Foundation
import Storage
import Tickets

/// How the API shows a ticket: its state with details, queue bookkeeping, the submitted ticket,
/// and (for a single ticket) its history of events.
struct TicketView: Encodable {
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
    /// Nil only inside `TicketView.json`, which splices the ticket's JSON in from `EncodedTickets`.
    var ticket: Ticket?
    var history: [TicketEvent]?

    init(_ stored: StoredTicket, history: [TicketEvent]? = nil) {
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

extension TicketView {
    /// The view as JSON, its `ticket` spliced in as encoded once per ticket (`EncodedTickets`): a
    /// ticket never changes once stored, and encoding its tracks is most of what a read costs
    /// (`make bench-api`). The same document as encoding the whole view, keys in another order.
    static func json(_ stored: StoredTicket, history: [TicketEvent]? = nil) throws -> Data {
        var view = TicketView(stored, history: history)
        view.ticket = nil
        let rest = try TicketJSON.encoder().encode(view)
        var out = Data(#"{"ticket":"#.utf8)
        out.append(try EncodedTickets.json(stored))
        out.append(UInt8(ascii: ","))
        out.append(rest.dropFirst())
        return out
    }

    /// `{"tickets":[…],"total":…,"limit":…,"offset":…}` from the spliced views.
    static func listJSON(_ tickets: [StoredTicket], total: Int, limit: Int, offset: Int) throws -> Data {
        var out = Data(#"{"tickets":["#.utf8)
        for (index, ticket) in tickets.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            out.append(try json(ticket))
        }
        out.append(contentsOf: Data(#"],"total":\#(total),"limit":\#(limit),"offset":\#(offset)}"#.utf8))
        return out
    }
}

/// Each ticket's JSON as `TicketJSON` encodes it, by id, while the stored submission is the same text.
enum EncodedTickets {
    static let shared = TextVersionedCache<Data>(capacity: 4096)

    static func json(_ stored: StoredTicket) throws -> Data {
        try shared.value(id: stored.id, text: stored.submittedJSON) { try TicketJSON.encoder().encode(stored.ticket) }
    }
}

struct EventListView: Encodable {
    var ticketId: String
    var events: [TicketEvent]
}
