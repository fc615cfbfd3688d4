import Basics
import Foundation
import Matching
import Placement
import Search
import Storage
import Tickets
import Torrent

/// The download stage: the chosen release goes into the embedded engine, only the files the ticket
/// needs are requested (its tracks, a CUE sheet for an image, the cover), and the stage waits until
/// they are all on disk, reporting progress. The torrent then seeds towards its goal (``SeedingRules``), independently of the ticket.
///
/// Restart-safe: the info-hash is stored in the `downloading` state before anything is added, the
/// session restores torrents from resume data at start-up, and this stage adopts a torrent that is
/// already in the session instead of adding it twice.
public struct TorrentDownloadStage: DownloadStage {
    let torrents: TorrentSession
    let fetcher: HTTPFetcher
    let downloadRoot: String
    let metadataTimeout: Duration
    let pollInterval: Duration
    /// Where every downloaded file's SHA-256 is recorded (`downloadFile`); nil records nothing.
    let database: (any TicketStore)?
    let partialSuccess: PartialSuccess
    /// Each release's seeding goal (its indexer's rules, overrides).
    let seedingRules: SeedingRules

    /// A download stage on the `torrents` engine.
    ///
    /// - Parameters:
    ///   - torrents: The embedded engine.
    ///   - fetcher: Fetches a release's .torrent file when it has no magnet link.
    ///   - downloadRoot: The folder under which each ticket downloads into a folder named after it (an adopted torrent keeps its own).
    ///   - metadataTimeout: The longest wait for a magnet's metadata.
    ///   - pollInterval: The time between two progress snapshots.
    ///   - database: Where each downloaded file's SHA-256 is recorded, and which other tickets share a torrent; nil records nothing.
    ///   - partialSuccess: Whether a release that lacks some tracks is refused or downloaded with what it has.
    ///   - seedingRules: Each release's seeding goal (its indexer's rules, overrides).
    public init(
        torrents: TorrentSession, fetcher: HTTPFetcher = HTTPFetcher(), downloadRoot: String,
        metadataTimeout: Duration = .seconds(120), pollInterval: Duration = .milliseconds(500), database: (any TicketStore)? = nil,
        partialSuccess: PartialSuccess = .fail, seedingRules: SeedingRules = SeedingRules()
    ) {
        self.seedingRules = seedingRules
        self.partialSuccess = partialSuccess
        self.database = database
        self.torrents = torrents
        self.fetcher = fetcher
        self.downloadRoot = downloadRoot
        self.metadataTimeout = metadataTimeout
        self.pollInterval = pollInterval
    }

    /// Downloads the release without announcing tracks early.
    ///
    /// - Parameters:
    ///   - ticket: The ticket downloading; its id names the download folder.
    ///   - selected: The approved release with its track-to-file mapping.
    ///   - context: The ticket's progress reports, history notes and stop flag.
    /// - Returns: The finished download's files; see ``download(_:selected:context:trackReady:)``.
    /// - Throws: The errors of ``download(_:selected:context:trackReady:)``.
    public func download(_ ticket: StoredTicket, selected: ScoredCandidate, context: StageContext) async throws -> DownloadResult {
        try await download(ticket, selected: selected, context: context) { _ in }
    }

