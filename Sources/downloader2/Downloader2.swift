import ArgumentParser
import Foundation
import Server

/// `downloader2`: the service and the tools around it.
@main
struct Downloader2: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "downloader2",
        abstract: "Finds, downloads, converts and places albums that a music catalog asks for.",
        version: ServiceInfo.version,
        subcommands: [
            Serve.self, Submit.self, Status.self, TorrentCommand.self, Release.self, Match.self, Hash.self, Convert.self, Probe.self, Inspect.self,
            PauseCommand.self, ResumeCommand.self, Version.self, Doctor.self, Health.self, SearchCommand.self, TorrentsCommand.self,
        ],
        defaultSubcommand: Serve.self)
}

/// Options every subcommand shares.
struct GlobalOptions: ParsableArguments {
    @Option(name: .long, help: "TOML configuration file (default: none; built-in defaults and DOWNLOADER2_* variables apply).")
    var config: String?

    @Flag(name: .long, help: "Print JSON instead of text.")
    var json = false

    /// The configuration, or exit code 2 with a message naming the key at fault.
    func loadConfig() throws -> LoadedConfig {
        RedactingLogHandler.install()
        do {
            return try AppConfig.load(path: config ?? ProcessInfo.processInfo.environment["DOWNLOADER2_CONFIG"])
        } catch {
            FileHandle.standardError.write(Data("downloader2: configuration error: \(error.description)\n".utf8))
            throw ExitCode(2)
        }
    }
}
