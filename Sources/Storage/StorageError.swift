import Tickets

/// What the store can refuse or fail at.
public enum StorageError: Error, Sendable, Equatable, CustomStringConvertible {
    case ticketNotFound(String)
    case illegalTransition(ticketId: String, IllegalTransition)
    /// A stored row no longer decodes; reported so that nothing is silently dropped.
    case corruptRow(ticketId: String, reason: String)

    public var description: String {
        switch self {
        case .ticketNotFound(let id): "no ticket with id '\(id)'"
        case .illegalTransition(let id, let t): "ticket '\(id)': \(t)"
        case .corruptRow(let id, let reason): "ticket '\(id)' has a stored row that does not decode: \(reason)"
        }
    }
}
