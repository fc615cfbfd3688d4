public import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// JSON written member by member in the project's dialect (`TicketJSON`): the bytes
/// `TicketJSON.encoder()` makes for the same value (snake_case keys in sorted order, ISO-8601 dates
/// in UTC to the second, `/` left unescaped), for the types the API writes on every request.
///
/// `JSONEncoder` spends most of a small document's time building containers and converting every
/// key to snake_case (`make bench-api`'s profile of `POST /ticket`); here a key is a literal and a
/// value a copy. Types that are rare on the wire go through ``encoded(_:)``, which is the encoder.
/// The test suite holds each hand-written type to the encoder's exact bytes.
public struct JSONWriter {
    public private(set) var bytes: [UInt8] = []
    /// A value was just completed: the next member or element needs a comma before it.
    private var needsComma = false

    public init(capacity: Int = 1_024) {
        bytes.reserveCapacity(capacity)
    }

    public var data: Data { Data(bytes) }

    // MARK: Structure

    public mutating func beginObject() {
        separate()
        bytes.append(UInt8(ascii: "{"))
        needsComma = false
    }

    public mutating func endObject() {
        bytes.append(UInt8(ascii: "}"))
        needsComma = true
    }

    public mutating func beginArray() {
        separate()
        bytes.append(UInt8(ascii: "["))
        needsComma = false
    }

    public mutating func endArray() {
        bytes.append(UInt8(ascii: "]"))
        needsComma = true
    }

    /// Starts a member. `name` is written as it is: a snake_case key that needs no escaping.
    public mutating func key(_ name: StaticString) {
        separate()
        bytes.append(UInt8(ascii: "\""))
        name.withUTF8Buffer { bytes.append(contentsOf: $0) }
        bytes.append(UInt8(ascii: "\""))
        bytes.append(UInt8(ascii: ":"))
        needsComma = false
    }

    private mutating func separate() {
        if needsComma { bytes.append(UInt8(ascii: ",")) }
    }

    // MARK: Values

    public mutating func null() {
        separate()
        bytes.append(contentsOf: "null".utf8)
        needsComma = true
    }

    public mutating func bool(_ value: Bool) {
        separate()
        bytes.append(contentsOf: (value ? "true" : "false").utf8)
        needsComma = true
    }

    public mutating func int(_ value: some BinaryInteger) {
        separate()
        if let small = Int(exactly: value) {
            decimal(small)
        } else {
            bytes.append(contentsOf: String(value).utf8)
        }
        needsComma = true
    }

    /// The decimal digits of `value`, without building a `String`.
    private mutating func decimal(_ value: Int) {
        if value < 0 { bytes.append(UInt8(ascii: "-")) }
        var magnitude = value.magnitude
        var digits:
            (
                UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8
            ) = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        withUnsafeMutableBytes(of: &digits) { buffer in
            var start = buffer.count
            repeat {
                start -= 1
                buffer[start] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
            } while magnitude > 0
            bytes.append(contentsOf: buffer[start...])
        }
    }

    /// As `JSONEncoder` writes a `Double`: its shortest description, without a trailing `.0`.
    /// Infinity and NaN have no JSON form and are refused, as the encoder refuses them.
    public mutating func double(_ value: Double) throws {
        guard value.isFinite else {
            throw EncodingError.invalidValue(value, .init(codingPath: [], debugDescription: "\(value) has no JSON form"))
        }
        separate()
        // A whole number well inside the range written without an exponent (a duration in
        // seconds, mostly) is its integer's digits, as "240.0" less its ".0" is; -0 keeps its sign.
        if value.magnitude < 1e9, value.rounded(.towardZero) == value, !(value == 0 && value.sign == .minus) {
            decimal(Int(value))
        } else {
            var text = value.description
            if text.hasSuffix(".0") { text.removeLast(2) }
            bytes.append(contentsOf: text.utf8)
        }
        needsComma = true
    }

