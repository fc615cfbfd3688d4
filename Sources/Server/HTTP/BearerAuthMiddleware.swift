import Foundation
import Hummingbird

/// Requires `Authorization: Bearer <token>` on every request except the open paths (health).
///
/// The comparison takes the same time wherever the first difference is, so the token cannot be
/// guessed byte by byte from response times.
package struct BearerAuthMiddleware<Context: RequestContext>: RouterMiddleware {
    let token: [UInt8]
    let openPaths: Set<String>
    /// WebSocket upgrades may carry the token as a `bearer.<token>` subprotocol instead: a browser
    /// cannot set headers on a WebSocket, and a token in the URL would end up in logs.
    let acceptsSubprotocolToken: Bool

    init(token: String, openPaths: Set<String>, acceptsSubprotocolToken: Bool = false) {
        self.token = Array(token.utf8)
        self.openPaths = openPaths
        self.acceptsSubprotocolToken = acceptsSubprotocolToken
    }

    /// The token a browser offered as a subprotocol, if any.
    static func subprotocolToken(_ request: Request) -> String? {
        guard let offered = request.headers[.secWebSocketProtocol] else { return nil }
        return offered.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            .first { $0.hasPrefix("bearer.") }.map { String($0.dropFirst("bearer.".count)) }
    }

    package func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if openPaths.contains(request.uri.path) {
            return try await next(request, context)
        }
        if acceptsSubprotocolToken, request.headers[.authorization] == nil, let offered = Self.subprotocolToken(request) {
            guard Self.constantTimeEquals(Array(offered.utf8), token) else { throw unauthorized("the bearer token is not valid") }
            return try await next(request, context)
        }
        guard let header = request.headers[.authorization] else {
            throw unauthorized("missing 'Authorization: Bearer <token>' header")
        }
        let prefix = "Bearer "
        guard header.hasPrefix(prefix) else { throw unauthorized("the Authorization header must use the Bearer scheme") }
        guard Self.constantTimeEquals(Array(header.utf8.dropFirst(prefix.utf8.count)), token) else {
            throw unauthorized("the bearer token is not valid")
        }
        return try await next(request, context)
    }

    private func unauthorized(_ message: String) -> APIError {
        var error = APIError(.unauthorized, code: "unauthorized", message: message)
        error.headers[.wwwAuthenticate] = "Bearer"
        return error
    }

    package static func constantTimeEquals(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        var difference: UInt8 = a.count == b.count ? 0 : 1
        for i in 0..<max(a.count, b.count) {
            difference |= (i < a.count ? a[i] : 0) ^ (i < b.count ? b[i] : 0)
        }
        return difference == 0
    }
}
