import Foundation

/// How the Orchestrator schedules work; filled from `[processing]` and `[matcher]`.
public struct PipelineSettings: Sendable, Equatable {
    /// Tickets worked on at once.
    public var maxParallelTickets: Int
    /// Of those, tickets downloading at once; the others wait for a slot in `downloading`.
    public var maxParallelDownloads: Int
    /// Longest sleep between looks at the queue when nothing wakes the loop.
    public var checkInterval: TimeInterval
    public var retry: RetryPolicy
    /// Who an approval through the API is attributed to.
    public var approver: String
    /// The least score of a release a stalled download may fall back to (the auto-approve threshold).
    public var fallbackMinScore: Double

    public init(
        maxParallelTickets: Int = 4, maxParallelDownloads: Int = 3, checkInterval: TimeInterval = 10, retry: RetryPolicy = RetryPolicy(),
        approver: String = "api", fallbackMinScore: Double = 0.85
    ) {
        self.fallbackMinScore = fallbackMinScore
        self.maxParallelTickets = maxParallelTickets
        self.maxParallelDownloads = max(1, maxParallelDownloads)
        self.checkInterval = checkInterval
        self.retry = retry
        self.approver = approver
    }
}

/// The stage implementations the Orchestrator drives a ticket through.
public struct PipelineStages: Sendable {
    public var search: any SearchStage
    public var match: any MatchStage
    public var download: any DownloadStage
    public var convert: any ConvertStage
    public var place: any PlaceStage
    /// Between download and convert: refuses releases whose files are not what the listing said.
    public var verify: any VerifyStage

    public init(
        search: any SearchStage, match: any MatchStage, download: any DownloadStage, convert: any ConvertStage, place: any PlaceStage,
        verify: any VerifyStage = NoVerification()
    ) {
        self.verify = verify
        self.search = search
        self.match = match
        self.download = download
        self.convert = convert
        self.place = place
    }
}
