import Basics
import Foundation
import Logging
import ServiceLifecycle

/// The embedded BitTorrent engine: one libtorrent session, run as a `Service`.
///
/// Torrents are identified by info-hash (v1 hex, or v2 hex for v2-only torrents). While running it
/// pumps libtorrent's alerts into ``events()``, keeps resume data on disk current (on add, metadata,
/// completion, every few seconds while something changed, and at shutdown), and stops seeding
/// when a torrent's ``SeedingPolicy`` is met.
public actor TorrentSession: Service {
    let native: NativeSession
    let resumeStore: ResumeStore?
    /// With several nodes on one download folder: the folder holding each node's resume folder.
    let sharedResumeRoot: String?
    let logger: Logger
    let defaultSeedingPolicy: SeedingPolicy
    /// The goal of a private torrent that was given none of its own (its indexer said nothing): one
    /// that never makes a hit-and-run. nil: the default applies to private torrents too.
    let privateSeedingPolicy: SeedingPolicy?
    /// A downloading torrent with no payload and no seed for this long counts as stalled.
    public let stallAfter: TimeInterval
    let broadcaster = Broadcast<TorrentEvent>(bufferSize: 4096)
    nonisolated let wakeups: AsyncStream<Void>
    nonisolated let wake: AlertWake
    var trackers: [String: ProgressTracker] = [:]
    /// Every torrent the session manages, with the goal it was given (or the default).
    var policies: [String: SeedingPolicy] = [:]
    /// Torrents whose goal is their own (given at adding or by ``setSeedingPolicy(_:_:)``, kept beside
    /// the resume data); the others follow the default, or the private default when private.
    var ownPolicies: Set<String> = []
    var seedingDone: Set<String> = []
    /// Resume data asked for and not yet written (drained at shutdown).
    var resumeRequested: Set<String> = []
    var lastPeriodicSaveTime = Date()
    func markPeriodicSave() { lastPeriodicSaveTime = Date() }

    public init(
        settings: TorrentSettings, resumeDirectory: String? = nil, sharedResumeRoot: String? = nil,
        seedingPolicy: SeedingPolicy = .stopWhenComplete, privateSeedingPolicy: SeedingPolicy? = nil, stallAfter: TimeInterval = 60,
        logger: Logger = Logger(label: "torrent")
    ) throws {
        self.privateSeedingPolicy = privateSeedingPolicy
        native = try NativeSession(settings: settings)
        resumeStore = try resumeDirectory.map { try ResumeStore(directory: $0) }
        self.sharedResumeRoot = sharedResumeRoot
        defaultSeedingPolicy = seedingPolicy
        self.stallAfter = stallAfter
        self.logger = logger
        let (stream, continuation) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        wakeups = stream
        wake = AlertWake(continuation)
        try native.setAlertNotify(wake)
    }

    /// Events from now on (every subscriber gets every event).
    public nonisolated func events() -> AsyncStream<TorrentEvent> { broadcaster.subscribe() }

    /// The TCP port the session listens on (useful after binding port 0).
    public var listenPort: Int { native.listenPort }

    /// Info-hashes of every torrent in the session.
    public var torrents: [String] { native.torrents() }

    /// Whether this torrent completed and its seeding policy is met (it is stopped).
    public func isSeedingDone(_ hash: String) -> Bool { seedingDone.contains(hash) }

    // MARK: Adding

    /// Adds a magnet link; its metadata comes from peers (see ``waitForMetadata(_:timeout:earlyTimeout:)``).
    /// With `holdPayload` no piece is requested until ``selectFiles(_:wanted:)`` or
    /// ``downloadAllFiles(_:)``: the file list can be inspected (and the torrent dropped) first.
    /// Adding what is already in the session returns the same info-hash.
    public func add(
        magnet: String, savePath: String, holdPayload: Bool = false, paused: Bool = false, peers: [String] = [],
        trackers: [String] = [], seeding: SeedingPolicy? = nil
    ) throws(TorrentError) -> String {
        try Self.checkMagnet(magnet)
        return try add(
            AddRequest(magnet: magnet, savePath: savePath, paused: paused, peers: peers, trackers: trackers, holdPayload: holdPayload),
            seeding: seeding)
    }

    /// Adds a .torrent file, downloading only `wantedFiles` (indices) when given.
    /// `seedMode` trusts that the files at `savePath` are complete (a seeder that made them).
    public func add(
        torrentFile: Data, savePath: String, wantedFiles: Set<Int>? = nil, seedMode: Bool = false, paused: Bool = false,
        peers: [String] = [], trackers: [String] = [], seeding: SeedingPolicy? = nil
    ) throws(TorrentError) -> String {
        let metadata = try TorrentMetadata.parse(torrentFile: torrentFile)
        var priorities: [UInt8] = []
        if let wantedFiles {
            try Self.checkSelection(wantedFiles, in: metadata)
            priorities = metadata.files.indices.map { wantedFiles.contains($0) ? 4 : 0 }
        }
        return try add(
            AddRequest(
                torrentFile: torrentFile, savePath: savePath, paused: paused, seedMode: seedMode, peers: peers, trackers: trackers,
                filePriorities: priorities),
            seeding: seeding)
    }

    static func checkSelection(_ wanted: Set<Int>, in metadata: TorrentMetadata) throws(TorrentError) {
        if let bad = wanted.first(where: { !metadata.files.indices.contains($0) }) {
            throw .fileSelection("file index \(bad) does not exist (the torrent has \(metadata.files.count) files)")
        }
        if wanted.isEmpty { throw .fileSelection("no file selected") }
    }

    private func add(_ request: AddRequest, seeding: SeedingPolicy?) throws(TorrentError) -> String {
        let hash = try native.add(request)
        if let seeding {
            setSeedingPolicy(hash, seeding)
        } else if policies[hash] == nil {
            policies[hash] = defaultSeedingPolicy
        }
        requestResumeData(hash)
        return hash
    }

    /// Gives a torrent a seeding goal of its own; it is kept beside the resume data and outlives restarts.
    /// A torrent stopped because its old goal was met goes on seeding if the new one is not met yet.
    /// With `keepingStricter` (a second ticket's release turned out to be a torrent already here), the
    /// torrent keeps the higher ratio and the longer time of its own goal and the new one.
    public func setSeedingPolicy(_ hash: String, _ new: SeedingPolicy, keepingStricter: Bool = false) {
        var policy = new
        if keepingStricter, ownPolicies.contains(hash), let old = policies[hash] {
            policy.ratioLimit = max(old.ratioLimit, new.ratioLimit)
            policy.timeLimitSecs = max(old.timeLimitSecs, new.timeLimitSecs)
            policy.forever = old.forever || new.forever
            if policy != new { policy.source = old.source == new.source ? new.source : "\(old.source); \(new.source)" }
        }
        policies[hash] = policy
        ownPolicies.insert(hash)
        do {
            try resumeStore?.savePolicy(policy, for: hash)
        } catch {
            logger.warning("could not keep the seeding goal of \(hash): \(error)")
        }
        if seedingDone.contains(hash), let status = try? native.status(hash),
            !policy.isSatisfied(
                uploaded: status.allTimeUpload, downloaded: status.allTimeDownload, seedingSecs: status.seedingSecs, isPrivate: status.isPrivate)
        {
            seedingDone.remove(hash)
            try? native.resume(hash)
        }
    }

    /// The goal a torrent seeds towards: its own, else the private default for a private torrent,
    /// else the session's default.
    func effectivePolicy(_ hash: String, isPrivate: Bool) -> SeedingPolicy {
        if ownPolicies.contains(hash), let own = policies[hash] { return own }
        if isPrivate, let privateSeedingPolicy { return privateSeedingPolicy }
        return policies[hash] ?? defaultSeedingPolicy
    }

    /// Re-adds every torrent with stored resume data (at start-up): each comes back where it was.
    @discardableResult
    public func restore() -> [String] {
        guard let resumeStore else { return [] }
        var restored: [String] = []
        for (hash, data) in resumeStore.all() {
            do {
                restored.append(try addFromResumeData(data, savePath: ""))
            } catch {
                logger.error("resume data of \(hash) refused (\(error)); moved aside as \(hash).resume.bad")
                resumeStore.quarantine(hash)
            }
        }
        if !restored.isEmpty { logger.info("restored \(restored.count) torrent(s) from resume data") }
        return restored
    }

    /// Adds a torrent from the resume data another node left in its folder under the shared resume
    /// root (a ticket taken over from a node that died): the torrent goes on from the pieces that node
    /// had verified, without hashing them again, into `savePath` (the same folder on shared storage).
    /// The resume data moves to this node: the other node's copy is removed, so that node does not
    /// restore the torrent when it comes back. Returns the other node's folder name, or nil when no
    /// node left resume data for `hash` (or it was refused; the caller then adds the torrent afresh).
    public func adoptOtherNodesResumeData(_ hash: String, savePath: String) -> String? {
        guard let resumeStore, let sharedResumeRoot else { return nil }
        let own = (resumeStore.directory as NSString).standardizingPath
        let manager = FileManager.default
        var newest: (node: String, path: String, modified: Date)?
        for node in (try? manager.contentsOfDirectory(atPath: sharedResumeRoot)) ?? [] {
            let folder = (sharedResumeRoot as NSString).appendingPathComponent(node)
            guard (folder as NSString).standardizingPath != own else { continue }
            let path = ResumeStore.path(for: hash, in: folder)
            guard let modified = (try? manager.attributesOfItem(atPath: path))?[.modificationDate] as? Date else { continue }
            if newest.map({ modified > $0.modified }) ?? true { newest = (node, path, modified) }
        }
        guard let newest, let data = manager.contents(atPath: newest.path) else { return nil }
        do {
            let added = try addFromResumeData(data, savePath: savePath)
            requestResumeData(added)
            try? manager.removeItem(atPath: newest.path)
            logger.info("torrent \(added) continues from node \(newest.node)'s resume data (\(data.count) bytes) in \(savePath)")
            return newest.node
        } catch {
            logger.warning("resume data of \(hash) left by node \(newest.node) refused (\(error)); the torrent is added afresh")
            return nil
        }
    }

    /// Adds a torrent from resume data (`savePath` empty: where the data says), under the seeding
    /// goal kept beside it, or the default.
    private func addFromResumeData(_ data: Data, savePath: String) throws -> String {
        let added = try native.add(AddRequest(resumeData: data, savePath: savePath))
        if let own = resumeStore?.policy(for: added) {
            policies[added] = own
            ownPolicies.insert(added)
        } else {
            policies[added] = defaultSeedingPolicy
        }
        return added
    }

    static func checkMagnet(_ magnet: String) throws(TorrentError) {
        guard magnet.hasPrefix("magnet:?") else { throw .invalidMagnet("it does not start with 'magnet:?'") }
        guard magnet.contains("xt=urn:btih:") || magnet.contains("xt=urn:btmh:") else {
            throw .invalidMagnet("it has no 'xt=urn:btih:' or 'xt=urn:btmh:' info-hash")
        }
    }

    // MARK: Control

    public func pause(_ hash: String) throws(TorrentError) {
        try native.pause(hash)
        requestResumeData(hash)
    }

    public func resume(_ hash: String) throws(TorrentError) {
        seedingDone.remove(hash)
        trackers[hash] = nil
        try native.resume(hash)
    }

    /// Removes a torrent, with or without its downloaded files; its resume data goes too.
    public func remove(_ hash: String, deleteFiles: Bool) throws(TorrentError) {
        try native.remove(hash, deleteFiles: deleteFiles)
        forget(hash)
    }

    /// Hashes the files again; whatever fails is downloaded again. The stall clock starts afresh.
    public func forceRecheck(_ hash: String) throws(TorrentError) {
        try native.forceRecheck(hash)
        trackers[hash] = nil
    }
    /// Asks every tracker for peers now: a tracker that answered "no peers" is otherwise asked again
    /// only after its interval (often 30 minutes).
    public func forceReannounce(_ hash: String) throws(TorrentError) { try native.forceReannounce(hash) }
    public func connectPeer(_ hash: String, endpoint: String) throws(TorrentError) { try native.connectPeer(hash, endpoint: endpoint) }

    public func setRateLimits(downloadKbps: Int, uploadKbps: Int) throws(TorrentError) {
        try native.setRateLimits(downloadKbps: downloadKbps, uploadKbps: uploadKbps)
    }

    /// Asks for fresh resume data now (written when its alert arrives).
    public func saveResumeData(_ hash: String) throws(TorrentError) {
        try native.saveResumeData(hash, onlyIfModified: false)
        resumeRequested.insert(hash)
    }

    /// Downloads only the files at `wanted` (indices into the metadata's file list): the others get
    /// priority 0 and are not written. Releases a held payload.
    public func selectFiles(_ hash: String, wanted: Set<Int>) throws(TorrentError) {
        guard let metadata = try native.metadata(hash) else { throw .fileSelection("the metadata of \(hash) has not arrived yet") }
        try Self.checkSelection(wanted, in: metadata)
        try native.setFilePriorities(hash, metadata.files.indices.map { wanted.contains($0) ? 4 : 0 })
        try native.holdPayload(hash, false)
        requestResumeData(hash)
    }

    /// Downloads only the files in `priorities`, each at its priority (1…7; libtorrent fetches pieces
    /// of higher-priority files first); every other file gets 0 and is not written.
    public func prioritizeFiles(_ hash: String, _ priorities: [Int: UInt8]) throws(TorrentError) {
        guard let metadata = try native.metadata(hash), !priorities.isEmpty else { return }
        try native.setFilePriorities(hash, metadata.files.indices.map { min(7, priorities[$0] ?? 0) })
    }

    /// Releases a held payload with every file wanted.
    public func downloadAllFiles(_ hash: String) throws(TorrentError) {
        try native.holdPayload(hash, false)
        requestResumeData(hash)
    }

    /// Connected peers by transport (TCP, uTP).
    public func peerTransports(_ hash: String) throws(TorrentError) -> (tcp: Int, utp: Int) { try native.peerTransports(hash) }

    /// Block requests in flight on the torrent's connections, both ways.
    public func requestQueues(_ hash: String) throws(TorrentError) -> RequestQueues { try native.requestQueues(hash) }

    /// libtorrent's own counters and gauges (names as `session_stats_metrics()` lists them, e.g.
    /// "disk.queued_disk_jobs"), from a snapshot taken now: waits up to `timeout` for the alert
    /// that carries it. Names libtorrent does not know are left out; nil when no snapshot came.
    public func engineCounters(_ names: [String], timeout: Duration = .seconds(2)) async -> [String: Int64]? {
        let before = native.stats([]).generation
        native.postStats()
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(5))
            let now = native.stats(names)
            if now.generation > before { return now.values }
        }
        return nil
    }

    /// Bytes downloaded of each file, by file index.
    public func fileProgress(_ hash: String) throws(TorrentError) -> [Int64] {
        guard let metadata = try native.metadata(hash) else { return [] }
        return try native.fileProgress(hash, fileCount: metadata.files.count)
    }

    func forget(_ hash: String) {
        policies[hash] = nil
        ownPolicies.remove(hash)
        trackers[hash] = nil
        seedingDone.remove(hash)
        resumeRequested.remove(hash)
        resumeStore?.remove(hash)
    }

    func requestResumeData(_ hash: String, onlyIfModified: Bool = false) {
        guard resumeStore != nil else { return }
        do {
            try native.saveResumeData(hash, onlyIfModified: onlyIfModified)
            resumeRequested.insert(hash)
        } catch {
            logger.warning("could not request resume data of \(hash): \(error)")
        }
    }

    func publish(_ event: TorrentEvent) { broadcaster.publish(event) }
}
