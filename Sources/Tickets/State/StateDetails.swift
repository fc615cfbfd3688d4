public import Foundation

// The details each state carries (docs/ARCHITECTURE.md#states-and-transitions). Dates are when the state was entered.
extension TicketState {
    /// Queued; `note` says why it is here again (restart recovery, retry, force-search).
    public struct Pending: Codable, Sendable, Equatable {
        public var since: Date
        public var note: String?
        public init(since: Date, note: String? = nil) { self.since = since; self.note = note }
    }

    public struct Searching: Codable, Sendable, Equatable {
        public var startedAt: Date
        public var query: String?
        public init(startedAt: Date, query: String? = nil) { self.startedAt = startedAt; self.query = query }
    }

    public struct Matching: Codable, Sendable, Equatable {
        public var candidates: [TorrentCandidate]
        public var startedAt: Date
        public init(candidates: [TorrentCandidate], startedAt: Date) { self.candidates = candidates; self.startedAt = startedAt }
    }

    public struct NeedsApproval: Codable, Sendable, Equatable {
        public var candidates: [ScoredCandidate]
        public var recommendedIdx: Int
        public var confidence: Double
        public var reason: ApprovalReason
        public var waitingSince: Date
        public init(candidates: [ScoredCandidate], recommendedIdx: Int, confidence: Double, reason: ApprovalReason, waitingSince: Date) {
            self.candidates = candidates
            self.recommendedIdx = recommendedIdx
            self.confidence = confidence
            self.reason = reason
            self.waitingSince = waitingSince
        }
    }

    public struct AutoApproved: Codable, Sendable, Equatable {
        public var selected: ScoredCandidate
        public var confidence: Double
        /// Other releases good enough to take instead, best first: where a stalled download falls back to.
        public var alternatives: [ScoredCandidate]?
        public init(selected: ScoredCandidate, confidence: Double, alternatives: [ScoredCandidate]? = nil) {
            self.selected = selected
            self.confidence = confidence
            self.alternatives = alternatives?.isEmpty == true ? nil : alternatives
        }
    }

    public struct Approved: Codable, Sendable, Equatable {
        public var selected: ScoredCandidate
        public var approvedBy: String
        public var approvedAt: Date
        /// As for ``AutoApproved``: releases to fall back to when the chosen one stalls.
        public var alternatives: [ScoredCandidate]?
        /// The info-hash of the release the person chose. A fallback to one of the alternatives keeps
        /// it: that release was picked by the pipeline, not by the person (nil in approvals stored
        /// before it was kept, which count as choosing nothing in particular).
        public var chosenInfoHash: String?
        public init(
            selected: ScoredCandidate, approvedBy: String, approvedAt: Date, alternatives: [ScoredCandidate]? = nil, chosenInfoHash: String? = nil
        ) {
            self.alternatives = alternatives?.isEmpty == true ? nil : alternatives
            self.selected = selected
            self.approvedBy = approvedBy
            self.approvedAt = approvedAt
            self.chosenInfoHash = chosenInfoHash
        }

        /// Whether the person chose this very release (not an alternative the pipeline fell back to).
        public func chose(_ infoHash: String) -> Bool { chosenInfoHash?.lowercased() == infoHash.lowercased() }
    }

    public struct Rejected: Codable, Sendable, Equatable {
        public var rejectedBy: String
        public var reason: String?
        public var rejectedAt: Date
        public init(rejectedBy: String, reason: String?, rejectedAt: Date) {
            self.rejectedBy = rejectedBy
            self.reason = reason
            self.rejectedAt = rejectedAt
        }
    }

    public struct Downloading: Codable, Sendable, Equatable {
        public var torrentHash: String
        public var progressPct: Double
        public var downloadSpeedBps: Int64
        public var etaSecs: Int?
        public var startedAt: Date
        public init(torrentHash: String, progressPct: Double = 0, downloadSpeedBps: Int64 = 0, etaSecs: Int? = nil, startedAt: Date) {
            self.torrentHash = torrentHash
            self.progressPct = progressPct
            self.downloadSpeedBps = downloadSpeedBps
            self.etaSecs = etaSecs
            self.startedAt = startedAt
        }
    }

    public struct Converting: Codable, Sendable, Equatable {
        public var currentTrackIdx: Int
        public var totalTracks: Int
        public var currentTrackName: String
        public var startedAt: Date
        public init(currentTrackIdx: Int, totalTracks: Int, currentTrackName: String, startedAt: Date) {
            self.currentTrackIdx = currentTrackIdx
            self.totalTracks = totalTracks
            self.currentTrackName = currentTrackName
            self.startedAt = startedAt
        }
    }