    /// Adds the release (or adopts it when the session already has it), requests only the files the ticket needs, and waits
    /// until they are on disk and hashed.
    ///
    /// - Parameters:
    ///   - ticket: The ticket downloading; its id names the download folder.
    ///   - selected: The approved release with its track-to-file mapping.
    ///   - context: Receives the download's progress; its stop flag ends the wait.
    ///   - trackReady: Called once for each track whose files are complete while other files still download.
    /// - Returns: The save folder, each track's file, the CUE track numbers, the cover, the rip logs and the bytes
    ///   downloaded; with partial success allowed, the tracks the release has no file for.
    /// - Throws: ``StageError``: `no_download_link`, `corrupt_torrent` and `unmapped_tracks` are not retryable;
    ///   `network`, `metadata_timeout`, `stalled`, `torrent_error` and `corrupt_source` (a downloaded file cannot be read
    ///   back) are. ``StageInterrupted`` when the ticket is cancelled (its data is removed unless another ticket shares
    ///   it or it seeds), paused (the torrent is paused), taken over by another node (the torrent is let go, its files
    ///   kept), or the service stops. The store's error (`StorageError`) when a file's hash cannot be recorded;
    ///   `CancellationError` when the task is cancelled.
    public func download(
        _ ticket: StoredTicket, selected: ScoredCandidate, context: StageContext, trackReady: @escaping @Sendable (ReadyTrack) async -> Void
    ) async throws -> DownloadResult {
        let ownFolder = (downloadRoot as NSString).appendingPathComponent(SafeName(ticket.id).value)
        let (hash, planned) = try await addOrAdopt(selected.torrent, savePath: ownFolder, ticket: ticket.ticket, mapping: selected.trackMapping)
        // An adopted torrent (restored, or another ticket's download of the same release) keeps its own folder.
        let reported = (try? await torrents.progress(hash))?.savePath ?? ""
        let savePath = reported.isEmpty ? ownFolder : reported
        do {
            let plan: DownloadPlan
            if let planned {
                plan = planned
            } else {
                plan = try await selectNeededFiles(hash, ticket: ticket.ticket, selected: selected, context: context)
            }
            if planned == nil, await !verifyPresent(hash, plan: plan, savePath: savePath) { await reconnect(hash, selected.torrent) }
            // Earlier tracks first, so they finish (and start converting) one after the other.
            try? await torrents.prioritizeFiles(hash, plan.priorities)
            var announced = Set<String>()
            let finished = try await waitForFiles(hash, candidate: selected.torrent, context: context) { progress in
                await announceReadyTracks(plan, fileProgress: progress, savePath: savePath, announced: &announced, trackReady: trackReady)
            }
            try? await torrents.saveResumeData(hash)
            try await recordDownloaded(plan, savePath: savePath, ticketId: ticket.id)
            return plan.result(savePath: savePath, totalBytes: finished.wantedBytes)
        } catch let interrupted as StageInterrupted {
            // A cancelled ticket's data goes (unless another ticket uses the same download); a shutdown keeps it for the resume.
            if interrupted.reason == .cancelledByUser, await !isShared(hash, by: ticket.id), await !seedsOn(hash) {
                try? await torrents.remove(hash, deleteFiles: true)
            }
            // A paused ticket's torrent stops where it is, its resume data written, unless another ticket still uses it.
            if interrupted.reason == .paused, await !isShared(hash, by: ticket.id) { try? await torrents.pause(hash) }
            // Another node has the ticket now: this one lets go of the torrent and keeps the files (on
            // shared storage they are the other node's head start).
            if interrupted.reason == .leaseLost, await !isShared(hash, by: ticket.id) { try? await torrents.remove(hash, deleteFiles: false) }
            throw interrupted
        } catch let error as TorrentError {
            throw StageError(code: "torrent_error", message: "\(error)", retryable: true)
        }
    }

    /// Removes a release the ticket gave up on, with its data, unless another ticket uses it or it seeds towards its goal.
    ///
    /// - Parameter candidate: The release given up on.
    public func discard(_ candidate: TorrentCandidate) async {
        let hash = candidate.infoHash.lowercased()
        guard !hash.isEmpty, await torrents.torrents.contains(hash), await !isShared(hash, by: nil), await !seedsOn(hash) else { return }
        try? await torrents.remove(hash, deleteFiles: true)
    }

    /// A complete torrent short of its seeding goal (another, finished ticket's download of the same
    /// release): it stays, and the payload cleaner removes it once the goal is met.
    private func seedsOn(_ hash: String) async -> Bool {
        guard let state = try? await torrents.seedingState(hash) else { return false }
        return state.isComplete && !state.goalMet
    }

    /// Peers again for an adopted torrent (a retry after a stall, a restart, a re-check): the trackers
    /// are asked now rather than at their interval, and the magnet's direct peers (`x.pe`) are dialled.
    private func reconnect(_ hash: String, _ candidate: TorrentCandidate) async {
        try? await torrents.forceReannounce(hash)
        for endpoint in directPeers(candidate) { try? await torrents.connectPeer(hash, endpoint: endpoint) }
    }

