import Foundation
import GRDB
import Basics
import Tickets

/// A row of `ticket`: the submitted JSON as received, the state and its details, queue fields.
struct TicketRecord: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "ticket"

    var id: String
    var ticketJSON: String
    var state: String
    var stateDetails: String
    var priority: Int
    var retryCount: Int
    var waitUntil: Date?
    var errorMessage: String?
    var errorHistory: String
    var searchQuery: String?
    /// The approval (`approved` or `auto_approved`, with its chosen release) that later stages
    /// work from; kept after the state moves on so a retry or a restart can go back to it.
    var approvalState: String?
    var approvalDetails: String?
    var createdAt: Date
    var updatedAt: Date

    enum Columns {
        static let id = Column("id")
        static let state = Column("state")
        static let priority = Column("priority")
        static let waitUntil = Column("waitUntil")
        static let createdAt = Column("createdAt")
    }

    /// Decodes the row into the public model; a row that no longer decodes is reported, not skipped.
    func stored() throws -> StoredTicket {
        let decoder = TicketJSON.decoder()
        do {
            return StoredTicket(
                ticket: try TicketDecodeCache.shared.value(id: id, text: ticketJSON) { try decoder.decode(Ticket.self, from: Data(ticketJSON.utf8)) },
                submittedJSON: ticketJSON,
                state: try decodedState(),
                priority: priority,
                retryCount: retryCount,
                waitUntil: waitUntil,
                errorMessage: errorMessage,
                errorHistory: errorHistory == "[]" ? [] : try decoder.decode([TicketErrorEntry].self, from: Data(errorHistory.utf8)),
                searchQuery: searchQuery,
                approval: try approval(),
                createdAt: createdAt,
                updatedAt: updatedAt)
        } catch let error as StorageError {
            throw error
        } catch {
            throw StorageError.corruptRow(ticketId: id, reason: "\(error)")
        }
    }

    /// The state, decoded once while its name and details are the same: a list of fifty tickets
    /// spent a tenth of its time decoding details that had not changed (`GET /tickets`). Only small
    /// details are kept (a state with its candidates' file lists can run to hundreds of kilobytes).
    func decodedState() throws -> TicketState {
        let name = try stateName()
        let keep = stateDetails.utf8.count <= StateDecodeCache.largestKept
        if keep, let known = StateDecodeCache.shared.cached(id: id, text: stateDetails), known.name == name { return known }
        let state = try TicketState(name: name, detailsJSON: Data(stateDetails.utf8))
        if keep { StateDecodeCache.shared.store(id: id, text: stateDetails, state) }
        return state
    }

    func stateName() throws -> TicketStateName {
        guard let name = TicketStateName(rawValue: state) else {
            throw StorageError.corruptRow(ticketId: id, reason: "unknown state '\(state)'")
        }
        return name
    }

    /// Replaces state and details; the caller has checked the transition.
    mutating func setState(_ newState: TicketState, at now: Date) throws {
        state = newState.name.rawValue
        // Redacted on the way in: a candidate's download link may carry an indexer key (it gets it back when fetched).
        stateDetails = try StoredText.json(String(decoding: try newState.detailsJSON(), as: UTF8.self))
        if newState.selectedCandidate != nil {
            approvalState = state
            approvalDetails = stateDetails
        }
        updatedAt = now
    }

    func approval() throws -> TicketState? {
        guard let approvalState, let approvalDetails else { return nil }
        guard let name = TicketStateName(rawValue: approvalState) else {
            throw StorageError.corruptRow(ticketId: id, reason: "unknown approval state '\(approvalState)'")
        }
        return try TicketState(name: name, detailsJSON: Data(approvalDetails.utf8))
    }

    /// The torrents this ticket holds: the release its approval chose, and the one it downloads.
    func heldTorrents() -> Set<String> {
        var held = Set<String>()
        if let hash = (try? approval())?.selectedCandidate?.torrent.infoHash.lowercased(), !hash.isEmpty { held.insert(hash) }
        if let name = try? stateName(), let state = try? TicketState(name: name, detailsJSON: Data(stateDetails.utf8)),
            case .downloading(let details) = state, !details.torrentHash.isEmpty
        {
            held.insert(details.torrentHash.lowercased())
        }
        return held
    }

    /// Makes `ticketTorrent` list exactly ``heldTorrents()`` for this ticket.
    func syncHeldTorrents(_ db: Database) throws {
        let held = heldTorrents()
        let stored = Set(try String.fetchAll(db, sql: "SELECT infoHash FROM ticketTorrent WHERE ticketId = ?", arguments: [id]))
        for hash in stored.subtracting(held) {
            try db.execute(sql: "DELETE FROM ticketTorrent WHERE ticketId = ? AND infoHash = ?", arguments: [id, hash])
        }
        for hash in held.subtracting(stored) {
            try db.execute(sql: "INSERT INTO ticketTorrent (ticketId, infoHash) VALUES (?, ?)", arguments: [id, hash])
        }
    }

    /// A transition on the row, checked against the state it holds: state and details, error,
    /// retry count, query and backoff. Returns the events the write must append, in order. Both
    /// stores call this, so a rule of the transition lives in one place.
    mutating func apply(_ update: TicketUpdate, at now: Date) throws -> [(type: TicketEventType, payload: JSONValue)] {
        let from = try stateName()
        let to = update.state.name
        do {
            try TicketTransitions.check(from: from, to: to)
        } catch {
            throw StorageError.illegalTransition(ticketId: id, error)
        }
        try setState(update.state, at: now)
        if let entry = update.error { try recordError(entry) }
        if let retryCount = update.retryCount { self.retryCount = retryCount }
        if let query = update.searchQuery { searchQuery = query }
        waitUntil = update.waitUntil
        let details = try JSONValue(json: Data(stateDetails.utf8))
        var events: [(type: TicketEventType, payload: JSONValue)] = [
            (.stateChange, .object(["old_state": .string(from.rawValue), "new_state": .string(to.rawValue), "details": details]))
        ]
        if case .needsApproval(let waiting) = update.state { events.append((.needsApproval, try JSONValue(encoding: waiting))) }
        if let note = update.note { events.append(note) }
        return events
    }

    /// Refuses a write meant for a ticket in `state` when it has moved on.
    func require(state: TicketStateName) throws {
        let current = try stateName()
        guard current == state else { throw StorageError.illegalTransition(ticketId: id, IllegalTransition(from: current, to: state)) }
    }

    /// Records an error as the latest message and in the bounded history.
    mutating func recordError(_ entry: TicketErrorEntry) throws {
        var history = try TicketJSON.decoder().decode([TicketErrorEntry].self, from: Data(errorHistory.utf8))
        var entry = entry
        entry.message = StoredText.plain(entry.message)
        history.append(entry)
        history = Array(history.suffix(TicketErrorEntry.historyLimit))
        errorHistory = String(decoding: try TicketJSON.encoder().encode(history), as: UTF8.self)
        errorMessage = entry.message
    }
}

/// Decoded tickets by id: a ticket's JSON never changes once stored, and decoding it (snake_case keys,
/// ISO dates) is most of what reading a row costs (`make bench-api`).
enum TicketDecodeCache {
    static let shared = TextVersionedCache<Ticket>(capacity: 4096)
}

/// Each ticket's decoded state by id, while its stored details are the same text.
enum StateDecodeCache {
    static let shared = TextVersionedCache<TicketState>(capacity: 4096)
    /// Bytes of stored details: at most 4096 × 2 KiB of text, and their decoded values, are kept.
    static let largestKept = 2_048
}
