import Foundation
import ServiceLifecycle

extension TorrentSession {
    /// Pumps alerts and enforces seeding policies until shutdown; then saves every torrent's resume
    /// data (waiting up to `resumeSaveTimeout`) and stops libtorrent.
    public func run() async throws {
        await withGracefulShutdownHandler {
            await withTaskGroup(of: Void.self) { group in
                group.addTask { [wakeups] in
                    for await _ in wakeups { await self.drainAlerts() }
                }
                group.addTask {
                    while !Task.isCancelled, !Task.isShuttingDownGracefully {
                        // A shutdown ends the wait at once: a plain sleep kept every exit waiting up to a second.
                        do {
                            try await cancelWhenGracefulShutdown { try await Task.sleep(for: .seconds(1)) }
                        } catch {
                            break
                        }
                        await self.tick()
                    }
                    self.wake.continuation.finish()
                }
            }
        } onGracefulShutdown: {
            self.wake.continuation.finish()
        }
        await saveAllResumeData(timeout: .seconds(10))
        native.close()
        broadcaster.finish()
        logger.info("torrent session stopped")
    }

    /// Handles every pending alert: resume data to disk, events to subscribers.
    func drainAlerts() {
        for alert in native.popAlerts() {
            if alert.isResumeData, let data = alert.data {
                resumeRequested.remove(alert.infoHash)
                if policies[alert.infoHash] != nil {
                    do {
                        try resumeStore?.save(data, for: alert.infoHash)
                        logger.debug("resume data of \(alert.infoHash) written: \(alert.index) piece(s) verified, \(alert.state) begun")
                    } catch {
                        logger.error("could not write resume data of \(alert.infoHash): \(error)")
                    }
                }
            } else if alert.isResumeDataFailure {
                resumeRequested.remove(alert.infoHash)
            }
            guard let event = alert.event else { continue }
            switch event {
            case .metadataReceived(let hash), .finished(let hash):
                requestResumeData(hash)
            case .removed(let hash):
                forget(hash)
            case .trackerError(let hash, let url, let message):
                logger.debug("tracker \(url) of \(hash): \(message)")
            case .torrentError(let hash, let message), .fileError(let hash, _, let message):
                logger.warning("torrent \(hash): \(message)")
            case .hashFailed(let hash, let piece):
                logger.warning("torrent \(hash): piece \(piece) failed its hash check and is downloaded again")
            case .listenFailed(let address, let port, let message):
                logger.error("cannot listen on \(address):\(port): \(message)")
            default:
                break
            }
            publish(event)
        }
    }

    /// Once a second: stop torrents that have seeded enough; every 5 s, save changed resume data.
    func tick() {
        drainAlerts()
        let saveNow = Date().timeIntervalSince(lastPeriodicSaveTime) >= 5
        if saveNow { markPeriodicSave() }
        for hash in policies.keys {
            guard let status = try? native.status(hash) else { continue }
            if saveNow, status.needsSaveResume { requestResumeData(hash, onlyIfModified: true) }
            let policy = effectivePolicy(hash, isPrivate: status.isPrivate)
            // A torrent restored paused after its goal was met counts as done too (its payload may go).
            guard status.isComplete, !seedingDone.contains(hash),
                policy.isSatisfied(
                    uploaded: status.allTimeUpload, downloaded: status.allTimeDownload, seedingSecs: status.seedingSecs, isPrivate: status.isPrivate)
            else { continue }
            seedingDone.insert(hash)
            if !status.paused {
                try? native.pause(hash)
                requestResumeData(hash)
                logger.info("torrent \(hash) complete and its seeding goal met (\(policy.source.isEmpty ? "default" : policy.source)): stopped")
            }
            publish(.seedingDone(infoHash: hash))
        }
    }

    /// Asks for every torrent's resume data and writes what arrives within `timeout`.
    func saveAllResumeData(timeout: Duration) async {
        guard resumeStore != nil else { return }
        for hash in native.torrents() where policies[hash] != nil { requestResumeData(hash) }
        let deadline = ContinuousClock.now + timeout
        while !resumeRequested.isEmpty, ContinuousClock.now < deadline {
            drainAlerts()
            try? await Task.sleep(for: .milliseconds(20))
        }
        if !resumeRequested.isEmpty {
            logger.warning("resume data of \(resumeRequested.count) torrent(s) did not arrive before shutdown")
        }
    }
}