    public struct Placing: Codable, Sendable, Equatable {
        public var filesPlaced: Int
        public var totalFiles: Int
        public var startedAt: Date
        public init(filesPlaced: Int, totalFiles: Int, startedAt: Date) {
            self.filesPlaced = filesPlaced
            self.totalFiles = totalFiles
            self.startedAt = startedAt
        }
    }

    public struct Completed: Codable, Sendable, Equatable {
        public var completedAt: Date
        public var stats: CompletionStats
        /// Completed with parts missing (`[processing] partial_success = "complete_flagged"`, or the
        /// ticket's images of a release that has no cover at all).
        public var flagged: Bool?
        /// Exactly what is missing and why, when flagged.
        public var missing: [MissingItem]?
        public init(completedAt: Date, stats: CompletionStats, missing: [MissingItem] = []) {
            self.completedAt = completedAt
            self.stats = stats
            self.flagged = missing.isEmpty ? nil : true
            self.missing = missing.isEmpty ? nil : missing
        }
    }

    /// A track or image a flagged completion did not deliver.
    public struct MissingItem: Codable, Sendable, Equatable {
        /// `track` or `image`.
        public var kind: String
        /// catalog_track_id or catalog_image_id.
        public var catalogId: String
        public var destPath: String
        public var reason: String
        public init(kind: String, catalogId: String, destPath: String, reason: String) {
            self.kind = kind
            self.catalogId = catalogId
            self.destPath = destPath
            self.reason = reason
        }
    }

    public struct Failed: Codable, Sendable, Equatable {
        public var failedAtState: TicketStateName
        /// A stable, machine-readable error kind, e.g. `not_implemented`, `no_candidates`, `disk_full`.
        public var code: String
        public var error: String
        public var retryable: Bool
        public var retryCount: Int
        public var failedAt: Date
        public init(failedAtState: TicketStateName, code: String, error: String, retryable: Bool, retryCount: Int, failedAt: Date) {
            self.failedAtState = failedAtState
            self.code = code
            self.error = error
            self.retryable = retryable
            self.retryCount = retryCount
            self.failedAt = failedAt
        }
    }

    public struct Wanted: Codable, Sendable, Equatable {
        /// Why the last search found nothing usable.
        public var reason: String
        /// When it will be searched again.
        public var nextSearchAt: Date
        /// Searches made so far that found nothing.
        public var searches: Int
        public init(reason: String, nextSearchAt: Date, searches: Int) {
            self.reason = reason
            self.nextSearchAt = nextSearchAt
            self.searches = searches
        }
    }

    public struct Paused: Codable, Sendable, Equatable {
        /// Where the ticket was: `downloading`, `approved` or `auto_approved`.
        public var pausedFrom: TicketStateName
        public var pausedAt: Date
        public var pausedBy: String
        public init(pausedFrom: TicketStateName, pausedAt: Date, pausedBy: String) {
            self.pausedFrom = pausedFrom
            self.pausedAt = pausedAt
            self.pausedBy = pausedBy
        }
    }

    public struct Cancelled: Codable, Sendable, Equatable {
        public var cancelledAt: Date
        public var cancelledAtState: TicketStateName
        public init(cancelledAt: Date, cancelledAtState: TicketStateName) {
            self.cancelledAt = cancelledAt
            self.cancelledAtState = cancelledAtState
        }
    }
}

/// Totals reported when a ticket completes.
public struct CompletionStats: Codable, Sendable, Equatable {
    public var totalDownloadBytes: Int64
    public var downloadDurationSecs: Int
    public var conversionDurationSecs: Int
    public var finalSizeBytes: Int64
    /// Tracks converted while the rest of the release was still downloading.
    public var tracksConvertedDuringDownload: Int?
    public init(
        totalDownloadBytes: Int64, downloadDurationSecs: Int, conversionDurationSecs: Int, finalSizeBytes: Int64,
        tracksConvertedDuringDownload: Int? = nil
    ) {
        self.tracksConvertedDuringDownload = tracksConvertedDuringDownload
        self.totalDownloadBytes = totalDownloadBytes
        self.downloadDurationSecs = downloadDurationSecs
        self.conversionDurationSecs = conversionDurationSecs
        self.finalSizeBytes = finalSizeBytes
    }
}
