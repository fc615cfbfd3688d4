public import Foundation

/// A ticket's state together with the details that state carries (docs/ARCHITECTURE.md#states-and-transitions).
///
/// Stored as the state's name plus its details as JSON; ``name`` and ``detailsJSON()`` are that split.
public enum TicketState: Sendable, Equatable {
    case pending(Pending)
    case searching(Searching)
    case matching(Matching)
    case needsApproval(NeedsApproval)
    case wanted(Wanted)
    case autoApproved(AutoApproved)
    case approved(Approved)
    case rejected(Rejected)
    case downloading(Downloading)
    case paused(Paused)
    case converting(Converting)
    case placing(Placing)
    case completed(Completed)
    case failed(Failed)
    case cancelled(Cancelled)

    public var name: TicketStateName {
        switch self {
        case .pending: .pending
        case .searching: .searching
        case .matching: .matching
        case .needsApproval: .needsApproval
        case .wanted: .wanted
        case .autoApproved: .autoApproved
        case .approved: .approved
        case .rejected: .rejected
        case .downloading: .downloading
        case .paused: .paused
        case .converting: .converting
        case .placing: .placing
        case .completed: .completed
        case .failed: .failed
        case .cancelled: .cancelled
        }
    }

    /// The details alone, as the wire and the database carry them.
    public func detailsJSON() throws -> Data {
        try details.json()
    }

    /// The details as a value to encode in place (an API view embeds them without a round trip
    /// through JSON text).
    public var details: Details { Details(state: self) }

    /// Encodes as the state's details alone.
    public struct Details: Encodable, Sendable {
        let state: TicketState

        public func encode(to encoder: any Encoder) throws {
            switch state {
            case .pending(let d): try d.encode(to: encoder)
            case .searching(let d): try d.encode(to: encoder)
            case .matching(let d): try d.encode(to: encoder)
            case .needsApproval(let d): try d.encode(to: encoder)
            case .wanted(let d): try d.encode(to: encoder)
            case .autoApproved(let d): try d.encode(to: encoder)
            case .approved(let d): try d.encode(to: encoder)
            case .rejected(let d): try d.encode(to: encoder)
            case .downloading(let d): try d.encode(to: encoder)
            case .paused(let d): try d.encode(to: encoder)
            case .converting(let d): try d.encode(to: encoder)
            case .placing(let d): try d.encode(to: encoder)
            case .completed(let d): try d.encode(to: encoder)
            case .failed(let d): try d.encode(to: encoder)
            case .cancelled(let d): try d.encode(to: encoder)
            }
        }
    }

    /// Rebuilds a state from its stored name and details.
    public init(name: TicketStateName, detailsJSON data: Data) throws {
        let decoder = TicketJSON.decoder()
        self =
            switch name {
            case .pending: .pending(try decoder.decode(Pending.self, from: data))
            case .searching: .searching(try decoder.decode(Searching.self, from: data))
            case .matching: .matching(try decoder.decode(Matching.self, from: data))
            case .needsApproval: .needsApproval(try decoder.decode(NeedsApproval.self, from: data))
            case .wanted: .wanted(try decoder.decode(Wanted.self, from: data))
            case .autoApproved: .autoApproved(try decoder.decode(AutoApproved.self, from: data))
            case .approved: .approved(try decoder.decode(Approved.self, from: data))
            case .rejected: .rejected(try decoder.decode(Rejected.self, from: data))
            case .downloading: .downloading(try decoder.decode(Downloading.self, from: data))
            case .paused: .paused(try decoder.decode(Paused.self, from: data))
            case .converting: .converting(try decoder.decode(Converting.self, from: data))
            case .placing: .placing(try decoder.decode(Placing.self, from: data))
            case .completed: .completed(try decoder.decode(Completed.self, from: data))
            case .failed: .failed(try decoder.decode(Failed.self, from: data))
            case .cancelled: .cancelled(try decoder.decode(Cancelled.self, from: data))
            }
    }

    /// The release chosen for download, when the state knows it.
    public var selectedCandidate: ScoredCandidate? {
        switch self {
        case .autoApproved(let d): d.selected
        case .approved(let d): d.selected
        default: nil
        }
    }
}
