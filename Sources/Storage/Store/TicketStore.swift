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
    ///
    /// - Throws: ``StorageError/unavailable(reason:)`` or the database's own error (GRDB's `DatabaseError`) when it cannot answer.
    func ping() async throws

    /// Stores a new ticket as `pending` with a `created` event, or returns the one already stored
    /// under the same `ticket_id` (submission is idempotent; the stored ticket is never replaced).
    ///
    /// - Parameters:
    ///   - ticket: The submitted ticket; its `ticket_id` is the key.
    ///   - submittedJSON: The request body exactly as the client sent it, stored as it is.
    ///   - now: The time the ticket is created at, and the time of its `created` event.
    /// - Returns: The stored ticket with the `created` event (no events when the ticket was already stored),
    ///   and whether this call created it.
    /// - Throws: ``StorageError/corruptRow(ticketId:reason:)`` when the ticket already stored under that id no
    ///   longer decodes; ``StorageError/unavailable(reason:)`` or the database's own error (GRDB's
    ///   `DatabaseError`) when it cannot answer.
    func insertTicket(_ ticket: Ticket, submittedJSON: String, at now: Date) async throws -> (change: TicketChange, created: Bool)

    /// Tickets that have chosen a release and are not given up, newest first: the ones a duplicate may follow.
    ///
    /// - Parameters:
    ///   - id: The ticket asking, which is never in the answer.
    ///   - limit: The most tickets returned (the newest ones).
    /// - Returns: The tickets, newest first; empty when there are none. A ticket whose row no longer decodes is left out.
    /// - Throws: ``StorageError/unavailable(reason:)`` or the database's own error (GRDB's `DatabaseError`) when it cannot answer.
    func ticketsWithRelease(excluding id: String, limit: Int) async throws -> [StoredTicket]

    /// The states of the tickets whose chosen release (or download in progress) is this torrent.
    ///
    /// - Parameter infoHash: The torrent's info-hash, in either case.
    /// - Returns: The state of each ticket holding the torrent, by ticket id; empty when none holds it. A state that no
    ///   longer decodes reads as `downloading`.
    /// - Throws: ``StorageError/unavailable(reason:)`` or the database's own error (GRDB's `DatabaseError`) when it cannot answer.
    func ticketStates(holdingTorrent infoHash: String) async throws -> [String: TicketStateName]

    /// The ticket stored under `id`, if any.
    ///
    /// - Parameter id: The ticket's `ticket_id`.
    /// - Returns: The stored ticket, or nil when no ticket has that id.
    /// - Throws: ``StorageError/corruptRow(ticketId:reason:)`` when its row no longer decodes;
    ///   ``StorageError/unavailable(reason:)`` or the database's own error (GRDB's `DatabaseError`) when it cannot answer.
    func ticket(id: String) async throws -> StoredTicket?

    /// Tickets newest first, optionally only those in `states`, with the total count of the filter.
    ///
    /// - Parameters:
    ///   - states: The states to list; nil lists tickets in any state.
    ///   - limit: The most tickets on the page.
    ///   - offset: How many of the matching tickets (newest first) to skip before the page starts.
    /// - Returns: The page of tickets, newest first, and how many tickets match the filter in all.
    /// - Throws: ``StorageError/corruptRow(ticketId:reason:)`` when a ticket on the page no longer decodes;
    ///   ``StorageError/unavailable(reason:)`` or the database's own error (GRDB's `DatabaseError`) when it cannot answer.
    func tickets(inStates states: Set<TicketStateName>?, limit: Int, offset: Int) async throws -> TicketPage

    /// Moves a ticket to the state `decide` returns (checked against the state stored now) and
    /// appends a `state_change` event; `decide` may throw to refuse, and nothing is written then.
    ///
    /// - Parameters:
    ///   - id: The ticket to move.
    ///   - now: The time of the change, recorded on the ticket and its events.
    ///   - decide: Given the ticket as stored now, returns the update to apply; it runs inside the write.
    /// - Returns: The ticket after the change and the events appended, in order.
    /// - Throws: ``StorageError/ticketNotFound(_:)`` when no ticket has that id;
    ///   ``StorageError/illegalTransition(ticketId:_:)`` when the transition table refuses the move;
    ///   ``StorageError/leaseLost(ticketId:node:)`` when a shared store's lease on the ticket is no longer this node's;
    ///   whatever `decide` throws; ``StorageError/unavailable(reason:)`` or the database's own error (GRDB's
    ///   `DatabaseError`) when it cannot answer.
    func updateTicket(id: String, at now: Date, _ decide: @escaping @Sendable (StoredTicket) throws -> TicketUpdate) async throws -> TicketChange

    /// Claims the most urgent ready ticket (highest priority, then oldest) whose backoff has passed,
    /// moving it to the state `next` returns in the same transaction, so no two workers get it.
    ///
    /// - Parameters:
    ///   - states: The states a ticket must be in to be claimed.
    ///   - busy: Ids of tickets this process already works on; they are never claimed.
    ///   - now: The time a ticket's backoff must have passed by, also recorded as the time of the change.
    ///   - next: Given the claimed ticket, returns the update that moves it; it runs inside the claim's transaction.
    /// - Returns: The claimed ticket after the move and its events, or nil when no ticket is ready.
    /// - Throws: ``StorageError/illegalTransition(ticketId:_:)`` when the transition table refuses the move `next`
    ///   asks for; ``StorageError/corruptRow(ticketId:reason:)`` when the chosen ticket no longer decodes;
    ///   whatever `next` throws; ``StorageError/unavailable(reason:)`` or the database's own error (GRDB's
    ///   `DatabaseError`) when it cannot answer.
    func claimNextTicket(
        inStates states: Set<TicketStateName>, excluding busy: Set<String>, at now: Date,
        _ next: @escaping @Sendable (StoredTicket) throws -> TicketUpdate
    ) async throws -> TicketChange?

    /// Earliest time a ticket in `states` waiting on a backoff becomes claimable, if any.
    ///
    /// - Parameter states: The states to look in.
    /// - Returns: The earliest end of a backoff among those tickets (it may already have passed), or nil when
    ///   none of them waits on a backoff.
    /// - Throws: ``StorageError/unavailable(reason:)`` or the database's own error (GRDB's `DatabaseError`) when it cannot answer.
    func nextWakeTime(inStates states: Set<TicketStateName>) async throws -> Date?

    /// Tickets left in a transient state that nobody works on any more (this process crashed; for a
    /// shared store, also a node whose lease expired) go back to where their work can start again,
    /// each with a `recovered` event.
    ///
    /// - Parameter now: The time of the recovery, recorded on each ticket and its `recovered` event.
    /// - Returns: One change for each ticket moved back, with its events; empty when no work was interrupted.
    /// - Throws: ``StorageError/corruptRow(ticketId:reason:)`` when a ticket to recover no longer decodes (then
    ///   none is recovered); ``StorageError/unavailable(reason:)`` or the database's own error (GRDB's
    ///   `DatabaseError`) when it cannot answer.
    func recoverInterruptedTickets(at now: Date) async throws -> [TicketChange]

    /// A ticket and its stored events, read in one transaction.
    ///
    /// - Parameter id: The ticket's `ticket_id`.
    /// - Returns: The ticket and all its events in `seq` order, or nil when no ticket has that id.
    /// - Throws: ``StorageError/corruptRow(ticketId:reason:)`` when the ticket or one of its events no longer decodes;
    ///   ``StorageError/unavailable(reason:)`` or the database's own error (GRDB's `DatabaseError`) when it cannot answer.
    func ticketWithEvents(id: String) async throws -> (ticket: StoredTicket, events: [TicketEvent])?

    /// Events of a ticket with `seq` greater than `since`, in order.
    ///
    /// - Parameters:
    ///   - ticketId: The ticket whose events to read.
    ///   - since: The last `seq` the caller has seen; 0 reads every event.
    /// - Returns: The later events in `seq` order; empty when there are none, or no such ticket.
    /// - Throws: ``StorageError/corruptRow(ticketId:reason:)`` when an event no longer decodes;
    ///   ``StorageError/unavailable(reason:)`` or the database's own error (GRDB's `DatabaseError`) when it cannot answer.
    func events(ticketId: String, since: Int) async throws -> [TicketEvent]

    /// Counts per state and the age of the oldest pending ticket.
    ///
    /// - Returns: The number of tickets in each state (a state with none is absent), their total, and when the oldest
    ///   pending ticket was created (nil when none is pending).
    /// - Throws: ``StorageError/unavailable(reason:)`` or the database's own error (GRDB's `DatabaseError`) when it cannot answer.
    func queueStats() async throws -> QueueStats

    /// Refreshes the details of the state a ticket is in, without an event; false (nothing written)
    /// when the ticket is no longer in that state.
    ///
    /// - Parameters:
    ///   - ticketId: The ticket to refresh.
    ///   - state: The ticket's state with its new details; it must have the name of the state stored now.
    ///   - now: The time recorded as the ticket's last update.
    /// - Returns: True when the details were written; false when the ticket is in another state, or (SQLite) when there is no such ticket.
    /// - Throws: ``StorageError/ticketNotFound(_:)`` (a shared store) when no ticket has that id;
    ///   ``StorageError/leaseLost(ticketId:node:)`` when a shared store's lease on the ticket is no longer this node's;
    ///   ``StorageError/unavailable(reason:)`` or the database's own error (GRDB's `DatabaseError`) when it cannot answer.
    @discardableResult
    func refreshStateDetails(ticketId: String, _ state: TicketState, at now: Date) async throws -> Bool

    /// Sets an operator's search query on a ticket that stays in `state`, with a `search_query_set` event.
    ///
    /// - Parameters:
    ///   - ticketId: The ticket to search for.
    ///   - query: The operator's search text, used in place of the ticket's own artist and album.
    ///   - state: The state the ticket must be in; the write is refused otherwise.
    ///   - now: The time of the change and of its event.
    /// - Returns: The ticket with the query set and its `search_query_set` event.
    /// - Throws: ``StorageError/ticketNotFound(_:)`` when no ticket has that id;
    ///   ``StorageError/illegalTransition(ticketId:_:)`` when the ticket is no longer in `state`;
    ///   ``StorageError/leaseLost(ticketId:node:)`` when a shared store's lease on the ticket is no longer this node's;
    ///   ``StorageError/unavailable(reason:)`` or the database's own error (GRDB's `DatabaseError`) when it cannot answer.
    func setSearchQuery(ticketId: String, query: String, whileIn state: TicketStateName, at now: Date) async throws -> TicketChange

    /// Appends an event to a ticket that stays in `state`.
    ///
    /// - Parameters:
    ///   - ticketId: The ticket the event belongs to.
    ///   - type: The kind of event.
    ///   - payload: The event's body; secrets in its strings are redacted before it is stored.
    ///   - state: The state the ticket must be in; the write is refused otherwise.
    ///   - now: The time of the event.
    /// - Returns: The ticket as stored and the appended event, to publish.
    /// - Throws: ``StorageError/ticketNotFound(_:)`` when no ticket has that id;
    ///   ``StorageError/illegalTransition(ticketId:_:)`` when the ticket is no longer in `state`;
    ///   ``StorageError/leaseLost(ticketId:node:)`` when a shared store's lease on the ticket is no longer this node's;
    ///   ``StorageError/unavailable(reason:)`` or the database's own error (GRDB's `DatabaseError`) when it cannot answer.
    func recordEvent(
        ticketId: String, type: TicketEventType, payload: JSONValue, whileIn state: TicketStateName, at now: Date
    ) async throws -> TicketChange

    /// Records (or refreshes) the integrity record of a file a ticket downloaded or placed.
    ///
    /// - Parameter file: The file's record; an earlier record for the same ticket and path is replaced.
    /// - Throws: ``StorageError/unavailable(reason:)`` or the database's own error (GRDB's `DatabaseError`) when it cannot answer.
    func recordDownloadFile(_ file: DownloadFileRecord) async throws

    /// The SHA-256 last recorded for each of these paths (by any ticket).
    ///
    /// - Parameter paths: The file paths to look up.
    /// - Returns: The SHA-256 by path; a path with no recorded hash is absent.
    /// - Throws: ``StorageError/unavailable(reason:)`` or the database's own error (GRDB's `DatabaseError`) when it cannot answer.
    func recordedHashes(paths: [String]) async throws -> [String: String]

    /// Every file recorded for a ticket, by path.
    ///
    /// - Parameter ticketId: The ticket whose files to list.
    /// - Returns: The ticket's file records ordered by path; empty when none was recorded.
    /// - Throws: ``StorageError/unavailable(reason:)`` or the database's own error (GRDB's `DatabaseError`) when it cannot answer.
    func downloadFiles(ticketId: String) async throws -> [DownloadFileRecord]

    /// Replaces the candidates of a ticket with a new search's results (scored or not).
    ///
    /// - Parameters:
    ///   - ticketId: The ticket the candidates belong to.
    ///   - candidates: The search's results; they replace every stored candidate (empty clears them).
    ///   - scores: Each candidate's score, in the order of `candidates` and as many; nil when the search was not scored, a
    ///     nil entry for a candidate left unscored.
    ///   - now: The time recorded on the stored candidates.
    /// - Throws: `EncodingError` when a candidate does not encode; ``StorageError/unavailable(reason:)`` or the database's
    ///   own error (GRDB's `DatabaseError`) when it cannot answer.
    func saveCandidates(ticketId: String, _ candidates: [TorrentCandidate], scores: [Double?]?, at now: Date) async throws

    /// The stored candidates of a ticket, best score first.
    ///
    /// - Parameter ticketId: The ticket whose candidates to read.
    /// - Returns: The candidates, best score first (unscored ones last); empty when none is stored.
    /// - Throws: `DecodingError` when a stored candidate no longer decodes; ``StorageError/unavailable(reason:)`` or the
    ///   database's own error (GRDB's `DatabaseError`) when it cannot answer.
    func candidates(ticketId: String) async throws -> [TorrentCandidate]

    /// Every blocklisted release, newest first.
    ///
    /// - Returns: The entries, newest first; empty when nothing is blocklisted.
    /// - Throws: ``StorageError/unavailable(reason:)`` or the database's own error (GRDB's `DatabaseError`) when it cannot answer.
    func blocklist() async throws -> [BlocklistEntry]

    /// Adds a release to the blocklist, or replaces its entry (a newer reason wins).
    ///
    /// - Parameter entry: The release and why it is blocked; its info-hash (either case) is the key. Secrets in its title,
    ///   reason and evidence are redacted before it is stored.
    /// - Throws: ``StorageError/unavailable(reason:)`` or the database's own error (GRDB's `DatabaseError`) when it cannot answer.
    func addToBlocklist(_ entry: BlocklistEntry) async throws

    /// Removes a release from the blocklist; false when it was not there.
    ///
    /// - Parameter infoHash: The release's info-hash, in either case.
    /// - Returns: True when an entry was removed; false when the release was not on the blocklist.
    /// - Throws: ``StorageError/unavailable(reason:)`` or the database's own error (GRDB's `DatabaseError`) when it cannot answer.
    @discardableResult
    func removeFromBlocklist(infoHash: String) async throws -> Bool

    /// Whether this release is on the blocklist (for any album).
    ///
    /// - Parameter infoHash: The release's info-hash, in either case.
    /// - Returns: True when the release is on the blocklist.
    /// - Throws: ``StorageError/unavailable(reason:)`` or the database's own error (GRDB's `DatabaseError`) when it cannot answer.
    func isBlocklisted(infoHash: String) async throws -> Bool

    /// This process's worker on the ticket is done, whatever state it left the ticket in: a shared
    /// store ends the lease it may still hold (so any node may claim the ticket); SQLite has none.
    ///
    /// - Parameter ticketId: The ticket whose worker ended. A lease the store cannot end now (the database does not answer) simply expires.
    func workEnded(ticketId: String) async

    /// A stored service-wide setting (`paused_all`), nil when never set.
    ///
    /// - Parameter key: The setting's name, such as `paused_all`.
    /// - Returns: The stored value, or nil when the setting was never set.
    /// - Throws: ``StorageError/unavailable(reason:)`` or the database's own error (GRDB's `DatabaseError`) when it cannot answer.
    func setting(_ key: String) async throws -> String?
    /// Stores a service-wide setting (`paused_all`), replacing the value it had.
    ///
    /// - Parameters:
    ///   - key: The setting's name.
    ///   - value: The value to store.
    /// - Throws: ``StorageError/unavailable(reason:)`` or the database's own error (GRDB's `DatabaseError`) when it cannot answer.
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