    /// An adopted download that is already complete (another ticket's, or one from before a restart)
    /// is used only if its files still hash as recorded; otherwise libtorrent re-checks it and
    /// fetches again whatever is missing or altered. Returns whether the files were intact.
    private func verifyPresent(_ hash: String, plan: DownloadPlan, savePath: String) async -> Bool {
        guard let database, let progress = try? await torrents.progress(hash), progress.isComplete else { return true }
        let paths = plan.wantedFiles.map { (savePath as NSString).appendingPathComponent($0) }
        let recorded = (try? await database.recordedHashes(paths: paths)) ?? [:]
        let digests = await ParallelHasher().hash(paths)
        let intact = zip(paths, digests).allSatisfy { path, digest in
            guard case .success(let found) = digest else { return false }
            return recorded[path].map { $0 == found.sha256 } ?? true
        }
        guard !intact else { return true }
        try? await torrents.forceRecheck(hash)
        try? await torrents.resume(hash)
        // Let the check start before progress is read again, so a stale "complete" is not taken.
        for _ in 0..<50 {
            if let state = try? await torrents.progress(hash), !state.isComplete { break }
            try? await Task.sleep(for: .milliseconds(100))
        }
        return false
    }

    /// Whether a ticket other than `ticketId` still works on this torrent (a duplicate following it).
    private func isShared(_ hash: String, by ticketId: String?) async -> Bool {
        guard let database, let holders = try? await database.ticketStates(holdingTorrent: hash) else { return false }
        return holders.contains { $0.key != ticketId && !$0.value.isTerminal }
    }

    /// Hashes every downloaded file (in parallel) and records it: the integrity record of the source.
    private func recordDownloaded(_ plan: DownloadPlan, savePath: String, ticketId: String) async throws {
        guard let database else { return }
        let paths = plan.wantedFiles.map { (savePath as NSString).appendingPathComponent($0) }
        for (path, digest) in zip(paths, await ParallelHasher().hash(paths)) {
            switch digest {
            case .success(let digest):
                try await database.recordDownloadFile(
                    DownloadFileRecord(
                        ticketId: ticketId, path: path, size: digest.size, type: DownloadPlan.kind(of: path), sha256: digest.sha256,
                        verifiedAt: Date()))
            case .failure(let error):
                throw StageError(code: "corrupt_source", message: "a downloaded file cannot be read: \(error)", retryable: true)
            }
        }
    }

    /// Waits for a magnet's (or an adopted torrent's) metadata, then requests only the needed files.
    private func selectNeededFiles(_ hash: String, ticket: Ticket, selected: ScoredCandidate, context: StageContext) async throws -> DownloadPlan {
        let metadata: TorrentMetadata
        do {
            metadata = try await torrents.waitForMetadata(hash, timeout: metadataTimeout)
        } catch let error as TorrentError {
            throw StageError(code: "metadata_timeout", message: "\(selected.torrent.title): \(error)", retryable: true)
        }
        try context.checkCancellation()
        let plan = try DownloadPlan(
            ticket: ticket, metadata: metadata, mapping: selected.trackMapping, allowMissing: partialSuccess == .completeFlagged)
        try await torrents.selectFiles(hash, wanted: plan.wantedIndices)
        return plan
    }

