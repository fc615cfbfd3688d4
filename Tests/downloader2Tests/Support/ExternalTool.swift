import Basics
import Foundation
import Testing

/// A program nobody here wrote (ffmpeg, ffprobe, python3 with mutagen), run to completion.
enum ExternalTool {
    struct Output {
        var status: Int32
        var stdout: Data
        var stderr: String
    }

    /// Runs `tool` and returns its output; throws (and records the missing package) when it is absent
    /// or exits non-zero.
    @discardableResult
    static func run(_ tool: String, _ arguments: [String], environment: [String: String]? = nil) throws -> Output {
        let result = try outcome(tool, arguments, environment: environment)
        guard result.status == 0 else { throw ToolFailure(tool: tool, arguments: arguments, output: result) }
        return result
    }

    /// Runs `tool` to its end and returns what it did, whatever its exit status (for tests of the
    /// exit status itself). The one launcher of programs run to completion in the tests.
    static func outcome(_ tool: String, _ arguments: [String], environment: [String: String]? = nil) throws -> Output {
        try SystemTests.launching(tool)
        guard let path = tool.hasPrefix("/") ? tool : ExternalProcess.which(tool) else {
            Issue.record("\(tool) is not installed; `make test` installs it (Makefile TEST_PACKAGES / PYTHON_TOOLS)")
            throw CancellationError()
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = arguments
        if let environment { process.environment = environment }
        let out = Pipe()
        // stderr goes to a file, so only one pipe is read and neither can fill up and block the program.
        let errPath = (NSTemporaryDirectory() as NSString).appendingPathComponent(
            "\((tool as NSString).lastPathComponent)-\(UUID().uuidString).stderr")
        FileManager.default.createFile(atPath: errPath, contents: nil)
        defer { try? FileManager.default.removeItem(atPath: errPath) }
        process.standardOutput = out
        process.standardError = FileHandle(forWritingAtPath: errPath)
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let errText = (try? String(contentsOfFile: errPath, encoding: .utf8)) ?? ""
        return Output(status: process.terminationStatus, stdout: outData, stderr: errText)
    }

    /// `outcome` off the cooperative pool, with stdout and stderr as one text: for tests that read
    /// what a program said, whatever its status (the appliance and the container image).
    static func said(_ tool: String, _ arguments: [String]) async throws -> (status: Int32, output: String) {
        let result = try await runBlocking { Result { try outcome(tool, arguments) } }.get()
        return (result.status, String(decoding: result.stdout, as: UTF8.self) + result.stderr)
    }

    struct ToolFailure: Error, CustomStringConvertible {
        var tool: String
        var arguments: [String]
        var output: Output
        var description: String { "\(tool) \(arguments.joined(separator: " ")) exited \(output.status): \(output.stderr)" }
    }
}
