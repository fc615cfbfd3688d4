import ArgumentParser
import Foundation
import Logging
import Server
import ServiceLifecycle
import Torrent

/// `downloader2 torrent add SOURCE --dir DIR`: downloads in the foreground with a progress line.
struct TorrentAdd: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Download a magnet link or .torrent file into DIR; exits 0 when complete.",
        discussion: "Interrupted (SIGINT/SIGTERM) or killed, the same command later resumes from where it was.")

    @OptionGroup var options: GlobalOptions
    @Argument(help: "A magnet link or a .torrent file.") var source: String
    @Option(help: "Directory to download into.") var dir: String
    @Option(help: "Only these file indices (see `torrent info`), comma-separated, e.g. 1,3.") var files: String?
    @Flag(help: "Keep seeding after the download completes, until interrupted.") var seed = false
    @Option(name: .customLong("peer"), help: "Connect to this peer (ip:port); repeatable.") var peers: [String] = []
    @Option(help: "Where resume data is kept (default: DIR/.downloader2-resume).") var resumeDir: String?
    @Flag(
        help:
            "After the download, print libtorrent's own figures for it (disk queue, disk and hashing time, requests in flight), sampled while it ran."
    )
    var engineStats = false

    func run() async throws {
        let config = try options.loadConfig().config
        let wanted = try parseFiles()
        let source = try TorrentSource(self.source)
        var logger = Logger(label: "downloader2.torrent")
        logger.logLevel = .warning
        let resumeDirectory = resumeDir ?? (dir as NSString).appendingPathComponent(".downloader2-resume")
        let session = try TorrentSession(
            settings: config.torrentSettings, resumeDirectory: resumeDirectory,
            seedingPolicy: seed ? .seedForever : .stopWhenComplete, stallAfter: TimeInterval(config.torrent.stallTimeoutSecs), logger: logger)
        let group = ServiceGroup(
            configuration: .init(services: [.init(service: session)], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        let job = DownloadJob(
            session: session, source: source, directory: dir, wanted: wanted, peers: peers, seed: seed,
            metadataTimeout: .seconds(config.torrent.metadataTimeoutSecs), json: options.json,
            resumeDirectory: resumeDirectory, engineStats: engineStats)
        let outcome: Result<Void, any Error> = await withTaskGroup(of: Result<Void, any Error>?.self) { tasks in
            tasks.addTask {
                do { try await group.run() } catch { return .failure(error) }
                return nil
            }
            tasks.addTask {
                let result = await Result { try await job.run() }
                await group.triggerGracefulShutdown()
                return result
            }
            var outcome: Result<Void, any Error> = .success(())
            for await result in tasks { if let result, case .failure = result { outcome = result } }
            return outcome
        }
        if case .failure(let error) = outcome {
            FileHandle.standardError.write(Data("\ndownloader2: \(error)\n".utf8))
            throw ExitCode(1)
        }
    }

    private func parseFiles() throws -> Set<Int>? {
        guard let files else { return nil }
        let indices = files.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
        guard !indices.isEmpty, indices.allSatisfy({ ($0 ?? -1) >= 0 }) else {
            throw ValidationError("--files takes file indices separated by commas, e.g. 1,3 (got '\(files)')")
        }
        return Set(indices.compactMap { $0 })
    }
}

extension Result where Failure == any Error {
    init(_ body: () async throws -> Success) async {
        do { self = .success(try await body()) } catch { self = .failure(error) }
    }
}
