import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
import Torrent

/// A program nobody here wrote (aria2c, opentracker, transmission-cli), run as a child process
/// with its output in a log file; stopped when the test is done.
final class ExternalProcess: @unchecked Sendable {
    // @unchecked: the Process is only touched by the test that started it, and by deinit.
    let process = Process()
    let logPath: String

    /// Starts `tool` (looked up on PATH); records a test issue naming the missing package if absent.
    init(_ tool: String, _ arguments: [String], logDirectory: String, currentDirectory: String? = nil) throws {
        try SystemTests.launching(tool)
        guard let path = ExternalProcess.which(tool) else {
            Issue.record("\(tool) is not installed; `make test` installs it (Debian packages in the Makefile's TEST_PACKAGES)")
            throw CancellationError()
        }
        logPath = (logDirectory as NSString).appendingPathComponent("\(tool)-\(UUID().uuidString.prefix(6)).log")
        #expect(FileManager.default.createFile(atPath: logPath, contents: nil))
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        if let currentDirectory { process.currentDirectoryURL = URL(fileURLWithPath: currentDirectory) }
        let log = FileHandle(forWritingAtPath: logPath)
        process.standardOutput = log
        process.standardError = log
        try process.run()
    }

    var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    /// Waits for the program to exit by itself; kills it after `seconds`.
    func waitForExit(within seconds: Double) async -> Int32? {
        let deadline = Date().addingTimeInterval(seconds)
        // The poll interval of a wait for the program's exit (bounded by `seconds`).
        while process.isRunning, Date() < deadline { try? await Task.sleep(for: .milliseconds(50)) }
        if process.isRunning {
            stop()
            return nil
        }
        return process.terminationStatus
    }

    func stop() {
        guard process.isRunning else { return }
        process.terminate()
        let deadline = Date().addingTimeInterval(3)
        // The poll interval of a wait for the exit after SIGTERM (bounded: 3 s, then SIGKILL).
        while process.isRunning, Date() < deadline { usleep(20_000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }

    deinit { stop() }

    static func which(_ tool: String) -> String? {
        let paths = (ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") + ["/usr/bin", "/usr/sbin"]
        return paths.map { "\($0)/\(tool)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }
}

/// opentracker on 127.0.0.1 with a whitelist (its Debian build answers "not authorized" without one).
final class LoopbackTracker: @unchecked Sendable {
    // @unchecked: immutable after init; the process wrapper stops itself.
    let port: Int
    let process: ExternalProcess
    var announceURL: String { "http://127.0.0.1:\(port)/announce" }

    /// Starts opentracker on `port` (a free one when nil): a test may bring a tracker back on the
    /// port a torrent already announces to.
    init(whitelist infoHashes: [String], in directory: String, port: Int? = nil) throws {
        self.port = try port ?? freeLoopbackPort()
        let whitelist = (directory as NSString).appendingPathComponent("whitelist")
        let config = (directory as NSString).appendingPathComponent("opentracker.conf")
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        #expect(FileManager.default.createFile(atPath: whitelist, contents: Data(infoHashes.map { $0 + "\n" }.joined().utf8)))
        #expect(
            FileManager.default.createFile(
                atPath: config, contents: Data("listen.tcp_udp 127.0.0.1:\(self.port)\naccess.whitelist \(whitelist)\n".utf8)))
        process = try ExternalProcess("opentracker", ["-f", config], logDirectory: directory, currentDirectory: directory)
    }

    /// A v1 torrent of `folder` announcing to a new tracker that knows only it: the setup of every
    /// loopback swarm the process tests start (the info hash does not depend on the tracker).
    static func serving(_ folder: String, pieceSize: Int, in directory: String) throws -> (tracker: LoopbackTracker, torrent: Data, hash: String) {
        let hash = try TorrentMetadata.parse(torrentFile: try TorrentCreator.create(from: folder, pieceSize: pieceSize, kind: .v1Only)).infoHash
        let tracker = try LoopbackTracker(whitelist: [hash], in: directory)
        let torrent = try TorrentCreator.create(from: folder, trackers: [tracker.announceURL], pieceSize: pieceSize, kind: .v1Only)
        return (tracker, torrent, hash)
    }

    /// Seeders the tracker knows for `infoHash` (from its scrape), or nil if it does not answer.
    func seeders(of infoHash: String) async -> Int? {
        var escaped = ""
        var index = infoHash.startIndex
        while index < infoHash.endIndex {
            let next = infoHash.index(index, offsetBy: 2)
            escaped += "%" + infoHash[index..<next]
            index = next
        }
        guard let url = URL(string: "http://127.0.0.1:\(port)/scrape?info_hash=\(escaped)"),
            let (data, _) = try? await URLSession.shared.data(from: url)
        else { return nil }
        // Bencoded: d5:filesd20:<hash>d8:completei<N>e…
        let text = String(decoding: data, as: UTF8.self)
        guard let range = text.range(of: "8:completei") else { return 0 }
        return Int(text[range.upperBound...].prefix { $0.isNumber })
    }
}
