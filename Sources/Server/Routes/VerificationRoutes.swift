import Audio
import Basics
import Foundation
import Hummingbird
import Tickets

/// What verification found, drawn: a spectrogram of a file a ticket's `verified` event lists.
struct VerificationRoutes: Sendable {
    let deps: ServerDependencies

    func register(on api: RouterGroup<BasicRequestContext>) {
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
                let entry = files.first(where: { $0["path"]?.stringValue == file })
            else { continue }
            let absolute = ((directory as NSString).appendingPathComponent(file) as NSString).standardizingPath
            guard absolute.hasPrefix((directory as NSString).standardizingPath + "/") else { continue }
            found = (absolute, entry["cutoff_hz"]?.intValue)
            break
        }
        guard let found else {
            throw APIError(.notFound, code: "file_not_verified", message: "ticket '\(id)' has no verified file '\(file)'", field: "file")
        }
        guard FileManager.default.fileExists(atPath: found.path) else {
            throw APIError(
                .notFound, code: "file_gone", message: "'\(file)' is no longer on disk (the release's payload was cleaned up)", field: "file")
        }
        let png = await runBlocking { Result { try Spectrogram.png(path: found.path, cutoffHz: found.cutoff) } }
        switch png {
        case .success(let bytes):
            return Response(
                status: .ok, headers: [.contentType: "image/png", .cacheControl: "no-cache"], body: ResponseBody(byteBuffer: ByteBuffer(bytes: bytes))
            )
        case .failure(let error):
            throw APIError(.unprocessableContent, code: "undrawable", message: "cannot draw '\(file)': \(error)", field: "file")
        }
    }
}
