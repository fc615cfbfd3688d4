import Storage
import Tickets

/// Why the Orchestrator refused a command from the API.
public enum PipelineError: Error, Sendable, Equatable, CustomStringConvertible {
    case ticketNotFound(String)
    case illegalTransition(ticketId: String, IllegalTransition)
    /// `candidate_idx` does not name one of the ticket's candidates.
    case invalidCandidateIndex(Int, count: Int)
    case invalidTicket(TicketValidationError)

    public var description: String {
        switch self {
        case .ticketNotFound(let id): "no ticket with id '\(id)'"
        case .illegalTransition(let id, let t): "ticket '\(id)': \(t)"
        case .invalidCandidateIndex(let i, let count): "candidate_idx \(i) is out of range: the ticket has \(count) candidate(s)"
        case .invalidTicket(let e): e.description
        }
    }

    /// The store's refusals in the Orchestrator's terms; other errors pass through.
    static func translating(_ error: any Error) -> any Error {
        switch error {
        case StorageError.ticketNotFound(let id): PipelineError.ticketNotFound(id)
        case StorageError.illegalTransition(let id, let t): PipelineError.illegalTransition(ticketId: id, t)
        default: error
        }
    }
}
