import Basics
import Foundation
import Hummingbird
import Pipeline
import Storage
import Tickets

/// Ticket CRUD: submit, read one, list, cancel, and read events.
struct TicketRoutes: Sendable {
    let deps: ServerDependencies
    static let maxListLimit = 500
    /// `GET /ticket/{id}` bodies as rendered, each kept while no ticket has changed since
    /// (`TicketStore.ticketGeneration`): a client polling a ticket at rest costs no database read.
    let shown = TextVersionedCache<ByteBuffer>(capacity: 1_000)
    /// The roots as resolved at start, as the placer has them: resolving them on every request cost
    /// a submission a twelfth of its time (`make bench-api`).
    let mediaRoots: MediaRoots

    init(deps: ServerDependencies) {
        self.deps = deps
        mediaRoots = MediaRoots(deps.config.placer.mediaRoots)
    }

    func register(on api: RouterGroup<BasicRequestContext>) {
        api.post("ticket", use: create)
        api.get("ticket/:id", use: show)
        api.delete("ticket/:id", use: cancel)
        api.get("ticket/:id/events", use: events)
        api.get("tickets", use: list)
    }

    private var body: BodyReader { BodyReader(maxBytes: deps.config.server.maxBodyBytes) }

    /// 201 with the new ticket, or 200 with the stored one when the `ticket_id` already exists.
    @Sendable func create(_ request: Request, context: BasicRequestContext) async throws -> Response {
        let data = try await body.bytes(of: request)
        let ticket = try body.decode(Ticket.self, from: data)
        do {
            try ticket.validate(mediaRoots: mediaRoots)
        } catch {
            throw APIError(.unprocessableContent, code: "invalid_ticket", message: error.message, field: error.field)
        }
        let (stored, created) = try await deps.orchestrator.submit(ticket, submittedJSON: String(decoding: data, as: UTF8.self))
        var response = JSONResponse.raw(try TicketView.json(stored), status: created ? .created : .ok)
        response.headers[.location] = "\(apiPrefix)/ticket/\(stored.id)"
        return response
    }

    @Sendable func show(_ request: Request, context: BasicRequestContext) async throws -> Response {
        let id = try context.parameters.require("id")
        // The generation is taken before the read: a change committed meanwhile makes the next request read again.
        let generation = String(deps.database.ticketGeneration)
        if let body = shown.cached(id: id, text: generation) { return JSONResponse.raw(body) }
        guard let (stored, history) = try await deps.database.ticketWithEvents(id: id) else { throw APIError.notFound(id) }
        let body = ByteBuffer(bytes: try TicketView.json(stored, history: history))
        shown.store(id: id, text: generation, body)
        return JSONResponse.raw(body)
    }

    @Sendable func cancel(_ request: Request, context: BasicRequestContext) async throws -> Response {
        let id = try context.parameters.require("id")
        return JSONResponse.raw(try TicketView.json(try await deps.orchestrator.cancel(id)))
    }

    @Sendable func events(_ request: Request, context: BasicRequestContext) async throws -> Response {
        let id = try context.parameters.require("id")
        let since = try Self.intParameter(request, "since", default: 0, range: 0...Int.max)
        guard try await deps.database.ticket(id: id) != nil else { throw APIError.notFound(id) }
        return try JSONResponse.make(EventListView(ticketId: id, events: try await deps.database.events(ticketId: id, since: since)))
    }

    @Sendable func list(_ request: Request, context: BasicRequestContext) async throws -> Response {
        let limit = try Self.intParameter(request, "limit", default: 50, range: 1...Self.maxListLimit)
        let offset = try Self.intParameter(request, "offset", default: 0, range: 0...Int.max)
        var states: Set<TicketStateName>?
        if let raw = request.uri.queryParameters.get("state"), !raw.isEmpty {
            states = try Set(
                raw.split(separator: ",").map { name in
                    guard let state = TicketStateName(rawValue: String(name)) else {
                        throw APIError.badQuery(
                            "state", "unknown state '\(name)'; expected one of \(TicketStateName.allCases.map(\.rawValue).joined(separator: ", "))")
                    }
                    return state
                })
        }
        let page = try await deps.database.tickets(inStates: states, limit: limit, offset: offset)
        return JSONResponse.raw(try TicketView.listJSON(page.tickets, total: page.total, limit: limit, offset: offset))
    }

    static func intParameter(_ request: Request, _ name: String, default value: Int, range: ClosedRange<Int>) throws -> Int {
        guard let raw = request.uri.queryParameters.get(name) else { return value }
        guard let n = Int(raw), range.contains(n) else {
            let bound = range.upperBound == Int.max ? "\(range.lowerBound) or more" : "between \(range.lowerBound) and \(range.upperBound)"
            throw APIError.badQuery(name, "\(name) must be an integer \(bound), got '\(raw)'")
        }
        return n
    }
}
