import ArgumentParser
import Foundation
import Placement

/// `downloader2 hash FILE…`: SHA-256 of files, in parallel, printed like `sha256sum`.
struct Hash: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Print the SHA-256 of files (like sha256sum), hashing them in parallel.")

    @Argument(help: "Files to hash.") var files: [String]
    @Option(help: "Files hashed at once (default: the number of cores).") var jobs: Int = ProcessInfo.processInfo.activeProcessorCount
    @Flag(name: .long, help: "Print JSON instead of text.") var json = false

    func validate() throws {
        if files.isEmpty { throw ValidationError("give at least one file") }
        if jobs < 1 { throw ValidationError("--jobs must be 1 or more") }
    }

    func run() async throws {
        let results = await ParallelHasher(width: jobs).hash(files)
        var failed = false
        var entries: [[String: Any]] = []
        for (path, result) in zip(files, results) {
            switch result {
            case .success(let digest):
                if json {
                    entries.append(["path": path, "sha256": digest.sha256, "size": digest.size])
                } else {
                    print("\(digest.sha256)  \(path)")
                }
            case .failure(let error):
                failed = true
                if json { entries.append(["path": path, "error": error.description]) }
                FileHandle.standardError.write(Data("downloader2: \(error)\n".utf8))
            }
        }
        if json {
            print(
                String(decoding: try JSONSerialization.data(withJSONObject: entries, options: [.sortedKeys, .withoutEscapingSlashes]), as: UTF8.self))
        }
        if failed { throw ExitCode(1) }
    }
}
