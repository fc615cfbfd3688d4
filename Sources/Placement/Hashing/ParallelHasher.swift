import Basics
import Foundation

/// Hashes many files at once (an album, a completed torrent), at most `width` at a time.
///
/// The work runs on Dispatch threads, not on Swift's cooperative pool: file reads block, and a
/// blocked cooperative thread would stall unrelated tasks (the API, the pipeline).
public struct ParallelHasher: Sendable {
    public let width: Int

    public init(width: Int = ProcessInfo.processInfo.activeProcessorCount) {
        self.width = max(1, width)
    }

    /// One result per path, in the order given: a digest, or the error for that file.
    public func hash(_ paths: [String]) async -> [Result<FileDigest, PlacementError>] {
        await withTaskGroup(of: (Int, Result<FileDigest, PlacementError>).self) { group in
            var results = [Result<FileDigest, PlacementError>?](repeating: nil, count: paths.count)
            var next = 0
            func launch() {
                let index = next
                next += 1
                group.addTask {
                    (index, await runBlocking { Result { () throws(PlacementError) in try SHA256Hasher().hashFile(atPath: paths[index]) } })
                }
            }
            while next < min(width, paths.count) { launch() }
            for await (index, result) in group {
                results[index] = result
                if next < paths.count { launch() }
            }
            return results.map { $0! }
        }
    }
}
