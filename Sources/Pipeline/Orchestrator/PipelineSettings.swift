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
    /// Searches that find nothing leave the ticket `wanted` on this schedule; nil: they are retried
    /// like any retryable error and then fail (`[wanted] enabled = false`).
    public var wanted: WantedPolicy?
    /// A release verification calls `suspect` (one sign of a lossy source, not two): `ask` falls back to
    /// another approved release (keeping the suspect one as a lower choice) or asks a person; `accept`
    /// converts it (`[verify] suspects`). Never blocklisted either way.
    public var acceptSuspects: Bool

    public init(
        maxParallelTickets: Int = 4, maxParallelDownloads: Int = 3, checkInterval: TimeInterval = 10, retry: RetryPolicy = RetryPolicy(),
        approver: String = "api", fallbackMinScore: Double = 0.85, wanted: WantedPolicy? = nil, acceptSuspects: Bool = false
    ) {
        self.acceptSuspects = acceptSuspects
        self.wanted = wanted
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

/// When a `wanted` ticket is searched again: after each fruitless search the next interval of
/// `intervals` (the last one repeating), until the ticket is `giveUpAfter` old; then it fails with
/// `not_found`.
public struct WantedPolicy: Sendable, Equatable {
    public var intervals: [TimeInterval]
    public var giveUpAfter: TimeInterval

    /// 15 min, 1 h, 6 h, then daily; given up after 90 days.
    public init(intervals: [TimeInterval] = [900, 3600, 21_600, 86_400], giveUpAfter: TimeInterval = 90 * 86_400) {
        self.intervals = intervals.isEmpty ? [86_400] : intervals
        self.giveUpAfter = giveUpAfter
    }

    /// The wait before search number `searches + 1`, after `searches` fruitless ones (1 or more).
    public func delay(afterSearches searches: Int) -> TimeInterval {
        intervals[min(max(searches, 1), intervals.count) - 1]
    }
}
