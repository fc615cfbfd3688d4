import Dispatch

/// Runs conversions at most `width` at a time (`[converter] max_parallel_conversions`), on Dispatch
/// threads rather than Swift's cooperative pool: an encoder keeps a core busy for seconds, and a
/// blocked cooperative thread would stall the API and the pipeline.
///
/// Cancelling the calling task stops its conversion within one packet and removes the partial file.
public final class AudioConverter: Sendable {
    public let width: Int
    private let slots: ConversionSlots

    public init(width: Int) {
        self.width = max(1, width)
        slots = ConversionSlots(width: width)
    }

    /// Converts one track. `progress` receives the fraction done (0…1) from the worker thread.
    /// `proceed` is asked once a slot is free: false gives up the track before it starts (`.notStarted`).
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
