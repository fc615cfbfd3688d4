import Foundation
import Tickets

/// Everything the pipeline, the API and the CLI ask of the database, whichever database it is:
/// ``AppDatabase`` (SQLite, one node, the default) or ``PostgresStore`` (several nodes sharing one
/// PostgreSQL). Both pass the same conformance suite (`TicketStoreConformanceTests`).
///
/// Every method is one transaction. A write that moves a ticket checks the transition table against
/// the state stored at that moment, inside the write.
public protocol TicketStore: Sendable {
    /// A number that grows with every committed change to any ticket or its events that this process
    /// knows of (its own writes, and for a shared store the changes other nodes announce). A view
    /// derived from tickets stays current for as long as the number stays the same.
    var ticketGeneration: UInt64 { get }

    /// A trivial query: the health check's "database ok".
    func ping() async throws

    /// Stores a new ticket as `pending` with a `created` event, or returns the one already stored
    /// under the same `ticket_id` (submission is idempotent; the stored ticket is never replaced).
    func insertTicket(_ ticket: Ticket, submittedJSON: String, at now: Date) async throws -> (change: TicketChange, created: Bool)

    /// Tickets that have chosen a release and are not given up, newest first: the ones a duplicate may follow.
    func ticketsWithRelease(excluding id: String, limit: Int) async throws -> [StoredTicket]

    /// The states of the tickets whose chosen release (or download in progress) is this torrent.
    func ticketStates(holdingTorrent infoHash: String) async throws -> [String: TicketStateName]

    func ticket(id: String) async throws -> StoredTicket?

    /// Tickets newest first, optionally only those in `states`, with the total count of the filter.
    func tickets(inStates states: Set<TicketStateName>?, limit: Int, offset: Int) async throws -> TicketPage

    /// Moves a ticket to the state `decide` returns (checked against the state stored now) and
    /// appends a `state_change` event; `decide` may throw to refuse, and nothing is written then.
    func updateTicket(id: String, at now: Date, _ decide: @escaping @Sendable (StoredTicket) throws -> TicketUpdate) async throws -> TicketChange

    /// Claims the most urgent ready ticket (highest priority, then oldest) whose backoff has passed,
    /// moving it to the state `next` returns in the same transaction, so no two workers get it.
    func claimNextTicket(
        inStates states: Set<TicketStateName>, excluding busy: Set<String>, at now: Date,
        _ next: @escaping @Sendable (StoredTicket) throws -> TicketUpdate
    ) async throws -> TicketChange?

    /// Earliest time a ticket in `states` waiting on a backoff becomes claimable, if any.
    func nextWakeTime(inStates states: Set<TicketStateName>) async throws -> Date?

    /// Tickets left in a transient state that nobody works on any more (this process crashed; for a
    /// shared store, also a node whose lease expired) go back to where their work can start again,
    /// each with a `recovered` event.
    func recoverInterruptedTickets(at now: Date) async throws -> [TicketChange]

    /// A ticket and its stored events, read in one transaction.
    func ticketWithEvents(id: String) async throws -> (ticket: StoredTicket, events: [TicketEvent])?

    /// Events of a ticket with `seq` greater than `since`, in order.
    func events(ticketId: String, since: Int) async throws -> [TicketEvent]

    /// Counts per state and the age of the oldest pending ticket.
    func queueStats() async throws -> QueueStats

    /// Refreshes the details of the state a ticket is in, without an event; false (nothing written)
    /// when the ticket is no longer in that state.
    @discardableResult
    func refreshStateDetails(ticketId: String, _ state: TicketState, at now: Date) async throws -> Bool

    /// Sets an operator's search query on a ticket that stays in `state`, with a `search_query_set` event.
    func setSearchQuery(ticketId: String, query: String, whileIn state: TicketStateName, at now: Date) async throws -> TicketChange

    /// Appends an event to a ticket that stays in `state`.
    func recordEvent(
        ticketId: String, type: TicketEventType, payload: JSONValue, whileIn state: TicketStateName, at now: Date
    ) async throws -> TicketChange

    /// Records (or refreshes) the integrity record of a file a ticket downloaded or placed.
    func recordDownloadFile(_ file: DownloadFileRecord) async throws

