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
    /// Whether downloads are verified before conversion (``ReleaseVerifyStage``): then releases that
    /// list the same files need no person to choose between them (see ``equivalentChoice``).
    let verifiesDownloads: Bool

    /// A match stage deciding with `matcher`.
    ///
    /// - Parameters:
    ///   - matcher: The deterministic scorer, with or without a language model's second opinion.
    ///   - verifiesDownloads: Whether downloads are verified before conversion; then the best of several releases listing
    ///     the same files is taken without a person, the others as its fallbacks.
    ///   - logger: Where a second opinion is logged.
    public init(matcher: any Matcher, verifiesDownloads: Bool = false, logger: Logger = Logger(label: "downloader2.match")) {
        self.matcher = matcher
        self.verifiesDownloads = verifiesDownloads
        self.logger = logger
    }

    /// Two or more good releases that list the same file for every track (a genuine rip and a fake made
    /// from it look exactly alike in a listing) leave a person nothing to decide on: only what is inside
    /// the files tells them apart. With verification on, the best is taken and the others become its
    /// fallbacks, so a refused fake gives way to the next without anyone. Nil when the candidates
    /// differ in their files, or one of them does not map every track or clear the threshold.
    func equivalentChoice(_ ticket: Ticket, _ candidates: [ScoredCandidate], reason: ApprovalReason) -> ScoredCandidate? {
        guard verifiesDownloads, case .multipleGoodMatches = reason, let best = candidates.first else { return nil }
        let tracks = ticket.tracks.map(\.catalogTrackId)
        func files(_ candidate: ScoredCandidate) -> [String: String]? {
            var byTrack: [String: String] = [:]
            for mapping in candidate.trackMapping {
                byTrack[mapping.catalogTrackId] = (mapping.torrentFilePath as NSString).lastPathComponent.lowercased() + "#\(mapping.cueTrack ?? 0)"
            }
            return Set(byTrack.keys).isSuperset(of: tracks) && candidate.score >= matcher.autoApproveThreshold ? byTrack : nil
        }
        guard let bestFiles = files(best) else { return nil }
        let close = candidates.dropFirst().filter {
            best.score - $0.score < 0.03 && $0.torrent.infoHash.lowercased() != best.torrent.infoHash.lowercased()
        }
        guard !close.isEmpty, close.allSatisfy({ files($0) == bestFiles }) else { return nil }
        return best
    }

    /// Lets the matcher score the candidates and decide between auto-approval and a person.
    ///
    /// - Parameters:
    ///   - ticket: The ticket whose tracks the candidates must hold.
    ///   - candidates: The search's results, with their file lists where they were found.
    ///   - context: The ticket's stage context; matching does not use it.
    /// - Returns: ``MatchOutcome/autoApproved(_:confidence:alternatives:)`` with the release taken, its score
    ///   and the fallbacks above the threshold, or ``MatchOutcome/needsApproval(_:)`` with the scored
    ///   candidates and the one recommended.
    /// - Throws: ``StageError/noCandidates(_:)`` when no candidate is left to decide on.
    public func match(_ ticket: StoredTicket, candidates: [TorrentCandidate], context: StageContext) async throws -> MatchOutcome {
        let report = await matcher.match(ticket.ticket, candidates)
        if let opinion = report.secondOpinion {
            logger.info("second opinion", metadata: ["ticket": "\(ticket.ticket.ticketId)", "said": "\(opinion)"])
        }
        switch report.decision {
        case .autoApprove(let best):
            return .autoApproved(
                best, confidence: best.score,
                alternatives: fallbackCandidates(report.scored, chosen: best, ticket: ticket.ticket, minScore: matcher.autoApproveThreshold))
        case .needsApproval(let candidates, let recommended, let reason):
            if recommended == 0, var best = equivalentChoice(ticket.ticket, candidates, reason: reason) {
                best.reasoning += "; other releases list the same files: verification after the download decides between them"
                return .autoApproved(
                    best, confidence: best.score,
                    alternatives: fallbackCandidates(report.scored, chosen: best, ticket: ticket.ticket, minScore: matcher.autoApproveThreshold))
            }
            return .needsApproval(
                .init(
                    candidates: candidates, recommendedIdx: recommended, confidence: candidates[recommended].score, reason: reason,
                    waitingSince: Date()))
        case nil:
            throw StageError.noCandidates(ticket.searchQuery ?? "\(ticket.ticket.search.artist) \(ticket.ticket.search.album)")
        }
    }
}
