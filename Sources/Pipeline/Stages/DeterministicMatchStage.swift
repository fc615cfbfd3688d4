import Foundation
import Matching
import Storage
import Tickets

/// The match stage: the deterministic scorer decides between auto-approval and a person.
public struct DeterministicMatchStage: MatchStage {
    let scorer: CandidateScorer

    public init(scorer: CandidateScorer) {
        self.scorer = scorer
    }

    public func match(_ ticket: StoredTicket, candidates: [TorrentCandidate], context: StageContext) async throws -> MatchOutcome {
        let scored = scorer.score(ticket.ticket, candidates)
        switch scorer.decide(ticket.ticket, scored) {
        case .autoApprove(let best):
            return .autoApproved(best, confidence: best.score)
        case .needsApproval(let candidates, let recommended, let reason):
            return .needsApproval(.init(
                candidates: candidates, recommendedIdx: recommended, confidence: candidates[recommended].score, reason: reason, waitingSince: Date()))
        case nil:
            throw StageError.noCandidates(ticket.searchQuery ?? "\(ticket.ticket.search.artist) \(ticket.ticket.search.album)")
        }
    }
}