    /// The SHA-256 last recorded for each of these paths (by any ticket).
    func recordedHashes(paths: [String]) async throws -> [String: String]

    /// Every file recorded for a ticket, by path.
    func downloadFiles(ticketId: String) async throws -> [DownloadFileRecord]

    /// Replaces the candidates of a ticket with a new search's results (scored or not).
    func saveCandidates(ticketId: String, _ candidates: [TorrentCandidate], scores: [Double?]?, at now: Date) async throws

    /// The stored candidates of a ticket, best score first.
    func candidates(ticketId: String) async throws -> [TorrentCandidate]

    /// Every blocklisted release, newest first.
    func blocklist() async throws -> [BlocklistEntry]

    /// Adds a release to the blocklist, or replaces its entry (a newer reason wins).
    func addToBlocklist(_ entry: BlocklistEntry) async throws

    /// Removes a release from the blocklist; false when it was not there.
    @discardableResult
    func removeFromBlocklist(infoHash: String) async throws -> Bool

    /// Whether this release is on the blocklist (for any album).
    func isBlocklisted(infoHash: String) async throws -> Bool

    /// This process's worker on the ticket is done, whatever state it left the ticket in: a shared
    /// store ends the lease it may still hold (so any node may claim the ticket); SQLite has none.
    func workEnded(ticketId: String) async

    /// A stored service-wide setting (`paused_all`), nil when never set.
    func setting(_ key: String) async throws -> String?
    func setSetting(_ key: String, _ value: String) async throws
}

// The defaults callers use: now, no exclusions, the usual limits.
extension TicketStore {
    public func insertTicket(_ ticket: Ticket, submittedJSON: String) async throws -> (change: TicketChange, created: Bool) {
        try await insertTicket(ticket, submittedJSON: submittedJSON, at: Date())
    }

    public func ticketsWithRelease(excluding id: String) async throws -> [StoredTicket] {
        try await ticketsWithRelease(excluding: id, limit: 500)
    }

    public func tickets(limit: Int, offset: Int) async throws -> TicketPage {
        try await tickets(inStates: nil, limit: limit, offset: offset)
    }

    public func updateTicket(id: String, _ decide: @escaping @Sendable (StoredTicket) throws -> TicketUpdate) async throws -> TicketChange {
        try await updateTicket(id: id, at: Date(), decide)
    }

    public func claimNextTicket(
        inStates states: Set<TicketStateName>, excluding busy: Set<String> = [],
        _ next: @escaping @Sendable (StoredTicket) throws -> TicketUpdate
    ) async throws -> TicketChange? {
        try await claimNextTicket(inStates: states, excluding: busy, at: Date(), next)
    }

    public func recoverInterruptedTickets() async throws -> [TicketChange] {
        try await recoverInterruptedTickets(at: Date())
    }

    public func events(ticketId: String) async throws -> [TicketEvent] {
        try await events(ticketId: ticketId, since: 0)
    }

    @discardableResult
    public func refreshStateDetails(ticketId: String, _ state: TicketState) async throws -> Bool {
        try await refreshStateDetails(ticketId: ticketId, state, at: Date())
    }

    public func setSearchQuery(ticketId: String, query: String, whileIn state: TicketStateName) async throws -> TicketChange {
        try await setSearchQuery(ticketId: ticketId, query: query, whileIn: state, at: Date())
    }

    public func recordEvent(ticketId: String, type: TicketEventType, payload: JSONValue, whileIn state: TicketStateName) async throws -> TicketChange
    {
        try await recordEvent(ticketId: ticketId, type: type, payload: payload, whileIn: state, at: Date())
    }

    public func saveCandidates(ticketId: String, _ candidates: [TorrentCandidate], scores: [Double?]? = nil) async throws {
        try await saveCandidates(ticketId: ticketId, candidates, scores: scores, at: Date())
    }

    /// The info-hashes (lower case) a search for this artist and album must drop.
    public func blockedHashes(artist: String, album: String) async throws -> Set<String> {
        Set(try await blocklist().filter { $0.applies(artist: artist, album: album) }.map(\.infoHash))
    }
}
