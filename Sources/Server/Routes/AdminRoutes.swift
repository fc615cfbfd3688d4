import Foundation
import Hummingbird
import Pipeline
import Tickets

/// Operator actions; each is checked against the transition table (409 when illegal).
struct AdminRoutes: Sendable {
    let deps: ServerDependencies

    /// `candidate_idx` picks among the ticket's candidates; `release` is one from an interactive search.
    struct ApproveBody: Decodable {
        var candidateIdx: Int?
        var release: ScoredCandidate?
    }
    struct RejectBody: Decodable { var reason: String? }
    struct ForceSearchBody: Decodable { var query: String }

    func register(on api: RouterGroup<BasicRequestContext>) {
        api.post("ticket/:id/approve", use: approve)
        api.post("ticket/:id/reject", use: reject)
        api.post("ticket/:id/retry", use: retry)
        api.post("ticket/:id/force-search", use: forceSearch)
        api.post("ticket/:id/pause", use: pause)
        api.post("ticket/:id/resume", use: resume)
        api.post("pause", use: pauseAll)
        api.post("resume", use: resumeAll)
    }

    struct GlobalPauseView: Encodable {
        var pausedAll: Bool
        /// The tickets this call paused or resumed.
        var tickets: [String]
    }

    @Sendable func pauseAll(_ request: Request, context: BasicRequestContext) async throws -> Response {
        let paused = try await deps.orchestrator.pauseAll()
        return try JSONResponse.make(GlobalPauseView(pausedAll: true, tickets: paused.map(\.id)))
    }

    @Sendable func resumeAll(_ request: Request, context: BasicRequestContext) async throws -> Response {
        let resumed = try await deps.orchestrator.resumeAll()
        return try JSONResponse.make(GlobalPauseView(pausedAll: false, tickets: resumed.map(\.id)))
    }

    @Sendable func pause(_ request: Request, context: BasicRequestContext) async throws -> Response {
        let id = try context.parameters.require("id")
        return JSONResponse.raw(try TicketView.json(try await deps.orchestrator.pause(id)))
    }

    @Sendable func resume(_ request: Request, context: BasicRequestContext) async throws -> Response {
        let id = try context.parameters.require("id")
        return JSONResponse.raw(try TicketView.json(try await deps.orchestrator.resume(id)))
    }

    private var body: BodyReader { BodyReader(maxBytes: deps.config.server.maxBodyBytes) }

    @Sendable func approve(_ request: Request, context: BasicRequestContext) async throws -> Response {
        let id = try context.parameters.require("id")
        let input = try body.decode(ApproveBody.self, from: try await body.bytes(of: request), allowEmpty: true, emptyValue: ApproveBody())
        if let idx = input.candidateIdx, idx < 0 {
            throw APIError(.unprocessableContent, code: "invalid_candidate_idx", message: "candidate_idx must be 0 or more", field: "candidate_idx")
        }
        if let release = input.release {
            guard input.candidateIdx == nil else {
                throw APIError(.unprocessableContent, code: "invalid_field", message: "give candidate_idx or release, not both", field: "release")
            }
            let hash = release.torrent.infoHash
            guard hash.isEmpty || (hash.count == 40 && hash.allSatisfy(\.isHexDigit)) else {
                throw APIError(.unprocessableContent, code: "invalid_field", message: "info_hash must be 40 hexadecimal digits", field: "release")
            }
            guard !hash.isEmpty || release.torrent.magnetUri != nil || release.torrent.downloadUrl != nil else {
                throw APIError(
                    .unprocessableContent, code: "invalid_field", message: "the release has no info_hash, magnet_uri or download_url",
                    field: "release")
            }
            var chosen = release
            chosen.torrent.infoHash = hash.lowercased()
            return JSONResponse.raw(try TicketView.json(try await deps.orchestrator.approve(id, release: chosen)))
        }
        return JSONResponse.raw(try TicketView.json(try await deps.orchestrator.approve(id, candidateIdx: input.candidateIdx)))
    }

    @Sendable func reject(_ request: Request, context: BasicRequestContext) async throws -> Response {
        let id = try context.parameters.require("id")
        let input = try body.decode(RejectBody.self, from: try await body.bytes(of: request), allowEmpty: true, emptyValue: RejectBody())
        return JSONResponse.raw(try TicketView.json(try await deps.orchestrator.reject(id, reason: input.reason)))
    }

    @Sendable func retry(_ request: Request, context: BasicRequestContext) async throws -> Response {
        let id = try context.parameters.require("id")
        return JSONResponse.raw(try TicketView.json(try await deps.orchestrator.retry(id)))
    }

    @Sendable func forceSearch(_ request: Request, context: BasicRequestContext) async throws -> Response {
        let id = try context.parameters.require("id")
        let input = try body.decode(ForceSearchBody.self, from: try await body.bytes(of: request))
        let query = input.query.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !query.isEmpty else {
            throw APIError(.unprocessableContent, code: "invalid_field", message: "must not be empty", field: "query")
        }
        return JSONResponse.raw(try TicketView.json(try await deps.orchestrator.forceSearch(id, query: query)))
    }
}
