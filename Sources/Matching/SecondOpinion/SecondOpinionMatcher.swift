import Foundation
import Tickets

/// The deterministic matcher, with a language model asked only when its result is ambiguous (two
/// good releases, or a best one just under the threshold). The model's answer must fit a strict
/// schema; any error, timeout or malformed answer leaves the deterministic result as it was.
/// The model can change which candidate is recommended; it can approve alone only a candidate that
/// maps every track and scored close to the threshold, and only when it is sure.
public struct SecondOpinionMatcher: Matcher {
    public let scorer: CandidateScorer
    public let client: any LLMClient
    /// How many of the best candidates the model sees.
    let shown: Int

    public static let sureConfidence = 0.9

    public var autoApproveThreshold: Double { scorer.autoApproveThreshold }

    public init(scorer: CandidateScorer, client: any LLMClient, shown: Int = 5) {
        self.scorer = scorer
        self.client = client
        self.shown = shown
    }

    /// The one answer shape accepted.
    public static let schema: JSONValue = .object([
        "type": .string("object"),
        "properties": .object([
            "choice": .object([
                "type": .array([.string("integer"), .string("null")]),
                "description": .string("index of the candidate that is exactly the ticket's album, or null when none is"),
            ]),
            "confidence": .object(["type": .string("number"), "description": .string("0 to 1")]),
            "reasoning": .object(["type": .string("string"), "description": .string("one or two sentences")]),
        ]),
        "required": .array([.string("choice"), .string("confidence"), .string("reasoning")]),
        "additionalProperties": .bool(false),
    ])

    public struct Verdict: Sendable, Equatable {
        public var choice: Int?
        public var confidence: Double
        public var reasoning: String
    }

    /// Checks the answer against ``schema`` by hand: exactly the three keys, the right types, the
    /// choice within the candidates shown, the confidence within 0…1.
    public static func verdict(from answer: JSONValue, candidates: Int) throws -> Verdict {
        guard case .object(let fields) = answer else { throw LLMError("the answer is not a JSON object") }
        let extra = Set(fields.keys).subtracting(["choice", "confidence", "reasoning"])
        guard extra.isEmpty else { throw LLMError("the answer has unexpected key(s): \(extra.sorted().joined(separator: ", "))") }
        var choice: Int?
        switch fields["choice"] {
        case .null?: choice = nil
        case .number(let n)? where n.rounded() == n:
            guard n >= 0, Int(n) < candidates else { throw LLMError("choice \(Int(n)) is not one of the \(candidates) candidates shown") }
            choice = Int(n)
        case nil: throw LLMError("the answer has no 'choice'")
        default: throw LLMError("'choice' must be an integer or null")
        }
        guard case .number(let confidence)? = fields["confidence"] else { throw LLMError("'confidence' must be a number") }
        guard (0...1).contains(confidence) else { throw LLMError("'confidence' \(confidence) is outside 0…1") }
        guard case .string(let reasoning)? = fields["reasoning"], !reasoning.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw LLMError("'reasoning' must be a non-empty string")
        }
        return Verdict(choice: choice, confidence: confidence, reasoning: String(reasoning.prefix(1000)))
    }

    public func match(_ ticket: Ticket, _ candidates: [TorrentCandidate]) async -> MatchReport {
        let scored = scorer.score(ticket, candidates)
        let decision = scorer.decide(ticket, scored)
        guard case .needsApproval(_, _, let reason) = decision, Self.isAmbiguous(reason) else {
            return MatchReport(scored: scored, decision: decision)
        }
        let top = Array(scored.prefix(shown))
        let verdict: Verdict
        do {
            let answer = try await client.complete(system: Self.systemPrompt, user: Self.prompt(ticket, top), schema: Self.schema)
            verdict = try Self.verdict(from: answer, candidates: top.count)
        } catch {
            return MatchReport(
                scored: scored, decision: decision, secondOpinion: "\(client.label) gave no usable answer (\(error)); the deterministic result stands"
            )
        }
        let said =
            "\(client.label): " + (verdict.choice.map { "candidate \($0)" } ?? "none of them")
            + String(format: " (confidence %.2f): ", verdict.confidence) + verdict.reasoning
        guard let choice = verdict.choice else {
            return MatchReport(scored: scored, decision: decision, secondOpinion: said)
        }
        var ranked = scored
        ranked[choice].reasoning += "; second opinion from \(said)"
        let chosen = ranked[choice]
        let complete = Set(chosen.trackMapping.map(\.catalogTrackId)).isSuperset(of: ticket.tracks.map(\.catalogTrackId))
        if verdict.confidence >= Self.sureConfidence, complete, chosen.score >= scorer.autoApproveThreshold - 0.1 {
            return MatchReport(scored: ranked, decision: .autoApprove(chosen), secondOpinion: said)
        }
        return MatchReport(scored: ranked, decision: .needsApproval(candidates: ranked, recommendedIdx: choice, reason: reason), secondOpinion: said)
    }

    /// Worth a second opinion: the facts are all there, but the scores do not settle it.
    static func isAmbiguous(_ reason: ApprovalReason) -> Bool {
        switch reason {
        case .multipleGoodMatches, .lowConfidence, .nameSimilarityLow: true
        case .trackCountMismatch, .durationMismatch, .noExactMatch, .verificationFailed, .verificationSuspect: false
        }
    }

    public static let systemPrompt = """
        You pick torrent releases for a music library. Given an album from the catalog and candidate releases \
        (title, seeders, file list, a deterministic score with its reasons), say which candidate is exactly that album: \
        the same recording and track list, not a live album, compilation, single, discography pack or another edition \
        unless the album itself is one. When none is, say null. Answer only through the requested JSON.
        """

    public static func prompt(_ ticket: Ticket, _ candidates: [ScoredCandidate]) -> String {
        var lines = ["Album: \(ticket.search.artist) — \(ticket.search.album)" + (ticket.search.year.map { " (\($0))" } ?? "")]
        lines.append("Tracks:")
        for track in ticket.tracks {
            lines.append(
                "  \(track.discNumber)-\(track.trackNumber) \(track.name)" + (track.durationSecs.map { " [\(CandidateScorer.clock($0))]" } ?? ""))
        }
        lines.append("Wanted format: \(ticket.constraints.format.rawValue)")
        for (index, candidate) in candidates.enumerated() {
            lines.append("")
            lines.append("Candidate \(index): \(candidate.torrent.title)")
            lines.append(
                "  seeders \(candidate.torrent.seeders), \(candidate.torrent.sizeBytes / 1_000_000) MB, score \(candidate.score): \(candidate.reasoning)"
            )
            if let files = candidate.torrent.files {
                for file in files.prefix(60) { lines.append("  \(file.path) (\(file.sizeBytes / 1000) kB)") }
                if files.count > 60 { lines.append("  … \(files.count - 60) more files") }
            } else {
                lines.append("  (no file list)")
            }
        }
        return lines.joined(separator: "\n")
    }
}
