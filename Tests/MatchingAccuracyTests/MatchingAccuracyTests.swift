import Basics
import Matching
import Testing
import Tickets

/// The deterministic matcher against labelled cases (`make accuracy`). A case counts for top-1 when
/// the first-ranked candidate is a right one, or, when none is right, when nothing is auto-approved.
/// An auto-approval is wrong when it takes a candidate that is not right, or maps any track to the
/// wrong file or cue track.
@Suite("Matching accuracy: labelled cases")
struct MatchingAccuracyTests {
    @Test("top-1 at least 95 % and not one wrong auto-approval")
    func accuracy() async {
        // Scored off Swift's cooperative pool: this is seconds of CPU that would otherwise hold one
        // of its two threads while other tests' servers wait for it.
        let (count, top1, wrongAuto) = await runBlocking { Self.measure() }
        #expect(count >= 60)
        #expect(wrongAuto.isEmpty, "\(wrongAuto)")
        #expect(Double(top1) >= 0.95 * Double(count), "top1 \(top1)/\(count)")
    }

    /// Scores every case, prints one line each and the summary; returns the case count, the top-1
    /// hits and the wrong auto-approvals.
    static func measure() -> (Int, Int, [String]) {
        let scorer = CandidateScorer(autoApproveThreshold: 0.85)
        let cases = AccuracyCases.all
        var top1 = 0, wrongAuto: [String] = [], misses: [String] = []
        for item in cases {
            let candidates = item.releases.map(\.candidate)
            let scored = scorer.score(item.ticket, candidates)
            let rank = { (s: ScoredCandidate) in candidates.firstIndex(of: s.torrent)! }
            let decision = scorer.decide(item.ticket, scored)
            var approved: ScoredCandidate?
            if case .autoApprove(let best) = decision { approved = best }

            let first = scored.first.map(rank)
            let hit = item.right.isEmpty ? approved == nil : first.map(item.right.contains) ?? false
            let outcome = approved != nil ? "auto" : decision == nil ? "none" : "person"
            print(String(format: "%@ %-6@ %.3f  %@", hit ? "ok  " : "MISS", outcome, scored.first?.score ?? 0, item.name))
            if hit {
                top1 += 1
            } else {
                misses.append(
                    "\(item.name): first \(first.map(String.init) ?? "-"), right \(item.right.sorted()) — "
                        + scored.map { "[\(rank($0))] \($0.score) \($0.reasoning)" }.joined(separator: " | "))
            }
            if let approved {
                let index = rank(approved)
                if !item.right.contains(index) {
                    wrongAuto.append("\(item.name): auto-approved [\(index)] \(approved.torrent.title)")
                } else if let problem = mappingProblem(approved, expected: item.releases[index].expected, ticket: item.ticket) {
                    wrongAuto.append("\(item.name): right release, wrong mapping: \(problem)")
                }
            }
        }
        for line in misses { print("miss: \(line)") }
        for line in wrongAuto { print("wrong auto-approval: \(line)") }
        print("accuracy: top1 \(top1)/\(cases.count), wrong auto-approvals \(wrongAuto.count)")
        return (cases.count, top1, wrongAuto)
    }

    /// Every ticket track must map to the file (and cue track) the case expects.
    static func mappingProblem(_ scored: ScoredCandidate, expected: [String: (path: String, cueTrack: Int?)], ticket: Ticket) -> String? {
        for track in ticket.tracks {
            guard let want = expected[track.catalogTrackId] else { return "\(track.catalogTrackId) is not in this release" }
            guard let got = scored.trackMapping.first(where: { $0.catalogTrackId == track.catalogTrackId }) else {
                return "\(track.catalogTrackId) unmapped"
            }
            if got.torrentFilePath != want.path || got.cueTrack != want.cueTrack {
                return
                    "\(track.catalogTrackId) → \(got.torrentFilePath) #\(got.cueTrack.map(String.init) ?? "-"), expected \(want.path) #\(want.cueTrack.map(String.init) ?? "-")"
            }
        }
        return nil
    }
}