    /// Adds the release (a magnet with its payload held, or a fetched .torrent with only the wanted
    /// files), or adopts it when the session already has it. Returns the plan when the files were
    /// already chosen at adding (a .torrent); otherwise they are chosen once the metadata is here.
    private func addOrAdopt(
        _ candidate: TorrentCandidate, savePath: String, ticket: Ticket, mapping: [TrackMapping]
    ) async throws -> (String, DownloadPlan?) {
        let known = candidate.infoHash.lowercased()
        let seeding = seedingRules.policy(for: candidate)
        // In the session already (restored, or another ticket's), or left half-done by a node that
        // died, whose resume data is on the shared download folder: it goes on from there.
        if !known.isEmpty {
            var present = await torrents.torrents.contains(known)
            if !present { present = await torrents.adoptOtherNodesResumeData(known, savePath: savePath) != nil }
            if present {
                // Paused with its ticket (and perhaps restored paused after a restart): it goes on now.
                if (try? await torrents.progress(known))?.state == .paused { try? await torrents.resume(known) }
                if let seeding { await torrents.setSeedingPolicy(known, seeding, keepingStricter: true) }
                await reconnect(known, candidate)
                return (known, nil)
            }
        }
        do {
            var magnet = candidate.magnetUri
            if magnet == nil, let url = candidate.downloadUrl {
                switch try await fetcher.get(url) {
                case .magnet(let link):
                    magnet = link
                case .body(let data, _, _, _):
                    let metadata = try TorrentMetadata.parse(torrentFile: data)
                    let plan = try DownloadPlan(
                        ticket: ticket, metadata: metadata, mapping: mapping, allowMissing: partialSuccess == .completeFlagged)
                    let hash = try await torrents.add(
                        torrentFile: data, savePath: savePath, wantedFiles: plan.wantedIndices, seeding: seeding)
                    return (hash, plan)
                }
            }
            guard let magnet else {
                throw StageError(code: "no_download_link", message: "'\(candidate.title)' has neither a magnet nor a .torrent link", retryable: false)
            }
            return (try await torrents.add(magnet: magnet, savePath: savePath, holdPayload: true, seeding: seeding), nil)
        } catch let error as FetchError {
            throw StageError(code: "network", message: "cannot fetch the .torrent of '\(candidate.title)': \(error)", retryable: true)
        } catch let error as TorrentError {
            throw StageError(code: "corrupt_torrent", message: "'\(candidate.title)': \(error)", retryable: false)
        }
    }

    /// Tells the convert stage about each track whose files are all complete, once.
    private func announceReadyTracks(
        _ plan: DownloadPlan, fileProgress: [Int64], savePath: String, announced: inout Set<String>, trackReady: @Sendable (ReadyTrack) async -> Void
    ) async {
        func absolute(_ path: String) -> String { (savePath as NSString).appendingPathComponent(path) }
        for (trackId, path) in plan.trackFiles.sorted(by: { $0.value < $1.value }) where !announced.contains(trackId) {
            let needed = plan.prerequisites(of: trackId)
            guard !needed.isEmpty, needed.allSatisfy({ fileProgress.indices.contains($0.index) && fileProgress[$0.index] >= $0.size }) else {
                continue
            }
            announced.insert(trackId)
            await trackReady(
                ReadyTrack(catalogTrackId: trackId, path: absolute(path), cueTrack: plan.cueTracks[trackId], coverPath: plan.coverFile.map(absolute)))
        }
    }

    private func waitForFiles(
        _ hash: String, candidate: TorrentCandidate, context: StageContext, onFileProgress: ([Int64]) async -> Void
    ) async throws -> TorrentProgress {
        do {
            return try await torrents.waitUntilComplete(hash, pollInterval: pollInterval, redialing: directPeers(candidate)) { snapshot in
                try context.checkCancellation()
                // Announced only while other files are still coming: at completion the convert stage takes the rest.
                if !snapshot.isComplete, let files = try? await torrents.fileProgress(hash) { await onFileProgress(files) }
                await context.reportProgress(
                    .object([
                        "stage": .string("downloading"), "torrent_hash": .string(hash), "state": .string(snapshot.state.rawValue),
                        "percent": .number((snapshot.percent * 10).rounded() / 10), "downloaded_bytes": .number(Double(snapshot.wantedDoneBytes)),
                        "total_bytes": .number(Double(snapshot.wantedBytes)), "download_rate": .number(Double(snapshot.downloadRate)),
                        "peers": .number(Double(snapshot.peers)), "seeds": .number(Double(snapshot.seeds)),
                        "eta_secs": snapshot.etaSecs.map { .number(Double($0)) } ?? .null,
                    ]))
            }
        } catch TorrentError.torrentFailed(let message) {
            throw StageError(code: "torrent_error", message: message, retryable: true)
        } catch let error as TorrentError {
            if case .stalled = error { throw StageError(code: "stalled", message: "\(error)", retryable: true) }
            throw StageError(code: "torrent_error", message: "\(error)", retryable: true)
        }
    }

    /// The `x.pe` peers of the release's magnet link, dialled directly.
    private func directPeers(_ candidate: TorrentCandidate) -> [String] {
        guard let magnet = candidate.magnetUri, let query = URLComponents(string: magnet)?.queryItems else { return [] }
        return query.filter { $0.name == "x.pe" }.compactMap(\.value)
    }
}
