import ArgumentParser
import Foundation
import Matching
import Server
import Tickets

/// `downloader2 match TICKET CANDIDATES`: the deterministic matcher's ranking, mapping and reasons.
struct Match: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Score candidates (a JSON array, as the API shows them) against a ticket and print the ranking.")

    @OptionGroup var options: GlobalOptions
    @Argument(help: "Ticket JSON file.") var ticket: String
    @Argument(help: "Candidates JSON file: an array of torrent candidates.") var candidates: String

    func run() throws {
        let decoder = TicketJSON.decoder()
        let ticket = try decoder.decode(Ticket.self, from: try read(self.ticket))
        let candidates = try decoder.decode([TorrentCandidate].self, from: try read(self.candidates))
        let config = try options.loadConfig().config
        let scorer = CandidateScorer(autoApproveThreshold: config.matcher.autoApproveThreshold)
        let scored = scorer.score(ticket, candidates)
        let decision: [String: JSONValue]
        switch scorer.decide(ticket, scored) {
        case .autoApprove: decision = ["decision": .string("auto_approved"), "selected_idx": .number(0)]
        case .needsApproval(_, let recommended, let reason):
            decision = ["decision": .string("needs_approval"), "recommended_idx": .number(Double(recommended)), "reason": try JSONValue(encoding: reason)]
        case nil: decision = ["decision": .string("no_candidates")]
        }
        if options.json {
            var object = decision
            object["candidates"] = try JSONValue(encoding: scored)
            print(String(decoding: try TicketJSON.encoder().encode(JSONValue.object(object)), as: UTF8.self))
            return
        }
        for (index, candidate) in scored.enumerated() {
            print(String(format: "%2d  %.3f  %@", index, candidate.score, candidate.torrent.title))
            print("      \(candidate.reasoning)")
            for mapping in candidate.trackMapping {
                print(String(format: "      %@ → %@ (%.2f)", mapping.catalogTrackId, mapping.torrentFilePath, mapping.confidence))
            }
        }
        print("decision: \(decision["decision"]?.stringValue ?? "?")" + (decision["reason"].map { " (\(String(decoding: (try? TicketJSON.encoder().encode($0)) ?? Data(), as: UTF8.self)))" } ?? ""))
    }

    private func read(_ path: String) throws -> Data {
        guard let data = FileManager.default.contents(atPath: path) else { throw CLIError("cannot read '\(path)'") }
        return data
    }
}
