import Tickets
import Torrent

/// The seeding goal of the release a ticket downloads: an override in the indexer's configuration
/// entry first, then what the indexer says in the result (`minimumratio`, `minimumseedtime`); when
/// neither says anything the torrent follows the session's defaults (`[torrent]`, or the private
/// default for a private torrent).
public struct SeedingRules: Sendable, Equatable {
    /// An indexer entry's own goal (`seed_ratio`, `seed_time_mins` in a `[[torznab]]` entry); a part
    /// left nil is the indexer's word, if any.
    public struct Override: Sendable, Equatable {
        public var ratio: Double?
        public var timeSecs: Int?

        public init(ratio: Double? = nil, timeSecs: Int? = nil) {
            self.ratio = ratio
            self.timeSecs = timeSecs
        }
    }

    /// By the name of the configured entry (a `[[torznab]]` name); a tracker's own name (as Jackett and
    /// Prowlarr report the tracker behind an aggregate feed) is looked up too.
    public var overrides: [String: Override]

    public init(overrides: [String: Override] = [:]) {
        self.overrides = overrides
    }

    /// The goal of `candidate`'s torrent, or nil to leave it to the session's defaults. A 0 from the
    /// indexer counts as saying nothing: a tracker with no rule would otherwise make a private torrent
    /// stop at completion, the one thing that gets an account banned.
    public func policy(for candidate: TorrentCandidate) -> SeedingPolicy? {
        let override = candidate.feed.flatMap { overrides[$0] } ?? overrides[candidate.indexer]
        let fromIndexerRatio = candidate.minimumRatio.flatMap { $0 > 0 ? $0 : nil }
        let fromIndexerTime = candidate.minimumSeedTimeSecs.flatMap { $0 > 0 ? $0 : nil }
        let ratio = override?.ratio ?? fromIndexerRatio
        let time = override?.timeSecs ?? fromIndexerTime
        guard ratio != nil || time != nil else { return nil }
        var said: [String] = []
        if override?.ratio != nil || override?.timeSecs != nil { said.append("override in its entry") }
        if (override?.ratio == nil && fromIndexerRatio != nil) || (override?.timeSecs == nil && fromIndexerTime != nil) {
            said.append("minimumratio/minimumseedtime of its results")
        }
        return SeedingPolicy(
            ratioLimit: ratio ?? 0, timeLimitSecs: time ?? 0,
            source: "indexer \(candidate.indexer)\(candidate.feed.map { " (via \($0))" } ?? ""): \(said.joined(separator: ", "))")
    }
}
