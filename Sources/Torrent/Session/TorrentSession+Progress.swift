import Foundation

extension TorrentSession {
    /// The torrent's metadata, or nil while a magnet's has not arrived.
    ///
    /// - Parameter hash: The torrent's info-hash.
    /// - Returns: The name, info-hashes and files; nil while a magnet's metadata has not arrived.
    /// - Throws: ``TorrentError/notInSession(_:)`` when no torrent has that info-hash; ``TorrentError/sessionClosed`` after
    ///   shutdown; ``TorrentError/engine(operation:code:message:)`` when libtorrent refuses.
    public func metadata(_ hash: String) throws(TorrentError) -> TorrentMetadata? {
        try native.metadata(hash)
    }

    /// Waits for a magnet's metadata. Gives up after `timeout`, or after `earlyTimeout` when peers
    /// were connected but none sent it (docs/ARCHITECTURE.md#retries-backoff-and-error-history): a swarm that answers but cannot serve it.
    ///
    /// - Parameters:
    ///   - hash: The torrent's info-hash.
    ///   - timeout: The longest wait.
    ///   - earlyTimeout: The shorter wait that applies once a peer has connected.
    /// - Returns: The torrent's metadata.
    /// - Throws: ``TorrentError/metadataTimeout(seconds:peersSeen:)`` when it did not arrive in time;
    ///   ``TorrentError/notInSession(_:)`` when no torrent has that info-hash; ``TorrentError/sessionClosed``
    ///   after shutdown; ``TorrentError/engine(operation:code:message:)`` when libtorrent refuses;
    ///   `CancellationError` when the task is cancelled.
    public func waitForMetadata(_ hash: String, timeout: Duration, earlyTimeout: Duration = .seconds(15)) async throws -> TorrentMetadata {
        let start = ContinuousClock.now
        var peersSeen = 0
        while true {
            // One status read per poll: it says both whether metadata is here and who is connected.
            let status = try native.status(hash)
            if status.hasMetadata, let metadata = try native.metadata(hash) { return metadata }
            peersSeen = max(peersSeen, status.peers)
            let waited = ContinuousClock.now - start
            if waited >= timeout || (peersSeen > 0 && waited >= earlyTimeout) {
                throw TorrentError.metadataTimeout(seconds: Int(waited.components.seconds), peersSeen: peersSeen)
            }
            try await Task.sleep(for: .milliseconds(100))
        }
    }

    /// A snapshot of the torrent's progress, with ETA and the derived state.
    ///
    /// - Parameter hash: The torrent's info-hash.
    /// - Returns: The torrent's bytes, rates, peers and ETA now, and the state a person reads (`stalled` after
    ///   ``stallAfter`` seconds without payload or a seed).
    /// - Throws: ``TorrentError/notInSession(_:)`` when no torrent has that info-hash; ``TorrentError/sessionClosed`` after
    ///   shutdown; ``TorrentError/engine(operation:code:message:)`` when libtorrent refuses.
    public func progress(_ hash: String) throws(TorrentError) -> TorrentProgress {
        let s = try native.status(hash)
        let now = Date()
        var tracker = trackers[hash] ?? ProgressTracker()
        tracker.observe(rate: s.downloadRate, done: s.wantedDoneBytes, at: now)
        trackers[hash] = tracker
        var progress = TorrentProgress(
            infoHash: hash, name: s.name,
            state: .downloading, engineState: s.engineState, hasMetadata: s.hasMetadata,
            percent: s.wantedBytes > 0 ? Double(s.wantedDoneBytes) / Double(s.wantedBytes) * 100 : 0,
            wantedBytes: s.wantedBytes, wantedDoneBytes: s.wantedDoneBytes,
            downloadRate: s.downloadRate, uploadRate: s.uploadRate,
            etaSecs: tracker.eta(remaining: s.wantedBytes - s.wantedDoneBytes),
            peers: s.peers, seeds: s.seeds, knownPeers: s.knownPeers,
            allTimeDownload: s.allTimeDownload, allTimeUpload: s.allTimeUpload, seedingSecs: s.seedingSecs,
            savePath: s.savePath,
            error: s.error.isEmpty ? nil : s.error)
        progress.state = derivedState(progress, paused: s.paused, tracker: tracker, now: now)
        return progress
    }

    private func derivedState(_ p: TorrentProgress, paused: Bool, tracker: ProgressTracker, now: Date) -> TorrentProgress.State {
        if p.error != nil { return .error }
        if p.isComplete && (paused || seedingDone.contains(p.infoHash)) { return .completed }
        if paused { return .paused }
        switch p.engineState {
        case .checkingFiles, .checkingResumeData: return .checking
        case .downloadingMetadata: return .metadata
        case .finished, .seeding: return p.isComplete ? .seeding : .downloading
        case .downloading, .unknown:
            if p.downloadRate == 0 && p.seeds == 0 && tracker.secondsWithoutProgress(at: now) >= stallAfter { return .stalled }
            return .downloading
        }
    }

    /// The one polling loop over a download: until every wanted byte is here, each snapshot goes to
    /// `onProgress` (which may throw to stop, e.g. on a cancel); a torrent without any peer for 5 s
    /// has `peers` dialled again (a re-check drops them; a magnet may know no other). Throws when
    /// the torrent errors, or stalls for longer than ``stallAfter``.
    ///
    /// - Parameters:
    ///   - hash: The torrent's info-hash.
    ///   - pollInterval: The time between two snapshots.
    ///   - peers: `ip:port` endpoints dialled again whenever the torrent has had no peer for 5 s; empty dials none.
    ///   - onProgress: Called with every snapshot, the complete one too; what it throws ends the wait.
    /// - Returns: The first snapshot with every wanted byte on disk.
    /// - Throws: ``TorrentError/torrentFailed(_:)`` when the torrent reports an error; ``TorrentError/stalled(seconds:)``
    ///   when it stalls; ``TorrentError/notInSession(_:)`` when no torrent has that info-hash;
    ///   ``TorrentError/sessionClosed`` after shutdown; ``TorrentError/engine(operation:code:message:)`` when libtorrent
    ///   refuses; whatever `onProgress` throws; `CancellationError` when the task is cancelled.
    public nonisolated func waitUntilComplete(
        _ hash: String, pollInterval: Duration = .milliseconds(500), redialing peers: [String] = [],
        onProgress: (TorrentProgress) async throws -> Void = { _ in }
    ) async throws -> TorrentProgress {
        var lastDial = ContinuousClock.now
        while true {
            try Task.checkCancellation()
            let snapshot = try await progress(hash)
            try await onProgress(snapshot)
            if snapshot.isComplete { return snapshot }
            if snapshot.peers == 0, !peers.isEmpty, ContinuousClock.now - lastDial >= .seconds(5) {
                lastDial = ContinuousClock.now
                for peer in peers { try? await connectPeer(hash, endpoint: peer) }
            }
            if let error = snapshot.error { throw TorrentError.torrentFailed(error) }
            if snapshot.state == .stalled { throw TorrentError.stalled(seconds: Int(stallAfter)) }
            try await Task.sleep(for: pollInterval)
        }
    }
}
