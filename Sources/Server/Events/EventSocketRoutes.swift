import Foundation
import Hummingbird
import HummingbirdWebSocket
import Tickets

/// `WS /api/v1/ws?ticket_id=…&since=SEQ`: the event history of one ticket from `since`, then live;
/// without `ticket_id`, every ticket's events from now on. Messages are `TicketEvent` JSON
/// (`ticket_id`, `seq`, `type`, `payload`, `at`); types include `state_change`, `progress` and
/// `needs_approval` (docs/ARCHITECTURE.md#events-and-the-websocket). The upgrade request needs the same bearer token as the API.
func buildWebSocketRouter(_ deps: ServerDependencies) -> Router<BasicWebSocketRequestContext> {
    let router = Router(context: BasicWebSocketRequestContext.self)
    router.add(middleware: ErrorMiddleware())
    router.add(middleware: BearerAuthMiddleware(token: deps.authToken, openPaths: [], acceptsSubprotocolToken: true))
    let feed = EventFeed(database: deps.database, bus: deps.orchestrator.events, remote: deps.remoteEvents)
    router.ws(RouterPath("\(apiPrefix)/ws")) { request, _ in
        let (ticketId, _) = try EventSocketQuery.parse(request)
        if let ticketId, try await deps.database.ticket(id: ticketId) == nil {
            throw APIError(.notFound, code: "not_found", message: "no ticket '\(ticketId)'")
        }
        // A browser that offered subprotocols must get one of them back, or it drops the connection.
        if BearerAuthMiddleware<BasicWebSocketRequestContext>.subprotocolToken(request) != nil {
            return .upgrade([.secWebSocketProtocol: "downloader2.v1"])
        }
        return .upgrade([:])
    } onUpgrade: { inbound, outbound, context in
        let (ticketId, since) = try EventSocketQuery.parse(context.request)
        let encoder = TicketJSON.encoder()
        try await withThrowingTaskGroup(of: Void.self) { group in
            // The client sends nothing we need, but reading is how its close frame arrives.
            group.addTask { for try await _ in inbound {} }
            group.addTask {
                try await feed.run(ticketId: ticketId, since: since) { event in
                    try await outbound.write(.text(String(decoding: try encoder.encode(event), as: UTF8.self)))
                }
            }
            try await group.next()
            group.cancelAll()
        }
    }
    return router
}

/// A plain GET of the socket path (no upgrade headers) gets the query checked and a clear answer.
func registerEventSocketHint(on api: RouterGroup<BasicRequestContext>) {
    api.get("ws") { request, _ -> Response in
        _ = try EventSocketQuery.parse(request)
        throw APIError(
            .upgradeRequired, code: "websocket_required", message: "this endpoint speaks WebSocket: connect with an Upgrade: websocket request")
    }
}

enum EventSocketQuery {
    static func parse(_ request: Request) throws -> (ticketId: String?, since: Int) {
        let query = request.uri.queryParameters
        let ticketId = query.get("ticket_id").flatMap { $0.isEmpty ? nil : $0 }
        guard let raw = query.get("since") else { return (ticketId, 0) }
        guard let since = Int(raw), since >= 0 else {
            throw APIError(
                .badRequest, code: "invalid_query", message: "since must be a non-negative event sequence number, got '\(raw)'", field: "since")
        }
        guard ticketId != nil else {
            throw APIError(.badRequest, code: "invalid_query", message: "since needs ticket_id: sequence numbers are per ticket", field: "since")
        }
        return (ticketId, since)
    }
}
