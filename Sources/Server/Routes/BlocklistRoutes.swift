import Audio
import Basics
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
        api.get("ticket/:id/spectrogram", use: spectrogram)
    }

    /// A PNG spectrogram of a file verification looked at (`?file=` its path as the `verified` event
    /// gives it), with the cutoff marked; 404 when the ticket never verified such a file or it is gone.
    @Sendable func spectrogram(_ request: Request, context: BasicRequestContext) async throws -> Response {
        let id = try context.parameters.require("id")
        guard let file = request.uri.queryParameters.get("file"), !file.isEmpty else {
            throw APIError(.badRequest, code: "invalid_query", message: "the file to draw is missing (?file=PATH)", field: "file")
        }
        guard try await deps.database.ticket(id: id) != nil else { throw APIError.notFound(id) }
        let reports = try await deps.database.events(ticketId: id, since: 0).filter { $0.type == .verified }.reversed()
        var found: (path: String, cutoff: Int?)?
        for report in reports {
            guard let directory = report.payload["directory"]?.stringValue, case .array(let files)? = report.payload["files"],
                  let entry = files.first(where: { $0["path"]?.stringValue == file }) else { continue }
            let absolute = ((directory as NSString).appendingPathComponent(file) as NSString).standardizingPath
            guard absolute.hasPrefix((directory as NSString).standardizingPath + "/") else { continue }
            found = (absolute, entry["cutoff_hz"]?.intValue)
            break
        }
        guard let found else {
            throw APIError(.notFound, code: "file_not_verified", message: "ticket '\(id)' has no verified file '\(file)'", field: "file")
        }
        guard FileManager.default.fileExists(atPath: found.path) else {
            throw APIError(.notFound, code: "file_gone", message: "'\(file)' is no longer on disk (the release's payload was cleaned up)", field: "file")
        }
        let png = await runBlocking { Result { try Spectrogram.png(path: found.path, cutoffHz: found.cutoff) } }
        switch png {
        case .success(let bytes):
            return Response(status: .ok, headers: [.contentType: "image/png", .cacheControl: "no-cache"], body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes)))
        case .failure(let error):
            throw APIError(.unprocessableContent, code: "undrawable", message: "cannot draw '\(file)': \(error)", field: "file")
        }
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
        guard reason.count <= 2000 else { throw APIError(.unprocessableContent, code: "invalid_field", message: "at most 2000 characters", field: "reason") }
        let album = input.album?.trimmingCharacters(in: .whitespacesAndNewlines)
        if input.artist != nil, album == nil || album!.isEmpty {
            throw APIError(.unprocessableContent, code: "invalid_field", message: "an artist scope needs an album too", field: "album")
        }
        let entry = BlocklistEntry(
            infoHash: hash, title: input.title, reason: reason, artist: input.artist, album: album.flatMap { $0.isEmpty ? nil : $0 }, source: "operator")
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
            throw APIError(.unprocessableContent, code: "invalid_info_hash", message: "an info-hash is 40 (v1) or 64 (v2) hexadecimal digits", field: field)
        }
        return hash
    }
}
