import Foundation
import Server
import Storage
import Testing
import Tickets

/// `JSONWriter` writes the API's ticket views by hand; these hold it to the bytes `JSONEncoder`
/// (`TicketJSON.encoder()`) makes for the same values, on values chosen to reach every branch:
/// optional members present and absent, escapes, non-ASCII text, fractional dates and numbers.
@Suite("Ticket views written by hand: the encoder's bytes")
struct TicketViewJSONTests {
    static let awkward = "quote \" backslash \\ slash / newline \n tab \t return \r bell \u{07} escape \u{1B} unit \u{1F} del \u{7F} é 東京 😀 \u{2028}"

    static func ticket(_ n: Int, full: Bool) -> Ticket {
        let durations: [Double?] = [
            284, 383.5, 0.1, 1e-7, 123_456_789.125, 0, nil, 3e20, 59.999999999, -0.0, 999_999_999, 1e9, 1e15, 9_007_199_254_740_992, -42,
        ]
        return Ticket(
            ticketId: "ticket-\(n)",
            createdAt: full ? Date(timeIntervalSince1970: 1_700_000_000.999) : nil,
            search: TicketSearch(
                artist: full ? awkward : "Radiohead", album: "OK Computer", year: full ? 1997 : nil,
                label: full ? "Parlophone" : nil, genres: full ? ["alternative rock", awkward, ""] : nil),
            tracks: (1...(full ? durations.count : 1)).map { i in
                TicketTrack(
                    catalogTrackId: "t\(i)", discNumber: 1 + i / 7, trackNumber: i, name: i == 3 ? awkward : "Track \(i)",
                    durationSecs: durations[i % durations.count], destPath: "/srv/media/\(n)/\(i).ogg")
            },
            images: full ? [TicketImage(catalogImageId: "img1", type: "cover_front", destPath: "/srv/media/\(n)/cover.jpg")] : [],
            constraints: TicketConstraints(
                format: full ? .flac : .oggVorbis, bitrateKbps: full ? 320 : nil, sampleRateHz: full ? 44_100 : nil,
                embedMetadata: !full, embedCover: full),
            metadataToEmbed: full ? MetadataToEmbed(artist: "Radiohead", album: nil, albumArtist: awkward, year: 1997, genre: "Rock") : nil,
            priority: full ? -3 : nil)
    }

    static let states: [TicketState] = {
        let at = Date(timeIntervalSince1970: 1_764_567_890.75)
        return [
            .pending(.init(since: at)),
            .pending(.init(since: Date(timeIntervalSince1970: 0.999), note: awkward)),
            .pending(.init(since: Date(timeIntervalSince1970: 4_102_444_799.5), note: "recovered after a restart")),
            .failed(.init(failedAtState: .searching, code: "no_candidates", error: awkward, retryable: true, retryCount: 2, failedAt: at)),
            .wanted(.init(reason: "nothing on the indexers", nextSearchAt: at, searches: 4)),
            .paused(.init(pausedFrom: .downloading, pausedAt: at, pausedBy: "operator")),
            .completed(
                .init(
                    completedAt: at,
                    stats: CompletionStats(
                        totalDownloadBytes: 109_000_000, downloadDurationSecs: 14, conversionDurationSecs: 3, finalSizeBytes: 40_000_000),
                    missing: [.init(kind: "track", catalogId: "t3", destPath: "/srv/media/3.ogg", reason: "not in the release")])),
        ]
    }()

    static func stored(_ n: Int, state: TicketState, full: Bool) -> StoredTicket {
        let ticket = ticket(n, full: full)
        let errors =
            full
            ? [
                TicketErrorEntry(
                    timestamp: Date(timeIntervalSince1970: 1_764_000_000.5), state: .searching, code: "indexer_timeout", message: awkward,
                    retryCount: 1),
                TicketErrorEntry(
                    timestamp: Date(timeIntervalSince1970: 1_764_000_100), state: .downloading, code: "stalled", message: "no peers", retryCount: 2),
            ] : []
        return StoredTicket(
            ticket: ticket, submittedJSON: "{}", state: state, priority: ticket.priority ?? 0, retryCount: errors.count,
            waitUntil: full ? Date(timeIntervalSince1970: 1_764_999_999.01) : nil, errorMessage: full ? awkward : nil,
            errorHistory: errors, searchQuery: full ? "radiohead ok computer" : nil, approval: nil,
            createdAt: Date(timeIntervalSince1970: 1_764_000_000.25), updatedAt: Date(timeIntervalSince1970: 1_764_000_001))
    }

