import Foundation
import Logging
import Matching
import Storage
import Tickets

/// The match stage: a matcher (the deterministic scorer, with or without a language model's second
/// opinion) decides between auto-approval and a person.
public struct CandidateMatchStage: MatchStage {
    let matcher: any Matcher
    let logger: Logger

    public init(matcher: any Matcher, logger: Logger = Logger(label: "downloader2.match")) {
        self.matcher = matcher
        self.logger = logger
    }

    public func match(_ ticket: StoredTicket, candidates: [TorrentCandidate], context: StageContext) async throws -> MatchOutcome {
        let report = await matcher.match(ticket.ticket, candidates)
        if let opinion = report.secondOpinion { logger.info("second opinion", metadata: ["ticket": "\(ticket.ticket.ticketId)", "said": "\(opinion)"]) }
        switch report.decision {
        case .autoApprove(let best):
            return .autoApproved(
                best, confidence: best.score,
                alternatives: fallbackCandidates(report.scored, chosen: best, ticket: ticket.ticket, minScore: matcher.autoApproveThreshold))
        case .needsApproval(let candidates, let recommended, let reason):
            return .needsApproval(.init(
                candidates: candidates, recommendedIdx: recommended, confidence: candidates[recommended].score, reason: reason, waitingSince: Date()))
        case nil:
            throw StageError.noCandidates(ticket.searchQuery ?? "\(ticket.ticket.search.artist) \(ticket.ticket.search.album)")
        }
    }
}
