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

    /// Starts a libtorrent session; ``run()`` must run for its alerts, resume data and seeding goals to be handled.
    ///
    /// - Parameters:
    ///   - settings: How libtorrent is set up: listen interfaces, peer sources, rate limits, disk I/O.
    ///   - resumeDirectory: The folder for each torrent's resume data and own seeding goal, created if missing; nil keeps
    ///     none, so no torrent outlives a restart.
    ///   - sharedResumeRoot: With several nodes on one download folder, the folder holding every node's resume folder (see
    ///     ``adoptOtherNodesResumeData(_:savePath:)``); nil for a node on its own.
    ///   - seedingPolicy: The goal of a torrent given none of its own.
    ///   - privateSeedingPolicy: The goal of a private torrent given none of its own; nil: `seedingPolicy` applies to private torrents too.
    ///   - stallAfter: Seconds without payload and without a connected seed after which a download counts as stalled.
    ///   - logger: Where the session logs.
    /// - Throws: ``TorrentError/engine(operation:code:message:)`` when libtorrent cannot start the session; the file
    ///   system's error (`CocoaError`) when `resumeDirectory` cannot be created.
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
    ///
    /// - Returns: A stream of every event published after this call; a subscriber more than 4096 events behind loses the
    ///   oldest. It ends when the session stops.
    public nonisolated func events() -> AsyncStream<TorrentEvent> { broadcaster.subscribe() }

    /// The TCP port the session listens on (useful after binding port 0).
    public var listenPort: Int { native.listenPort }

    /// Info-hashes of every torrent in the session.
    public var torrents: [String] { native.torrents() }

    /// Whether this torrent completed and its seeding policy is met (it is stopped).
    ///
    /// - Parameter hash: The torrent's info-hash.
    /// - Returns: True once the torrent is stopped with its goal met; false while it downloads or seeds, or when it is not in the session.
    public func isSeedingDone(_ hash: String) -> Bool { seedingDone.contains(hash) }

    // MARK: Adding

    /// Adds a magnet link; its metadata comes from peers (see ``waitForMetadata(_:timeout:earlyTimeout:)``).
    /// With `holdPayload` no piece is requested until ``selectFiles(_:wanted:)`` or
    /// ``downloadAllFiles(_:)``: the file list can be inspected (and the torrent dropped) first.
    /// Adding what is already in the session returns the same info-hash.
    ///
    /// - Parameters:
    ///   - magnet: A `magnet:?` link carrying a `btih` or `btmh` info-hash.
    ///   - savePath: The folder the torrent's files are written under.
    ///   - holdPayload: Requests no piece until the files are chosen.
    ///   - paused: Adds the torrent paused.
    ///   - peers: `ip:port` endpoints to dial at once, besides what trackers and the DHT find (dialled even when the
    ///     torrent is already in the session).
    ///   - trackers: Tracker URLs to announce to, besides the magnet's own.
    ///   - seeding: The torrent's own seeding goal; nil keeps the goal it has, else the session's default applies.
    /// - Returns: The torrent's info-hash: v1 hex, or v2 hex for a v2-only torrent.
    /// - Throws: ``TorrentError/invalidMagnet(_:)`` when the link is not a magnet with an info-hash, or libtorrent refuses
    ///   it or a peer endpoint; ``TorrentError/sessionClosed`` after shutdown.
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
    ///
    /// - Parameters:
    ///   - torrentFile: The bytes of the .torrent file.
    ///   - savePath: The folder the torrent's files are written under.
    ///   - wantedFiles: Indices into the torrent's file list of the files to download; nil downloads every file.
    ///   - seedMode: Seeds the files at `savePath` without hashing them first.
    ///   - paused: Adds the torrent paused.
    ///   - peers: `ip:port` endpoints to dial at once, besides what trackers and the DHT find.
    ///   - trackers: Tracker URLs to announce to, besides the file's own.
    ///   - seeding: The torrent's own seeding goal; nil keeps the goal it has, else the session's default applies.
    /// - Returns: The torrent's info-hash: v1 hex, or v2 hex for a v2-only torrent.
    /// - Throws: ``TorrentError/corruptTorrentFile(_:)`` when the bytes are not a valid .torrent file, or libtorrent
    ///   refuses to add it; ``TorrentError/fileSelection(_:)`` when `wantedFiles` is empty or names an index the torrent
    ///   does not have; ``TorrentError/sessionClosed`` after shutdown.
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
    ///
    /// - Parameters:
    ///   - hash: The torrent's info-hash.
    ///   - new: The goal to seed towards.
    ///   - keepingStricter: Merges `new` into the torrent's own goal (the higher ratio, the longer time) instead of replacing it.
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
    ///
    /// - Returns: The info-hashes restored; empty without a resume directory. Resume data libtorrent refuses is moved aside
    ///   as `<hash>.resume.bad` and left out.
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
    ///
    /// - Parameters:
    ///   - hash: The torrent's info-hash.
    ///   - savePath: The folder this node downloads the torrent into.
    /// - Returns: The folder name of the node whose resume data was taken; nil when no other node left any for `hash`, it
    ///   was refused, or the session has no shared resume root.
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

    /// Pauses a torrent until ``resume(_:)``, and saves its resume data.
    ///
    /// - Parameter hash: The torrent's info-hash.
    /// - Throws: ``TorrentError/notInSession(_:)`` when no torrent has that info-hash; ``TorrentError/sessionClosed`` after
    ///   shutdown; ``TorrentError/engine(operation:code:message:)`` when libtorrent refuses.
    public func pause(_ hash: String) throws(TorrentError) {
        try native.pause(hash)
        requestResumeData(hash)
    }

    /// Resumes a paused torrent; the stall clock starts afresh. A complete torrent whose seeding goal is met is
    /// stopped again at the next check.
    ///
    /// - Parameter hash: The torrent's info-hash.
    /// - Throws: ``TorrentError/notInSession(_:)`` when no torrent has that info-hash; ``TorrentError/sessionClosed`` after
    ///   shutdown; ``TorrentError/engine(operation:code:message:)`` when libtorrent refuses.
    public func resume(_ hash: String) throws(TorrentError) {
        seedingDone.remove(hash)
        trackers[hash] = nil
        try native.resume(hash)
    }

    /// Removes a torrent, with or without its downloaded files; its resume data goes too.
    ///
    /// - Parameters:
    ///   - hash: The torrent's info-hash.
    ///   - deleteFiles: Deletes the torrent's files from disk as well.
    /// - Throws: ``TorrentError/notInSession(_:)`` when no torrent has that info-hash; ``TorrentError/sessionClosed`` after
    ///   shutdown; ``TorrentError/engine(operation:code:message:)`` when libtorrent refuses.
    public func remove(_ hash: String, deleteFiles: Bool) throws(TorrentError) {
        try native.remove(hash, deleteFiles: deleteFiles)
        forget(hash)
    }

    /// Hashes the files again; whatever fails is downloaded again. The stall clock starts afresh.
    ///
    /// - Parameter hash: The torrent's info-hash.
    /// - Throws: ``TorrentError/notInSession(_:)`` when no torrent has that info-hash; ``TorrentError/sessionClosed`` after
    ///   shutdown; ``TorrentError/engine(operation:code:message:)`` when libtorrent refuses.
    public func forceRecheck(_ hash: String) throws(TorrentError) {
        try native.forceRecheck(hash)
        trackers[hash] = nil
    }
    /// Asks every tracker for peers now: a tracker that answered "no peers" is otherwise asked again
    /// only after its interval (often 30 minutes).
    ///
    /// - Parameter hash: The torrent's info-hash.
    /// - Throws: ``TorrentError/notInSession(_:)`` when no torrent has that info-hash; ``TorrentError/sessionClosed`` after
    ///   shutdown; ``TorrentError/engine(operation:code:message:)`` when libtorrent refuses.
    public func forceReannounce(_ hash: String) throws(TorrentError) { try native.forceReannounce(hash) }
    /// Dials a peer for a torrent now.
    ///
    /// - Parameters:
    ///   - hash: The torrent's info-hash.
    ///   - endpoint: The peer's `ip:port`, an IPv6 address in brackets.
    /// - Throws: ``TorrentError/notInSession(_:)`` when no torrent has that info-hash;
    ///   ``TorrentError/engine(operation:code:message:)`` when `endpoint` is not `ip:port`;
    ///   ``TorrentError/sessionClosed`` after shutdown.
    public func connectPeer(_ hash: String, endpoint: String) throws(TorrentError) { try native.connectPeer(hash, endpoint: endpoint) }

    /// Sets the session's download and upload rate limits, shared by every torrent.
    ///
    /// - Parameters:
    ///   - downloadKbps: The download limit in KiB/s; 0 is unlimited.
    ///   - uploadKbps: The upload limit in KiB/s; 0 is unlimited.
    /// - Throws: ``TorrentError/engine(operation:code:message:)`` when libtorrent refuses; ``TorrentError/sessionClosed`` after shutdown.
    public func setRateLimits(downloadKbps: Int, uploadKbps: Int) throws(TorrentError) {
        try native.setRateLimits(downloadKbps: downloadKbps, uploadKbps: uploadKbps)
    }

    /// Asks for fresh resume data now (written when its alert arrives).
    ///
    /// - Parameter hash: The torrent's info-hash.
    /// - Throws: ``TorrentError/notInSession(_:)`` when no torrent has that info-hash; ``TorrentError/sessionClosed`` after
    ///   shutdown; ``TorrentError/engine(operation:code:message:)`` when libtorrent refuses.
    public func saveResumeData(_ hash: String) throws(TorrentError) {
        try native.saveResumeData(hash, onlyIfModified: false)
        resumeRequested.insert(hash)
    }

    /// Downloads only the files at `wanted` (indices into the metadata's file list): the others get
    /// priority 0 and are not written. Releases a held payload.
    ///
    /// - Parameters:
    ///   - hash: The torrent's info-hash.
    ///   - wanted: Indices into the metadata's file list; at least one.
    /// - Throws: ``TorrentError/fileSelection(_:)`` when the metadata has not arrived, `wanted` is empty, or it
    ///   names an index the torrent does not have; ``TorrentError/notInSession(_:)`` when no torrent has that
    ///   info-hash; ``TorrentError/sessionClosed`` after shutdown;
    ///   ``TorrentError/engine(operation:code:message:)`` when libtorrent refuses.
    public func selectFiles(_ hash: String, wanted: Set<Int>) throws(TorrentError) {
        guard let metadata = try native.metadata(hash) else { throw .fileSelection("the metadata of \(hash) has not arrived yet") }
        try Self.checkSelection(wanted, in: metadata)
        try native.setFilePriorities(hash, metadata.files.indices.map { wanted.contains($0) ? 4 : 0 })
        try native.holdPayload(hash, false)
        requestResumeData(hash)
    }

    /// Downloads only the files in `priorities`, each at its priority (1…7; libtorrent fetches pieces
    /// of higher-priority files first); every other file gets 0 and is not written.
    ///
    /// - Parameters:
    ///   - hash: The torrent's info-hash.
    ///   - priorities: The priority of each wanted file by index, 1 to 7 (higher counts as 7). Empty, or before the
    ///     metadata arrives, changes nothing.
    /// - Throws: ``TorrentError/notInSession(_:)`` when no torrent has that info-hash; ``TorrentError/sessionClosed`` after
    ///   shutdown; ``TorrentError/engine(operation:code:message:)`` when libtorrent refuses.
    public func prioritizeFiles(_ hash: String, _ priorities: [Int: UInt8]) throws(TorrentError) {
        guard let metadata = try native.metadata(hash), !priorities.isEmpty else { return }
        try native.setFilePriorities(hash, metadata.files.indices.map { min(7, priorities[$0] ?? 0) })
    }

    /// Releases a held payload with every file wanted.
    ///
    /// - Parameter hash: The torrent's info-hash.
    /// - Throws: ``TorrentError/notInSession(_:)`` when no torrent has that info-hash; ``TorrentError/sessionClosed`` after
    ///   shutdown; ``TorrentError/engine(operation:code:message:)`` when libtorrent refuses.
    public func downloadAllFiles(_ hash: String) throws(TorrentError) {
        try native.holdPayload(hash, false)
        requestResumeData(hash)
    }

    /// Connected peers by transport (TCP, uTP).
    ///
    /// - Parameter hash: The torrent's info-hash.
    /// - Returns: How many connected peers use TCP and how many use uTP.
    /// - Throws: ``TorrentError/notInSession(_:)`` when no torrent has that info-hash; ``TorrentError/sessionClosed`` after
    ///   shutdown; ``TorrentError/engine(operation:code:message:)`` when libtorrent refuses.
    public func peerTransports(_ hash: String) throws(TorrentError) -> (tcp: Int, utp: Int) { try native.peerTransports(hash) }

    /// Block requests in flight on the torrent's connections, both ways.
    ///
    /// - Parameter hash: The torrent's info-hash.
    /// - Returns: The blocks requested from peers and not received, those peers requested and not sent, and the peers counted.
    /// - Throws: ``TorrentError/notInSession(_:)`` when no torrent has that info-hash; ``TorrentError/sessionClosed`` after
    ///   shutdown; ``TorrentError/engine(operation:code:message:)`` when libtorrent refuses.
    public func requestQueues(_ hash: String) throws(TorrentError) -> RequestQueues { try native.requestQueues(hash) }

    /// libtorrent's own counters and gauges (names as `session_stats_metrics()` lists them, e.g.
    /// "disk.queued_disk_jobs"), from a snapshot taken now: waits up to `timeout` for the alert
    /// that carries it. Names libtorrent does not know are left out; nil when no snapshot came.
    ///
    /// - Parameters:
    ///   - names: libtorrent's metric names to read.
    ///   - timeout: How long to wait for the snapshot.
    /// - Returns: The value of each name libtorrent knows; nil when no snapshot came within `timeout`.
    public func engineCounters(_ names: [String], timeout: Duration = .seconds(2)) async -> [String: Int64]? {
        let before = native.stats([]).generation
        native.postStats()
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(5))
            // The snapshot arrives as an alert: handled here, it does not wait for the alert pump's
            // turn on a busy cooperative pool (seen: tests in parallel waited more than 2 s for it).
            drainAlerts()
            let now = native.stats(names)
            if now.generation > before { return now.values }
        }
        return nil
    }

    /// Bytes downloaded of each file, by file index.
    ///
    /// - Parameter hash: The torrent's info-hash.
    /// - Returns: The bytes of verified pieces in each file, in the order of the metadata's file list; empty while a
    ///   magnet's metadata has not arrived.
    /// - Throws: ``TorrentError/notInSession(_:)`` when no torrent has that info-hash; ``TorrentError/sessionClosed`` after
    ///   shutdown; ``TorrentError/engine(operation:code:message:)`` when libtorrent refuses.
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
