import Tickets

/// What a matcher concluded about a ticket's candidates.
public struct MatchReport: Sendable, Equatable {
    /// Every candidate scored, in the order a person should see them.
    public var scored: [ScoredCandidate]
    /// nil when there was no candidate at all.
    public var decision: MatchDecision?
    /// What the second opinion said or why it could not be had; nil when none was asked.
    public var secondOpinion: String?

    public init(scored: [ScoredCandidate], decision: MatchDecision?, secondOpinion: String? = nil) {
        self.scored = scored
        self.decision = decision
        self.secondOpinion = secondOpinion
    }
}

/// Anything that can rank a ticket's candidates and decide between auto-approval and a person.
public protocol Matcher: Sendable {
    func match(_ ticket: Ticket, _ candidates: [TorrentCandidate]) async -> MatchReport
    /// The score at which a release is good enough to take without a person.
    var autoApproveThreshold: Double { get }
}

extension CandidateScorer: Matcher {
    public func match(_ ticket: Ticket, _ candidates: [TorrentCandidate]) async -> MatchReport {
        let scored = score(ticket, candidates)
        return MatchReport(scored: scored, decision: decide(ticket, scored))
    }
}
