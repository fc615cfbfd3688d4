/// The one table that decides which state changes are legal.
///
/// Forward edges follow docs/ARCHITECTURE.md#states-and-transitions. Three kinds of backward edge exist, each for one reason:
/// - *recovery*: a transient state returns to where its work can start again (after a crash,
///   or when a retryable error schedules another attempt with backoff);
/// - *retry*: `failed` returns to the last safe state (`pending`, or the approval that chose a release);
/// - *force-search*: `needs_approval`, `rejected` and `failed` go back to `pending` with a new query.
///
/// A search that finds nothing usable leaves the ticket `wanted`: claimable again once its next
/// search time comes (`searching`), force-searched (`pending`), given up (`failed`) or cancelled.
///
/// An operator may pause a ticket that downloads, waits to download or converts (`paused`; a
/// conversion finishes the tracks under way first); resume returns it to its approval, from where the
/// download picks up again and the tracks already converted are kept.
///
/// One forward edge skips ahead from the download: `downloading → needs_approval`, when verification
/// refuses the downloaded release and no approved release is left to fall back to.
public enum TicketTransitions {
    /// Legal targets for each state.
    public static let table: [TicketStateName: Set<TicketStateName>] = [
        .pending: [.searching, .failed, .cancelled],
        .searching: [.matching, .wanted, .pending, .failed, .cancelled],
        .wanted: [.searching, .pending, .failed, .cancelled],
        .matching: [.needsApproval, .autoApproved, .pending, .failed, .cancelled],
        .needsApproval: [.approved, .rejected, .pending, .failed, .cancelled],
        .autoApproved: [.downloading, .paused, .failed, .cancelled],
        .approved: [.downloading, .paused, .failed, .cancelled],
        .downloading: [.converting, .needsApproval, .paused, .approved, .autoApproved, .failed, .cancelled],
        .paused: [.approved, .autoApproved, .cancelled],
        .converting: [.placing, .paused, .approved, .autoApproved, .failed, .cancelled],
        .placing: [.completed, .approved, .autoApproved, .failed, .cancelled],
        .failed: [.pending, .approved, .autoApproved],
        .rejected: [.pending],
        .completed: [],
        .cancelled: [],
    ]

    /// Whether `from → to` is in the table.
    public static func isLegal(from: TicketStateName, to: TicketStateName) -> Bool {
        table[from, default: []].contains(to)
    }

    /// Throws ``IllegalTransition`` unless `from → to` is in the table.
    public static func check(from: TicketStateName, to: TicketStateName) throws(IllegalTransition) {
        guard isLegal(from: from, to: to) else { throw IllegalTransition(from: from, to: to) }
    }
}

/// A state change the transition table does not allow.
public struct IllegalTransition: Error, Sendable, Equatable, CustomStringConvertible {
    public let from: TicketStateName
    public let to: TicketStateName

    public init(from: TicketStateName, to: TicketStateName) {
        self.from = from
        self.to = to
    }

    public var description: String {
        let allowed = TicketTransitions.table[from, default: []].map(\.rawValue).sorted()
        return "a ticket in state \(from.rawValue) cannot move to \(to.rawValue)"
            + (allowed.isEmpty ? " (\(from.rawValue) is final)" : " (allowed: \(allowed.joined(separator: ", ")))")
    }
}
