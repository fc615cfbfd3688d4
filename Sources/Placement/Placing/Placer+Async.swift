import Dispatch

extension Placer {
    /// ``place(_:at:moveSource:)`` on a Dispatch thread, so its blocking I/O and fsyncs never hold
    /// a thread of Swift's cooperative pool.
    public func placeInBackground(_ source: String, at destination: String, moveSource: Bool) async -> Result<PlacedFile, PlacementError> {
        await withCheckedContinuation { continuation in
            DispatchQueue.global(qos: .utility).async {
                continuation.resume(returning: Result { () throws(PlacementError) in try self.place(source, at: destination, moveSource: moveSource) })
            }
        }
    }
}
