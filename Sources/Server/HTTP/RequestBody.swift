import Foundation
import Hummingbird
import Tickets

/// Reading JSON bodies: size-limited, and every failure named for the client.
struct BodyReader: Sendable {
    let maxBytes: Int

    /// The raw body, refused with 413 past `maxBytes`.
    func bytes(of request: Request) async throws -> Data {
        var request = request
        let buffer = try await request.collectBody(upTo: maxBytes)
        return Data(buffer: buffer)
    }

    /// Decodes `T`, mapping syntax errors to 400 and wrong or missing fields to 422 with their path.
    func decode<T: Decodable>(_ type: T.Type, from data: Data, allowEmpty: Bool = false, emptyValue: T? = nil) throws -> T {
        if data.isEmpty || data.allSatisfy({ [0x20, 0x0a, 0x0d, 0x09].contains($0) }) {
            if allowEmpty, let emptyValue { return emptyValue }
            throw APIError(.badRequest, code: "invalid_json", message: "the request body is empty; a JSON object is expected")
        }
        do {
            return try TicketJSON.decoder().decode(T.self, from: data)
        } catch let error as DecodingError {
            // Only a failed body is parsed a second time, to tell broken JSON from a wrong field.
            try Self.refuseInvalidSyntax(data)
            throw Self.apiError(error)
        }
    }

    /// 400 naming the syntax error, when `data` is not JSON at all.
    private static func refuseInvalidSyntax(_ data: Data) throws {
        do {
            _ = try JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
        } catch {
            throw APIError(.badRequest, code: "invalid_json", message: "the request body is not valid JSON: \(Self.syntaxProblem(error))")
        }
    }

    private static func syntaxProblem(_ error: any Error) -> String {
        let ns = error as NSError
        return (ns.userInfo["NSDebugDescription"] as? String) ?? ns.localizedDescription
    }

    static func apiError(_ error: DecodingError) -> APIError {
        func path(_ codingPath: [any CodingKey], appending key: (any CodingKey)? = nil) -> String {
            var out = ""
            for k in codingPath + (key.map { [$0] } ?? []) {
                if let i = k.intValue {
                    out += "[\(i)]"
                } else {
                    out += (out.isEmpty ? "" : ".") + TicketJSON.wireName(k.stringValue)
                }
            }
            return out
        }
        switch error {
        case .keyNotFound(let key, let context):
            return APIError(
                .unprocessableContent, code: "missing_field", message: "required field is missing", field: path(context.codingPath, appending: key))
        case .valueNotFound(let type, let context):
            return APIError(
                .unprocessableContent, code: "invalid_field", message: "must not be null (expected \(typeName(type)))",
                field: path(context.codingPath))
        case .typeMismatch(let type, let context):
            let field = path(context.codingPath)
            if field.isEmpty {
                return APIError(.badRequest, code: "invalid_json", message: "the request body must be a JSON object")
            }
            return APIError(.unprocessableContent, code: "invalid_field", message: "expected \(typeName(type))", field: field)
        case .dataCorrupted(let context):
            let field = path(context.codingPath)
            var message = context.debugDescription
            if field.hasSuffix("format") {
                message = "unknown format; expected one of \(AudioFormat.allCases.map(\.rawValue).joined(separator: ", "))"
            }
            return APIError(
                field.isEmpty ? .badRequest : .unprocessableContent, code: field.isEmpty ? "invalid_json" : "invalid_field", message: message,
                field: field.isEmpty ? nil : field)
        @unknown default:
            return APIError(.badRequest, code: "invalid_json", message: "\(error)")
        }
    }

    private static func typeName(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Int.Type, is Int64.Type: "an integer"
        case is Double.Type: "a number"
        case is Bool.Type: "true or false"
        case is [Any].Type: "an array"
        default: type is any Collection.Type ? "an array" : "an object"
        }
    }
}
