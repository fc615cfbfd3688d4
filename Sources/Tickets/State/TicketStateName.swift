/// The states a ticket moves through, spelled as the API spells them.
public enum TicketStateName: String, Codable, Sendable, CaseIterable, Comparable {
    case pending
    case searching
    case matching
    case needsApproval = "needs_approval"
    /// Nothing usable found yet: searched again on a schedule that backs off, until a give-up age.
    case wanted
    case autoApproved = "auto_approved"
    case approved
    case rejected
    case downloading
    /// Stopped by an operator while downloading, waiting to download or converting; resume returns it to its approval.
    case paused
    case converting
    case placing
    case completed
    case failed
    case cancelled

    /// No automatic progress leaves these; only an explicit retry or force-search may.
    public var isTerminal: Bool {
        switch self {
        case .completed, .rejected, .failed, .cancelled: true
        default: false
        }
    }

    /// A stage is working on the ticket; after a crash nobody is, so start-up moves it back.
    public var isTransient: Bool {
        switch self {
        case .searching, .matching, .downloading, .converting, .placing: true
        default: false
        }
    }

    /// The Orchestrator may claim a ticket in one of these states and run its next stage.
    public var isReadyForWork: Bool {
        self == .pending || self == .approved || self == .autoApproved || self == .wanted
    }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
}
