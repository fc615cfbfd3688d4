import ArgumentParser
import Foundation
import Server

/// `downloader2 pause ID` / `resume ID`: asks the running server to pause or resume a ticket.
struct PauseCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pause",
        abstract:
            "Pause a ticket that downloads, waits to download or converts (its torrent stops, what is downloaded or converted stays); without an id, everything."
    )

    @OptionGroup var options: GlobalOptions
    @Option(help: "Server URL (default: from the configuration).") var server: String?
    @Argument(help: "Ticket id; none: pause everything (no new work is claimed).") var id: String?

    func run() async throws {
        try await TicketAction.post("pause", id: id, options: options, server: server)
    }
}

struct ResumeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resume", abstract: "Resume a paused ticket: its download goes on from what is on disk; without an id, end the global pause.")

    @OptionGroup var options: GlobalOptions
    @Option(help: "Server URL (default: from the configuration).") var server: String?
    @Argument(help: "Ticket id; none: resume everything the global pause stopped.") var id: String?

    func run() async throws {
        try await TicketAction.post("resume", id: id, options: options, server: server)
    }
}

enum TicketAction {
    static func post(_ action: String, id: String?, options: GlobalOptions, server: String?) async throws {
        let client = try APIClient(config: try options.loadConfig().config, server: server)
        let (status, body) = try await client.send("POST", id.map { "ticket/\($0)/\(action)" } ?? action, body: nil)
        try Output.print(status: status, body: body, json: options.json) { object in
            if let id { return "\(object["ticket_id"] as? String ?? id): \(object["state"] as? String ?? "?")" }
            let tickets = object["tickets"] as? [String] ?? []
            return (action == "pause" ? "everything paused" : "everything resumed") + "; tickets \(action)d: "
                + (tickets.isEmpty ? "none" : tickets.joined(separator: ", "))
        }
    }
}
