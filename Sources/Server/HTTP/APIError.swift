import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import Tickets

/// An API error in the shape of docs/ARCHITECTURE.md#http-api: `{"error":{"code":"…","message":"…","field":"…"}}`.
public struct APIError: HTTPResponseError, Sendable {
    public var status: HTTPResponse.Status
    public var code: String
    public var message: String
    public var field: String?
    public var headers: HTTPFields = [:]

    public init(_ status: HTTPResponse.Status, code: String, message: String, field: String? = nil) {
        self.status = status
        self.code = code
        self.message = message
        self.field = field
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var body: [String: JSONValue] = ["code": .string(code), "message": .string(message)]
        if let field { body["field"] = .string(field) }
        var response = try JSONResponse.make(JSONValue.object(["error": .object(body)]), status: status)
        response.headers.append(contentsOf: headers)
        return response
    }

    static func notFound(_ id: String) -> APIError {
        APIError(.notFound, code: "ticket_not_found", message: "no ticket with id '\(id)'")
    }

    static func badQuery(_ field: String, _ message: String) -> APIError {
        APIError(.badRequest, code: "invalid_query", message: message, field: field)
    }
}

/// JSON responses through the project's one JSON dialect.
enum JSONResponse {
    /// A body already encoded.
    static func raw(_ data: Data, status: HTTPResponse.Status = .ok) -> Response {
        raw(ByteBuffer(bytes: data), status: status)
    }

    static func raw(_ buffer: ByteBuffer, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: "application/json; charset=utf-8"], body: ResponseBody(byteBuffer: buffer))
    }

    static func make(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        let data = try TicketJSON.encoder().encode(value)
        return Response(
            status: status, headers: [.contentType: "application/json; charset=utf-8"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }
}
