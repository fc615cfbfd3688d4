import ArgumentParser
import Foundation
import Server

/// `downloader2 status [ID]`: one ticket, or the queue.
struct Status: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Show one ticket, or the queue's counts by state.")

    @OptionGroup var options: GlobalOptions
    @Option(help: "Server URL (default: from the configuration).") var server: String?
    @Argument(help: "A ticket id; omit for queue statistics.") var ticketId: String?
    @Flag(help: "Follow the ticket live (WebSocket) with a progress bar until it ends; exits 0 when it completes.") var follow = false

    func validate() throws {
        if follow && ticketId == nil { throw ValidationError("--follow needs a ticket id") }
    }

    func run() async throws {
        let client = try APIClient(config: try options.loadConfig().config, server: server)
        if follow, let ticketId {
            let final = try await TicketFollower(client: client, ticketId: ticketId).run()
            if final != "completed" { throw ExitCode(1) }
            return
        }
        if let ticketId {
            let (status, body) = try await client.send("GET", "ticket/\(ticketId)")
            try Output.print(status: status, body: body, json: options.json) { t in
                var line = "\(t["ticket_id"] as? String ?? ticketId): \(t["state"] as? String ?? "?")"
                if let error = t["error_message"] as? String { line += " (last error: \(error))" }
                return line
            }
        } else {
            let (status, body) = try await client.send("GET", "stats")
            try Output.print(status: status, body: body, json: options.json) { s in
                let counts = (s["by_state"] as? [String: Int] ?? [:]).filter { $0.value > 0 }.sorted { $0.key < $1.key }
                return "\(s["total"] as? Int ?? 0) ticket(s)"
                    + (counts.isEmpty ? "" : ": " + counts.map { "\($0.key) \($0.value)" }.joined(separator: ", "))
            }
        }
    }
}