    /// `yyyy-MM-ddTHH:mm:ssZ` in UTC; the fraction of a second is dropped, as `.iso8601` drops it.
    public mutating func date(_ value: Date) {
        separate()
        var seconds = time_t(value.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        bytes.append(UInt8(ascii: "\""))
        digits(Int(parts.tm_year) + 1900, width: 4)
        bytes.append(UInt8(ascii: "-"))
        digits(Int(parts.tm_mon) + 1, width: 2)
        bytes.append(UInt8(ascii: "-"))
        digits(Int(parts.tm_mday), width: 2)
        bytes.append(UInt8(ascii: "T"))
        digits(Int(parts.tm_hour), width: 2)
        bytes.append(UInt8(ascii: ":"))
        digits(Int(parts.tm_min), width: 2)
        bytes.append(UInt8(ascii: ":"))
        digits(Int(parts.tm_sec), width: 2)
        bytes.append(UInt8(ascii: "Z"))
        bytes.append(UInt8(ascii: "\""))
        needsComma = true
    }

    private mutating func digits(_ value: Int, width: Int) {
        var divisor = 1
        for _ in 1..<width { divisor *= 10 }
        var rest = value
        while divisor > 0 {
            bytes.append(UInt8(ascii: "0") + UInt8(rest / divisor % 10))
            rest %= divisor
            divisor /= 10
        }
    }

    /// A string with `"`, `\` and control characters escaped as `JSONEncoder` escapes them;
    /// everything else, `/` and non-ASCII included, as its UTF-8 bytes.
    public mutating func string(_ value: String) {
        separate()
        bytes.append(UInt8(ascii: "\""))
        var value = value
        value.withUTF8 { utf8 in
            var runStart = 0
            for (index, byte) in utf8.enumerated() where byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<index]))
                runStart = index + 1
                escape(byte)
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart...]))
        }
        bytes.append(UInt8(ascii: "\""))
        needsComma = true
    }

    private mutating func escape(_ byte: UInt8) {
        bytes.append(UInt8(ascii: "\\"))
        switch byte {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"): bytes.append(byte)
        case 0x08: bytes.append(UInt8(ascii: "b"))
        case 0x0C: bytes.append(UInt8(ascii: "f"))
        case 0x0A: bytes.append(UInt8(ascii: "n"))
        case 0x0D: bytes.append(UInt8(ascii: "r"))
        case 0x09: bytes.append(UInt8(ascii: "t"))
        default:
            let hex = Array("0123456789abcdef".utf8)
            bytes.append(contentsOf: [UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0"), hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]])
        }
    }

    /// A value already in JSON, written as it is.
    public mutating func raw(_ json: some Sequence<UInt8>) {
        separate()
        bytes.append(contentsOf: json)
        needsComma = true
    }

    /// Any other value, through `TicketJSON.encoder()`.
    public mutating func encoded(_ value: some Encodable) throws {
        raw(try TicketJSON.encoder().encode(value))
    }

    public mutating func value(_ value: some JSONWritable) throws {
        try value.writeJSON(to: &self)
    }

    public mutating func array<Element: JSONWritable>(_ elements: [Element]) throws {
        beginArray()
        for element in elements { try element.writeJSON(to: &self) }
        endArray()
    }

    public mutating func array(_ elements: [String]) {
        beginArray()
        for element in elements { string(element) }
        endArray()
    }

    // MARK: Members: a key and its value, left out when nil as the encoder's `encodeIfPresent` leaves them out

    public mutating func member(_ name: StaticString, _ value: String?) {
        guard let value else { return }
        key(name)
        string(value)
    }

    public mutating func member(_ name: StaticString, _ value: Int?) {
        guard let value else { return }
        key(name)
        int(value)
    }

    public mutating func member(_ name: StaticString, _ value: Double?) throws {
        guard let value else { return }
        key(name)
        try double(value)
    }

    public mutating func member(_ name: StaticString, _ value: Date?) {
        guard let value else { return }
        key(name)
        date(value)
    }
}

/// A type ``JSONWriter`` writes by hand, to the same bytes as its `Encodable` conformance.
public protocol JSONWritable {
    func writeJSON(to writer: inout JSONWriter) throws
}

extension JSONWritable {
    /// The value as JSON, as `TicketJSON.encoder()` would encode it.
    public func json() throws -> Data {
        var writer = JSONWriter()
        try writeJSON(to: &writer)
        return writer.data
    }
}

// MARK: The ticket as submitted

extension Ticket: JSONWritable {
    public func writeJSON(to w: inout JSONWriter) throws {
        w.beginObject()
        w.key("constraints")
        try w.value(constraints)
        w.member("created_at", createdAt)
        w.key("images")
        try w.array(images)
        if let metadataToEmbed {
            w.key("metadata_to_embed")
            try w.value(metadataToEmbed)
        }
        w.member("priority", priority)
        w.key("search")
        try w.value(search)
        w.member("ticket_id", ticketId)
        w.key("tracks")
        try w.array(tracks)
        w.endObject()
    }
}

extension TicketSearch: JSONWritable {
    public func writeJSON(to w: inout JSONWriter) throws {
        w.beginObject()
        w.member("album", album)
        w.member("artist", artist)
        if let genres {
            w.key("genres")
            w.array(genres)
        }
        w.member("label", label)
        w.member("year", year)
        w.endObject()
    }
}

extension TicketTrack: JSONWritable {
    public func writeJSON(to w: inout JSONWriter) throws {
        w.beginObject()
        w.member("catalog_track_id", catalogTrackId)
        w.member("dest_path", destPath)
        w.member("disc_number", discNumber)
        try w.member("duration_secs", durationSecs)
        w.member("name", name)
        w.member("track_number", trackNumber)
        w.endObject()
    }
}

extension TicketImage: JSONWritable {
    public func writeJSON(to w: inout JSONWriter) throws {
        w.beginObject()
        w.member("catalog_image_id", catalogImageId)
        w.member("dest_path", destPath)
        w.member("type", type)
        w.endObject()
    }
}

extension TicketConstraints: JSONWritable {
    public func writeJSON(to w: inout JSONWriter) throws {
        w.beginObject()
        w.member("bitrate_kbps", bitrateKbps)
        w.key("embed_cover")
        w.bool(embedCover)
        w.key("embed_metadata")
        w.bool(embedMetadata)
        w.member("format", format.rawValue)
        w.member("sample_rate_hz", sampleRateHz)
        w.endObject()
    }
}

extension MetadataToEmbed: JSONWritable {
    public func writeJSON(to w: inout JSONWriter) throws {
        w.beginObject()
        w.member("album", album)
        w.member("album_artist", albumArtist)
        w.member("artist", artist)
        w.member("genre", genre)
        w.member("year", year)
        w.endObject()
    }
}

// MARK: State

extension TicketErrorEntry: JSONWritable {
    public func writeJSON(to w: inout JSONWriter) throws {
        w.beginObject()
        w.member("code", code)
        w.member("message", message)
        w.member("retry_count", retryCount)
        w.member("state", state.rawValue)
        w.member("timestamp", timestamp)
        w.endObject()
    }
}

extension TicketState.Pending: JSONWritable {
    public func writeJSON(to w: inout JSONWriter) throws {
        w.beginObject()
        w.member("note", note)
        w.member("since", since)
        w.endObject()
    }
}

extension TicketState.Details: JSONWritable {
    /// A new ticket's details (`pending`) by hand, the others through the encoder.
    public func writeJSON(to w: inout JSONWriter) throws {
        if case .pending(let pending) = state {
            try w.value(pending)
        } else {
            try w.encoded(self)
        }
    }
}
