import Foundation
import Testing

/// The real `downloader2` binary run by a test: arguments, environment (no stray `DOWNLOADER2_*`
/// from the caller), stderr appended to a log file the test can read, killed when released.
final class ServiceProcess: @unchecked Sendable {
    // @unchecked: `process` is only read after `run()`; Foundation's Process is thread-safe for that.
    let process: Process
    let logPath: String

    /// `swift build --build-tests` puts the executable beside the test bundle.
    static var binary: String {
        URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("downloader2").path
    }

    /// `executable` is another program that runs the service (`buildah run` for the container image).
    init(_ arguments: [String], environment extra: [String: String] = [:], log: String, executable: String = ServiceProcess.binary) throws {
        guard FileManager.default.isExecutableFile(atPath: executable) else {
            Issue.record("the downloader2 executable is not at \(executable); build it with `swift build --build-tests` (make test does)")
            throw CancellationError()
        }
        process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("DOWNLOADER2_") }.merging(extra) { $1 }
        process.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
        if !FileManager.default.fileExists(atPath: log) { FileManager.default.createFile(atPath: log, contents: nil) }
        let handle = try #require(FileHandle(forWritingAtPath: log))
        handle.seekToEndOfFile()
        process.standardError = handle
        logPath = log
        try process.run()
    }

    var pid: Int32 { process.processIdentifier }
    var log: String { (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "" }

    /// SIGTERM (a graceful stop) or SIGKILL, then waits for the exit.
    func stop(_ signal: Int32 = SIGTERM) {
        if process.isRunning { kill(process.processIdentifier, signal) }
        process.waitUntilExit()
    }

    deinit { stop(SIGKILL) }

    /// Waits until the service answers `GET /api/v1/health` with 200: the thing itself, not a delay.
    /// Gives up at once when the process has ended, or after `seconds`; either way the issue says what
    /// it saw (the exit status, the last answer or error, the log's end), so a failure on a slow
    /// machine can be told from a failure of the service.
    @discardableResult
    func waitUntilHealthy(_ http: LiveHTTP, within seconds: Double = 90, sourceLocation: SourceLocation = #_sourceLocation) async -> Bool {
        let deadline = ContinuousClock.now + .seconds(seconds)
        var last = "no answer yet"
        while ContinuousClock.now < deadline {
            if !process.isRunning {
                Issue.record(
                    "the service ended (status \(process.terminationStatus), \(process.terminationReason == .exit ? "exit" : "signal")) before it was healthy; last: \(last)\n\(log.suffix(4000))",
                    sourceLocation: sourceLocation)
                return false
            }
            do {
                let answer = try await http.send("GET", "/api/v1/health", timeout: 5)
                if answer.status == 200 { return true }
                last = "HTTP \(answer.status) \(answer.json)"
            } catch {
                last = "\(error)"
            }
            // The poll interval of a wait for a state (bounded by `seconds`), not a wait in itself.
            try? await Task.sleep(for: .milliseconds(50))
        }
        Issue.record(
            "the service (pid \(pid), running: \(process.isRunning)) was not healthy after \(Int(seconds)) s; last: \(last)\n\(log.suffix(4000))",
            sourceLocation: sourceLocation)
        return false
    }
}
