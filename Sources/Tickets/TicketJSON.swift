public import Foundation

/// The one JSON dialect of the project: snake_case keys on the wire, ISO-8601 dates.
///
/// Every encoder and decoder of contract types (tickets, states, events, API bodies) comes from
/// here, so the wire format cannot drift between the API, the database and the WebSocket.
public enum TicketJSON {
    public static func encoder(pretty: Bool = false) -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = pretty ? [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes] : [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }

    public static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }

    /// `ticketId` → `ticket_id`: how a Swift property name appears on the wire (for error paths).
    public static func wireName(_ swiftName: String) -> String {
        var out = ""
        for ch in swiftName {
            if ch.isUppercase {
                out += "_" + ch.lowercased()
            } else {
                out.append(ch)
            }
        }
        return out
    }
}
