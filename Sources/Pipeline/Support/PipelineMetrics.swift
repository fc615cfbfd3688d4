import CoreMetrics
import Foundation

/// What the pipeline measures, through swift-metrics (the server exports it as Prometheus text):
/// stage durations, failures by class, bytes downloaded, audio converted.
public struct PipelineMetrics: Sendable {
    let factory: any MetricsFactory

    /// `factory` nil: whatever `MetricsSystem` was bootstrapped with (a no-op by default).
    public init(factory: (any MetricsFactory)? = nil) {
        self.factory = factory ?? MetricsSystem.factory
    }

    func stageFinished(_ stage: String, after seconds: TimeInterval) {
        Timer(label: "downloader2_stage_duration_seconds", dimensions: [("stage", stage)], factory: factory)
            .recordNanoseconds(Int64(seconds * 1_000_000_000))
    }

    func failed(code: String, retryable: Bool) {
        Counter(label: "downloader2_failures_total", dimensions: [("class", code), ("retryable", retryable ? "true" : "false")], factory: factory)
            .increment()
    }

    func downloaded(bytes: Int64) {
        Counter(label: "downloader2_downloaded_bytes_total", factory: factory).increment(by: max(0, bytes))
    }

    func converted(audioSeconds: Double) {
        FloatingPointCounter(label: "downloader2_converted_audio_seconds_total", factory: factory).increment(by: max(0, audioSeconds))
    }

    func completed() {
        Counter(label: "downloader2_tickets_completed_total", factory: factory).increment()
    }
}
