import Basics
import Foundation
import Tickets

/// The storage boundary for secrets: whatever JSON or text goes into the database passes here, so
/// no indexer key or token is ever written (a redacted link gets its key back when fetched).
enum StoredText {
    /// JSON with every secret inside its string values redacted. Redaction works on the decoded
    /// strings, never on the JSON text, so quotes and escapes can never be broken by it.
    static func json(_ text: String) throws -> String {
        guard Secrets.shared.redact(text) != text else { return text }
        let redacted = try JSONValue(json: Data(text.utf8)).mappingStrings { Secrets.shared.redact($0) }
        return String(decoding: try TicketJSON.encoder().encode(redacted), as: UTF8.self)
    }

    static func json(_ value: JSONValue) throws -> String {
        try json(String(decoding: try TicketJSON.encoder().encode(value), as: UTF8.self))
    }

    static func plain(_ text: String) -> String { Secrets.shared.redact(text) }
}
