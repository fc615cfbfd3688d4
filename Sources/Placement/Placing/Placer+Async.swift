import Dispatch

extension Placer {
    /// ``place(_:at:moveSource:)`` off Swift's cooperative pool (its I/O and fsyncs block).
    public func placeInBackground(_ source: String, at destination: String, moveSource: Bool) async -> Result<PlacedFile, PlacementError> {
        await runBlocking { Result { () throws(PlacementError) in try self.place(source, at: destination, moveSource: moveSource) } }
    }
}

/// Runs blocking file work on a Dispatch thread, so a blocked read or fsync never holds a thread
/// of Swift's cooperative pool (which the API and the pipeline share).
func runBlocking<T: Sendable>(_ work: @escaping @Sendable () -> T) async -> T {
    await withCheckedContinuation { continuation in
        DispatchQueue.global(qos: .utility).async { continuation.resume(returning: work()) }
    }
}
