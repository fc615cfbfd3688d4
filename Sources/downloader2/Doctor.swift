import ArgumentParser
import Foundation
import Server
import Tickets

/// `downloader2 doctor`: what would break this install, one line per check, non-zero on any error.
struct Doctor: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check the configuration, media roots, free space, indexers, the BitTorrent port and the encoders.")

    @OptionGroup var options: GlobalOptions

    func run() async throws {
        let source = options.config ?? ProcessInfo.processInfo.environment["DOWNLOADER2_CONFIG"]
        let loaded: LoadedConfig
        do {
            loaded = try AppConfig.load(path: source)
        } catch {
            try report([
                HealthCheck(
                    "config", source ?? "(defaults)", .error, error.description, hint: "fix the key it names; config.example.toml documents every key"
                )
            ])
            throw ExitCode(1)
        }
        RedactingLogHandler.install()
        var checks = [
            HealthCheck(
                "config", source ?? "(defaults)", loaded.warnings.isEmpty ? .ok : .warning,
                loaded.warnings.isEmpty ? "parses; every key is valid" : loaded.warnings.joined(separator: "; "))
        ]
        checks += await HealthChecks.run(loaded.config)
        try report(checks)
        if checks.contains(where: { $0.status == .error }) { throw ExitCode(1) }
    }

    private func report(_ checks: [HealthCheck]) throws {
        if options.json {
            print(String(decoding: try TicketJSON.encoder().encode(HealthReport(checkedAt: Date(), checks: checks)), as: UTF8.self))
            return
        }
        for check in checks {
            let status = check.status.rawValue.padding(toLength: 8, withPad: " ", startingAt: 0)
            print("\(status)\(check.check) \(check.subject): \(check.message)" + (check.hint.map { " — \($0)" } ?? ""))
        }
    }
}
