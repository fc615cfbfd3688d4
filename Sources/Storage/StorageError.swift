import GRDB
import Tickets

/// What the store can refuse or fail at.
public enum StorageError: Error, Sendable, Equatable, CustomStringConvertible {
    case ticketNotFound(String)
    case illegalTransition(ticketId: String, IllegalTransition)
    /// A stored row no longer decodes; reported so that nothing is silently dropped.
    case corruptRow(ticketId: String, reason: String)
    /// The database cannot take writes (or answer) right now: its disk is full, it became
    /// read-only, an I/O error, a lock held too long. Nothing was written; trying later may work.
    case unavailable(reason: String)
    /// A shared store (several nodes): this node no longer holds the lease on the ticket (it expired
    /// and another node took the ticket over, or an operator's command ended it). Nothing was written;
    /// the work on the ticket must stop.
    case leaseLost(ticketId: String, node: String)

    public var description: String {
        switch self {
        case .ticketNotFound(let id): "no ticket with id '\(id)'"
        case .illegalTransition(let id, let t): "ticket '\(id)': \(t)"
        case .corruptRow(let id, let reason): "ticket '\(id)' has a stored row that does not decode: \(reason)"
        case .unavailable(let reason): "the database is unavailable: \(reason)"
        case .leaseLost(let id, let node): "ticket '\(id)': node '\(node)' no longer holds its lease (another node took it over, or it was ended)"
        }
    }

    /// `error` as ``unavailable(reason:)`` when SQLite's primary result code says the database
    /// cannot work right now (classified from the code, never from the message).
    public static func unavailable(from error: any Error) -> StorageError? {
        if case .unavailable? = error as? StorageError { return error as? StorageError }
        guard let error = error as? DatabaseError else { return nil }
        switch error.resultCode.primaryResultCode {
        case .SQLITE_FULL: return .unavailable(reason: "its disk is full")
        case .SQLITE_READONLY: return .unavailable(reason: "it is read-only")
        case .SQLITE_IOERR: return .unavailable(reason: "an I/O error")
        case .SQLITE_CANTOPEN: return .unavailable(reason: "its file cannot be opened")
        case .SQLITE_BUSY, .SQLITE_LOCKED: return .unavailable(reason: "it is locked")
        case .SQLITE_PERM: return .unavailable(reason: "permission denied")
        default: return nil
        }
    }
}
