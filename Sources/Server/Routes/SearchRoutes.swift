import Foundation
import Hummingbird
import Pipeline
import Tickets

/// The interactive search: what every indexer answers for an artist and album, or for a ticket,
/// scored and explained; nothing is stored.
struct SearchRoutes: Sendable {
    let deps: ServerDependencies

    func register(on api: RouterGroup<BasicRequestContext>) {
        api.get("search", use: search)
        api.get("ticket/:id/search", use: ticketSearch)
    }

    private var engine: InteractiveSearch {
        get throws {
            guard let search = deps.search else {
                throw APIError(.serviceUnavailable, code: "search_unavailable", message: "this process runs no indexer search")
            }
            return search
        }
    }

    /// `?indexer=`: one of the configured names, or a 422 that lists them.
    private func indexer(_ request: Request, _ engine: InteractiveSearch) throws -> String? {
        guard let name = request.uri.queryParameters.get("indexer"), !name.isEmpty else { return nil }
        guard engine.indexerNames.contains(name) else {
            throw APIError(
                .unprocessableContent, code: "unknown_indexer",
                message: "no indexer is named '\(name)'; configured: \(engine.indexerNames.map { "'\($0)'" }.joined(separator: ", "))",
                field: "indexer")
        }
        return name
    }

    private func query(_ request: Request) throws -> String? {
        guard let q = request.uri.queryParameters.get("q")?.trimmingCharacters(in: .whitespaces), !q.isEmpty else { return nil }
        guard q.count <= 500 else { throw APIError(.unprocessableContent, code: "invalid_field", message: "at most 500 characters", field: "q") }
        return q
    }

    /// `GET /search?artist=&album=[&year=][&q=][&indexer=]`.
    @Sendable func search(_ request: Request, context: BasicRequestContext) async throws -> Response {
        let engine = try engine
        let parameters = request.uri.queryParameters
        func required(_ name: String) throws -> String {
            guard let value = parameters.get(name)?.trimmingCharacters(in: .whitespaces), !value.isEmpty else {
                throw APIError(.unprocessableContent, code: "missing_field", message: "'\(name)' is required", field: name)
            }
            guard value.count <= 500 else {
                throw APIError(.unprocessableContent, code: "invalid_field", message: "at most 500 characters", field: name)
            }
            return value
        }
        let artist = try required("artist"), album = try required("album")
        var year: Int?
        if let text = parameters.get("year"), !text.isEmpty {
            guard let value = Int(text), (1000...9999).contains(value) else {
                throw APIError(.unprocessableContent, code: "invalid_field", message: "a four-digit year, got '\(text)'", field: "year")
            }
            year = value
        }
        let blocked = try await deps.database.blockedHashes(artist: artist, album: album)
        let answer = await engine.run(
            InteractiveSearch.ticket(artist: artist, album: album, year: year), query: try query(request), indexer: try indexer(request, engine),
            blocked: blocked)
        return try JSONResponse.make(answer)
    }

    /// `GET /ticket/{id}/search[?q=][&indexer=]`: the ticket's own query tiers (or `q`), scored against its tracks.
    @Sendable func ticketSearch(_ request: Request, context: BasicRequestContext) async throws -> Response {
        let engine = try engine
        let id = try context.parameters.require("id")
        guard let stored = try await deps.database.ticket(id: id) else {
            throw APIError.notFound(id)
        }
        let blocked = try await deps.database.blockedHashes(artist: stored.ticket.search.artist, album: stored.ticket.search.album)
        var answer = await engine.run(
            stored.ticket, query: try query(request) ?? stored.searchQuery, indexer: try indexer(request, engine), blocked: blocked)
        if case .object(var fields) = answer {
            fields["ticket_id"] = .string(id)
            fields["state"] = .string(stored.state.name.rawValue)
            answer = .object(fields)
        }
        return try JSONResponse.make(answer)
    }
}
