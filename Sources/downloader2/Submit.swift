import ArgumentParser
import Foundation
import Server

/// `downloader2 submit FILE`: posts a ticket to the running server.
struct Submit: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Submit a ticket JSON file to the running server.")

    @OptionGroup var options: GlobalOptions
    @Option(help: "Server URL (default: from the configuration).") var server: String?
    @Argument(help: "Ticket JSON file, or - for standard input.") var file: String

    func run() async throws {
        let config = try options.loadConfig().config
        let data: Data
        if file == "-" {
            data = FileHandle.standardInput.readDataToEndOfFile()
        } else {
            guard let contents = FileManager.default.contents(atPath: file) else { throw CLIError("cannot read '\(file)'") }
            data = contents
        }
        let client = try APIClient(config: config, server: server)
        let (status, body) = try await client.send("POST", "ticket", body: data)
        try Output.print(status: status, body: body, json: options.json) { object in
            let verb = status == 201 ? "created" : "already stored"
            return "\(object["ticket_id"] as? String ?? "?"): \(verb), state \(object["state"] as? String ?? "?")"
        }
    }
}

/// Printing API answers: JSON as received with `--json`, else a line for people; errors exit 1.
enum Output {
    static func print(status: Int, body: Data, json: Bool, text: ([String: Any]) -> String) throws {
        let object = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] ?? [:]
        if json {
            FileHandle.standardOutput.write(body)
            FileHandle.standardOutput.write(Data("\n".utf8))
        } else if (200..<300).contains(status) {
            Swift.print(text(object))
        }
        guard (200..<300).contains(status) else {
            let error = object["error"] as? [String: Any]
            let field = (error?["field"] as? String).map { " (\($0))" } ?? ""
            if !json {
                FileHandle.standardError.write(
                    Data("downloader2: HTTP \(status): \(error?["message"] as? String ?? String(decoding: body, as: UTF8.self))\(field)\n".utf8))
            }
            throw ExitCode(1)
        }
    }
}
