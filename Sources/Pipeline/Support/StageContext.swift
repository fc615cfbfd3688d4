import Synchronization
import Tickets

/// What a running stage may ask of the Orchestrator: whether to stop, and where to send progress.
public struct StageContext: Sendable {
    public let ticketId: String
    let stopFlag: StopFlag
    let progressSink: @Sendable (JSONValue) async -> Void
    private let pendingNote = NoteBox()

    public init(ticketId: String, stopFlag: StopFlag = StopFlag(), progressSink: @escaping @Sendable (JSONValue) async -> Void = { _ in }) {
        self.ticketId = ticketId
        self.stopFlag = stopFlag
        self.progressSink = progressSink
    }

    /// Throws ``StageInterrupted`` once the ticket is cancelled or the service shuts down.
    /// Long stages call it between units of work (a chunk, a track, a poll).
    public func checkCancellation() throws(StageInterrupted) {
        if let reason = stopFlag.reason { throw StageInterrupted(reason: reason) }
    }

    /// Keeps an event for the ticket's stored history; the Orchestrator records it with the stage's
    /// next state change (the search's indexer report rides on the move to `matching`). The last one wins.
    public func note(_ type: TicketEventType, _ payload: JSONValue) {
        pendingNote.value.withLock { $0 = (type, payload) }
    }

    /// The note kept by ``note(_:_:)``, once.
    func takeNote() -> (type: TicketEventType, payload: JSONValue)? {
        pendingNote.value.withLock { note in
            defer { note = nil }
            return note
        }
    }

    /// Publishes a progress snapshot to live subscribers (memory only; see docs/ARCHITECTURE.md#events-and-the-websocket).
    public func reportProgress(_ payload: JSONValue) async {
        await progressSink(payload)
    }
}

final class NoteBox: Sendable {
    let value = Mutex<(type: TicketEventType, payload: JSONValue)?>(nil)
}

/// A one-way flag raised to stop one ticket's work.
public final class StopFlag: Sendable {
    private let state = Mutex<StageInterrupted.Reason?>(nil)

    public init() {}

    public var reason: StageInterrupted.Reason? { state.withLock { $0 } }

    /// The first reason wins: a cancel is not turned into a shutdown.
    public func raise(_ reason: StageInterrupted.Reason) {
        state.withLock { if $0 == nil { $0 = reason } }
    }
}
