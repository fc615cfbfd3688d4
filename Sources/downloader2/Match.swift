import ArgumentParser
import Foundation
import Matching
import Server
import Tickets

/// `downloader2 match TICKET CANDIDATES`: the deterministic matcher's ranking, mapping and reasons.
struct Match: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Score candidates (a JSON array, as the API shows them) against a ticket and print the ranking.")

    @OptionGroup var options: GlobalOptions
    @Argument(help: "Ticket JSON file.") var ticket: String
    @Argument(help: "Candidates JSON file: an array of torrent candidates.") var candidates: String

    func run() async throws {
        let decoder = TicketJSON.decoder()
        let ticket = try decoder.decode(Ticket.self, from: try read(self.ticket))
        let candidates = try decoder.decode([TorrentCandidate].self, from: try read(self.candidates))
        let config = try options.loadConfig().config
        let report = try await MatcherChoice.make(config.matcher).match(ticket, candidates)
        let scored = report.scored
        var decision: [String: JSONValue]
        switch report.decision {
        case .autoApprove(let best):
            decision = ["decision": .string("auto_approved"), "selected_idx": .number(Double(scored.firstIndex(of: best) ?? 0))]
        case .needsApproval(_, let recommended, let reason):
            decision = [
                "decision": .string("needs_approval"), "recommended_idx": .number(Double(recommended)), "reason": try JSONValue(encoding: reason),
            ]
        case nil: decision = ["decision": .string("no_candidates")]
        }
        if let opinion = report.secondOpinion { decision["second_opinion"] = .string(opinion) }
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
        if let opinion = report.secondOpinion { print("second opinion: \(opinion)") }
        print(
            "decision: \(decision["decision"]?.stringValue ?? "?")"
                + (decision["reason"].map { " (\(String(decoding: (try? TicketJSON.encoder().encode($0)) ?? Data(), as: UTF8.self)))" } ?? ""))
    }

    private func read(_ path: String) throws -> Data {
        guard let data = FileManager.default.contents(atPath: path) else { throw CLIError("cannot read '\(path)'") }
        return data
    }
}
