import Dispatch

/// Runs conversions at most `width` at a time (`[converter] max_parallel_conversions`), on Dispatch
/// threads rather than Swift's cooperative pool: an encoder keeps a core busy for seconds, and a
/// blocked cooperative thread would stall the API and the pipeline.
///
/// Cancelling the calling task stops its conversion within one packet and removes the partial file.
public final class AudioConverter: Sendable {
    public let width: Int
    private let slots: ConversionSlots

    /// A pool that runs at most `width` conversions at once.
    ///
    /// - Parameter width: The most conversions at once (`[converter] max_parallel_conversions`); less than 1 counts as 1.
    public init(width: Int) {
        self.width = max(1, width)
        slots = ConversionSlots(width: width)
    }

    /// Converts one track. `progress` receives the fraction done (0…1) from the worker thread.
    /// `proceed` is asked once a slot is free: false gives up the track before it starts (`.notStarted`).
    ///
    /// - Parameters:
    ///   - job: The track to make: its source (or a range of it), output path, format, tags and cover.
    ///   - progress: Receives the fraction of the track done, 0 to 1, on the worker thread.
    ///   - proceed: Asked once a slot is free; false gives the track up before it starts.
    /// - Returns: What was written: the output path, whether it was transcoded or remuxed and why, the file's audio
    ///   details, and its loudness when the job asks for it.
    /// - Throws: ``AudioError/notStarted`` when `proceed` says false; ``AudioError/cancelled`` when the task is
    ///   cancelled during the conversion (the partial file is removed); another ``AudioError`` when the source cannot be
    ///   read or decoded, or the output cannot be written or fails validation; `CancellationError` when the task is
    ///   cancelled while it waits for a slot.
    public func convert(
        _ job: ConversionJob, progress: @escaping @Sendable (Double) -> Void = { _ in }, proceed: @Sendable () -> Bool = { true }
    ) async throws -> ConversionResult {
        try await slots.acquire()
        defer { slots.release() }
        guard proceed() else { throw AudioError.notStarted }
        let flag = CancelFlag()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                DispatchQueue.global(qos: .utility).async {
                    continuation.resume(with: Result { try Transcoder.run(job, cancel: flag, progress: progress) })
                }
            }
        } onCancel: {
            flag.cancel()
        }
    }
}