    static let history = [
        TicketEvent(
            ticketId: "ticket-1", seq: 1, type: .created, payload: .object(["state": .string("pending")]),
            at: Date(timeIntervalSince1970: 1_764_000_000.25)),
        TicketEvent(
            ticketId: "ticket-1", seq: 2, type: .stateChange,
            payload: .object(["old_state": .string("pending"), "new_state": .string("searching"), "details": .object(["query": .string(awkward)])]),
            at: Date(timeIntervalSince1970: 1_764_000_001)),
    ]

    @Test("every state, with optional members present and absent, history or none: byte for byte the encoder's")
    func viewsMatchTheEncoder() throws {
        for (n, state) in Self.states.enumerated() {
            for full in [false, true] {
                for history in [nil, Self.history] {
                    let stored = Self.stored(n, state: state, full: full)
                    let written = try TicketView.json(stored, history: history)
                    let encoded = try TicketJSON.encoder().encode(TicketView(stored, history: history))
                    #expect(
                        written == encoded,
                        "state \(state.name), full \(full), history \(history != nil):\nwritten \(String(decoding: written, as: UTF8.self))\nencoded \(String(decoding: encoded, as: UTF8.self))"
                    )
                }
            }
        }
    }

    @Test("the submitted ticket and the details each state stores: the encoder's bytes, and they read back to the same bytes")
    func ticketsAndDetails() throws {
        for full in [false, true] {
            let ticket = Self.ticket(7, full: full)
            let written = try ticket.json()
            #expect(written == (try TicketJSON.encoder().encode(ticket)), "\(String(decoding: written, as: UTF8.self))")
            // Dates keep whole seconds on the wire, so what reads back is compared as written again.
            #expect(try TicketJSON.decoder().decode(Ticket.self, from: written).json() == written)
        }
        for state in Self.states {
            let written = try state.detailsJSON()
            #expect(written == (try TicketJSON.encoder().encode(state.details)), "\(state.name)")
            #expect(try TicketState(name: state.name, detailsJSON: written).detailsJSON() == written, "\(state.name) reads back")
        }
    }

    @Test("a list page: every view as written for one ticket, and the page's figures")
    func listPage() throws {
        let tickets = Self.states.enumerated().map { Self.stored($0.offset, state: $0.element, full: $0.offset % 2 == 0) }
        let page = try TicketView.listJSON(tickets, total: 42, limit: 7, offset: 14)
        var expected = Data(#"{"tickets":["#.utf8)
        for (i, ticket) in tickets.enumerated() {
            if i > 0 { expected.append(UInt8(ascii: ",")) }
            expected.append(try TicketJSON.encoder().encode(TicketView(ticket)))
        }
        expected.append(contentsOf: #"],"total":42,"limit":7,"offset":14}"#.utf8)
        #expect(page == expected)
        let empty = try TicketView.listJSON([], total: 0, limit: 50, offset: 0)
        #expect(String(decoding: empty, as: UTF8.self) == #"{"tickets":[],"total":0,"limit":50,"offset":0}"#)
    }

    @Test("a number JSON cannot hold is refused, as the encoder refuses it")
    func nonFiniteRefused() throws {
        var ticket = Self.ticket(1, full: false)
        ticket.tracks[0].durationSecs = .infinity
        #expect(throws: EncodingError.self) { try ticket.json() }
        #expect(throws: EncodingError.self) { try TicketJSON.encoder().encode(ticket) }
    }
}
