import Foundation
import Hummingbird
import Tickets

/// Releases that must not be downloaded again: listed, added by an operator, removed.
struct BlocklistRoutes: Sendable {
    let deps: ServerDependencies

    struct AddBody: Decodable {
        var infoHash: String
        var reason: String
        var title: String?
        var artist: String?
        var album: String?
    }

    struct ListView: Encodable {
        var entries: [BlocklistEntry]
        var count: Int
    }

    func register(on api: RouterGroup<BasicRequestContext>) {
        api.get("blocklist", use: list)
        api.post("blocklist", use: add)
        api.delete("blocklist/:info_hash", use: remove)
    }

    private var body: BodyReader { BodyReader(maxBytes: deps.config.server.maxBodyBytes) }

    @Sendable func list(_ request: Request, context: BasicRequestContext) async throws -> Response {
        let entries = try await deps.database.blocklist()
        return try JSONResponse.make(ListView(entries: entries, count: entries.count))
    }

    @Sendable func add(_ request: Request, context: BasicRequestContext) async throws -> Response {
        let input = try body.decode(AddBody.self, from: try await body.bytes(of: request))
        let hash = try Self.validHash(input.infoHash, field: "info_hash")
        let reason = input.reason.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reason.isEmpty else { throw APIError(.unprocessableContent, code: "invalid_field", message: "must not be empty", field: "reason") }
        guard reason.count <= 2000 else {
            throw APIError(.unprocessableContent, code: "invalid_field", message: "at most 2000 characters", field: "reason")
        }
        let album = input.album?.trimmingCharacters(in: .whitespacesAndNewlines)
        if input.artist != nil, album == nil || album!.isEmpty {
            throw APIError(.unprocessableContent, code: "invalid_field", message: "an artist scope needs an album too", field: "album")
        }
        let entry = BlocklistEntry(
            infoHash: hash, title: input.title, reason: reason, artist: input.artist, album: album.flatMap { $0.isEmpty ? nil : $0 },
            source: "operator")
        try await deps.database.addToBlocklist(entry)
        return try JSONResponse.make(entry, status: .created)
    }

    @Sendable func remove(_ request: Request, context: BasicRequestContext) async throws -> Response {
        let hash = try Self.validHash(try context.parameters.require("info_hash"), field: "info_hash")
        guard try await deps.database.removeFromBlocklist(infoHash: hash) else {
            throw APIError(.notFound, code: "not_blocklisted", message: "no blocklist entry for info-hash '\(hash)'")
        }
        return Response(status: .noContent)
    }

    /// A v1 info-hash (40 hex digits) or a v2 one (64), in lower case.
    static func validHash(_ raw: String, field: String) throws -> String {
        let hash = raw.trimmingCharacters(in: .whitespaces).lowercased()
        guard [40, 64].contains(hash.count), hash.allSatisfy(\.isHexDigit) else {
            throw APIError(
                .unprocessableContent, code: "invalid_info_hash", message: "an info-hash is 40 (v1) or 64 (v2) hexadecimal digits", field: field)
        }
        return hash
    }
}
