import Foundation

/// One torrent's seeding as `GET /torrents` and the Seeding view show it: what it has uploaded against
/// what it downloaded, how long it has seeded, the goal and what is left of it.
public struct SeedingState: Sendable, Equatable {
    public var infoHash: String
    public var name: String
    public var isPrivate: Bool
    public var state: TorrentProgress.State
    /// Bytes of payload on disk (the wanted files done).
    public var bytesOnDisk: Int64
    /// The whole torrent, every file wanted or not.
    public var totalSize: Int64
    public var isComplete: Bool
    public var uploaded: Int64
    public var downloaded: Int64
    public var seedingSecs: Int64
    public var uploadRate: Int
    public var peers: Int
    public var goal: SeedingPolicy
    /// Whether the goal comes from the torrent itself (its indexer or an override) or a default.
    public var goalIsOwn: Bool
    public var goalMet: Bool
    public var savePath: String

    /// uploaded ÷ downloaded; nil while nothing was downloaded.
    public var ratio: Double? { downloaded > 0 ? Double(uploaded) / Double(downloaded) : nil }
    public var remaining: (ratio: Double?, seedSecs: Int64?) {
        goal.remaining(uploaded: uploaded, downloaded: downloaded, seedingSecs: seedingSecs, isPrivate: isPrivate)
    }
}

extension TorrentSession {
    /// The seeding of every torrent in the session, by info-hash order.
    ///
    /// - Returns: One state per torrent, by info-hash; a torrent whose status cannot be read is left out.
    public func seedingStates() -> [SeedingState] {
        native.torrents().sorted().compactMap { try? seedingState($0) }
    }

    /// One torrent's seeding: what it uploaded and downloaded, how long it has seeded, its goal and whether the goal is met.
    ///
    /// - Parameter hash: The torrent's info-hash.
    /// - Returns: The torrent's seeding state.
    /// - Throws: ``TorrentError/notInSession(_:)`` when no torrent has that info-hash; ``TorrentError/sessionClosed`` after
    ///   shutdown; ``TorrentError/engine(operation:code:message:)`` when libtorrent refuses.
    public func seedingState(_ hash: String) throws(TorrentError) -> SeedingState {
        let s = try native.status(hash)
        let goal = effectivePolicy(hash, isPrivate: s.isPrivate)
        let derived = try progress(hash).state
        return SeedingState(
            infoHash: hash, name: s.name, isPrivate: s.isPrivate, state: derived, bytesOnDisk: s.wantedDoneBytes, totalSize: s.totalSize,
            isComplete: s.isComplete, uploaded: s.allTimeUpload, downloaded: s.allTimeDownload, seedingSecs: s.seedingSecs,
            uploadRate: s.uploadRate, peers: s.peers, goal: goal, goalIsOwn: ownPolicies.contains(hash),
            goalMet: seedingDone.contains(hash)
                || (s.isComplete
                    && goal.isSatisfied(
                        uploaded: s.allTimeUpload, downloaded: s.allTimeDownload, seedingSecs: s.seedingSecs, isPrivate: s.isPrivate)),
            savePath: s.savePath)
    }
}
