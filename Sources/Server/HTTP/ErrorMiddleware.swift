import Hummingbird
import Logging
import NIOCore
import Pipeline
import Storage

/// Turns every error below it into the JSON error shape, so clients parse one format:
/// our own ``APIError``s, the framework's (404 route, 413 body), the pipeline's refusals, and
/// anything unexpected (500, logged; its text is not sent to the client).
struct ErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            return try Self.apiError(for: error, request: request, logger: context.logger).response(from: request, context: context)
        }
    }

    static func apiError(for error: any Error, request: Request, logger: Logger) -> APIError {
        switch error {
        case let e as APIError:
            return e
        case is NIOTooManyBytesError:
            return APIError(.contentTooLarge, code: "payload_too_large", message: "request body is larger than the configured limit")
        case let e as PipelineError:
            switch e {
            case .ticketNotFound(let id): return .notFound(id)
            case .illegalTransition: return APIError(.conflict, code: "illegal_transition", message: e.description)
            case .invalidCandidateIndex:
                return APIError(.unprocessableContent, code: "invalid_candidate_idx", message: e.description, field: "candidate_idx")
            case .invalidTicket(let v): return APIError(.unprocessableContent, code: "invalid_ticket", message: v.message, field: v.field)
            }
        case let e where StorageError.unavailable(from: e) != nil:
            // Nothing was stored: the client may send the same request again later.
            logger.error("storage unavailable for \(request.method) \(request.uri.path): \(e)")
            var unavailable = APIError(.serviceUnavailable, code: "storage_unavailable", message: StorageError.unavailable(from: e)!.description)
            unavailable.headers = [.retryAfter: "30"]
            return unavailable
        case let e as any HTTPResponseError:
            let code = e.status == .notFound ? "not_found" : e.status == .methodNotAllowed ? "method_not_allowed" : "http_\(e.status.code)"
            let message = e.status == .notFound ? "no route for \(request.method) \(request.uri.path)" : e.status.reasonPhrase
            return APIError(e.status, code: code, message: message)
        default:
            logger.error("unhandled error for \(request.method) \(request.uri.path): \(error)")
            return APIError(.internalServerError, code: "internal_error", message: "the server failed to handle this request; see its log")
        }
    }
}
