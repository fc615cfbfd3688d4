internal import CTorrentShim
import Foundation

/// Owns one `lt_shim_session` and turns its C error codes into ``TorrentError``s.
///
/// Only ``TorrentSession`` holds one, and calls it from its own isolation, so its methods are
/// never called concurrently with each other.
final class NativeSession {
    private var pointer: OpaquePointer?
    /// Retained for the C notify callback; released after the session is gone.
    private var wakeContext: Unmanaged<AlertWake>?

    init(settings: TorrentSettings) throws(TorrentError) {
        var error = lt_shim_error()
        let created: OpaquePointer? = settings.listenInterfaces.withCString { listen in
            settings.dhtBootstrapNodes.withCString { nodes in
                var c = lt_shim_settings()
                c.listen_interfaces = listen
                c.dht_bootstrap_nodes = nodes
                c.enable_dht = settings.enableDHT ? 1 : 0
                c.enable_lsd = settings.enableLSD ? 1 : 0
                c.enable_upnp = settings.enableUPnP ? 1 : 0
                c.enable_natpmp = settings.enableNATPMP ? 1 : 0
                c.enable_utp = settings.enableUTP ? 1 : 0
                c.dial_utp = settings.dialUTP ? 1 : 0
                c.download_rate_limit = Int32(clamping: settings.maxDownloadKbps * 1024)
                c.upload_rate_limit = Int32(clamping: settings.maxUploadKbps * 1024)
                c.connections_limit = Int32(clamping: settings.connectionsLimit)
                c.allow_multiple_connections_per_ip = settings.allowMultipleConnectionsPerIP ? 1 : 0
                c.hashing_threads = Int32(clamping: settings.hashingThreads)
                c.aio_threads = Int32(clamping: settings.aioThreads)
                c.send_buffer_watermark_kib = Int32(clamping: settings.sendBufferWatermarkKiB)
                c.max_queued_disk_kib = Int32(clamping: settings.maxQueuedDiskKiB)
                c.disk_thread = settings.diskThread ? 1 : 0
                c.keep_files_open = settings.keepFilesOpen ? 1 : 0
                c.os_cache = settings.osCache ? 1 : 0
                c.tuned_for_throughput = settings.tunedForThroughput ? 1 : 0
                c.allow_local_trackers = settings.allowLocalTrackers ? 1 : 0
                c.rate_limit_local_peers = settings.rateLimitLocalPeers ? 1 : 0
                c.min_reconnect_secs = Int32(clamping: settings.minReconnectSecs)
                return lt_session_create(&c, &error)
            }
        }
        guard let created else { throw Self.failure("start a session", error) }
        pointer = created
    }

    deinit { close() }

    /// Stops libtorrent (blocking until it has) and frees the session; safe to call twice.
    func close() {
        if let pointer { lt_session_destroy(pointer) }
        pointer = nil
        wakeContext?.release()
        wakeContext = nil
    }

    private var session: OpaquePointer {
        get throws(TorrentError) {
            guard let pointer else { throw .sessionClosed }
            return pointer
        }
    }

    /// Wakes `wake` whenever alerts arrive (called on a libtorrent thread).
    func setAlertNotify(_ wake: AlertWake) throws(TorrentError) {
        let context = Unmanaged.passRetained(wake)
        wakeContext?.release()
        wakeContext = context
        lt_session_set_alert_notify(
            try session,
            { context in
                guard let context else { return }
                Unmanaged<AlertWake>.fromOpaque(context).takeUnretainedValue().signal()
            }, context.toOpaque())
    }

    var listenPort: Int { pointer.map { Int(lt_session_listen_port($0)) } ?? 0 }

    func setRateLimits(downloadKbps: Int, uploadKbps: Int) throws(TorrentError) {
        var error = lt_shim_error()
        guard lt_session_set_rate_limits(try session, Int32(clamping: downloadKbps * 1024), Int32(clamping: uploadKbps * 1024), &error) == 0 else {
            throw Self.failure("set rate limits", error)
        }
    }

    /// Adds a torrent and returns its info-hash id.
    func add(_ request: AddRequest) throws(TorrentError) -> String {
        let session = try session
        var error = lt_shim_error()
        var hash = [CChar](repeating: 0, count: 65)
        let status: Int32 = withCStrings(request.peers) { peers in
            withCStrings(request.trackers) { trackers in
                request.magnet.withOptionalCString { magnet in
                    request.savePath.withCString { savePath in
                        request.torrentFile.withOptionalBytes { torrent, torrentCount in
                            request.resumeData.withOptionalBytes { resume, resumeCount in
                                var p = lt_shim_add_params()
                                p.magnet_uri = magnet
                                p.torrent_data = torrent
                                p.torrent_size = torrentCount
                                p.resume_data = resume
                                p.resume_size = resumeCount
                                p.save_path = savePath
                                p.paused = request.paused ? 1 : 0
                                p.seed_mode = request.seedMode ? 1 : 0
                                p.peers = peers
                                p.peer_count = Int32(request.peers.count)
                                p.trackers = trackers
                                p.tracker_count = Int32(request.trackers.count)
                                p.hold_payload = request.holdPayload ? 1 : 0
                                return request.filePriorities.withUnsafeBufferPointer { priorities in
                                    p.file_priorities = priorities.baseAddress
                                    p.file_priority_count = Int32(priorities.count)
                                    return lt_session_add(session, &p, &hash, &error)
                                }
                            }
                        }
                    }
                }
            }
        }
        guard status == 0 else {
            if request.torrentFile != nil { throw .corruptTorrentFile(Self.message(error)) }
            if request.magnet != nil, request.resumeData == nil { throw .invalidMagnet(Self.message(error)) }
            throw Self.failure("add the torrent", error)
        }
        return String(nulTerminated: hash)
    }

    func remove(_ hash: String, deleteFiles: Bool) throws(TorrentError) {
        try call("remove \(hash)") { lt_session_remove($0, hash, deleteFiles ? 1 : 0, &$1) }
    }

    func torrents() -> [String] {
        guard let pointer, let list = lt_session_torrents(pointer) else { return [] }
        defer { lt_shim_free(list) }
        return String(cString: list).split(separator: "\n").map(String.init)
    }

    func status(_ hash: String) throws(TorrentError) -> NativeStatus {
        var status = lt_shim_status()
        try call("read the status of \(hash)") { lt_torrent_status($0, hash, &status, &$1) }
        return NativeStatus(status)
    }

    func pause(_ hash: String) throws(TorrentError) { try call("pause \(hash)") { lt_torrent_pause($0, hash, &$1) } }
    func resume(_ hash: String) throws(TorrentError) { try call("resume \(hash)") { lt_torrent_resume($0, hash, &$1) } }
    func forceRecheck(_ hash: String) throws(TorrentError) { try call("recheck \(hash)") { lt_torrent_force_recheck($0, hash, &$1) } }
    func forceReannounce(_ hash: String) throws(TorrentError) { try call("reannounce \(hash)") { lt_torrent_force_reannounce($0, hash, &$1) } }

    func saveResumeData(_ hash: String, onlyIfModified: Bool) throws(TorrentError) {
        try call("save resume data of \(hash)") { lt_torrent_save_resume_data($0, hash, onlyIfModified ? 1 : 0, &$1) }
    }

    func connectPeer(_ hash: String, endpoint: String) throws(TorrentError) {
        try call("connect \(hash) to \(endpoint)") { lt_torrent_connect_peer($0, hash, endpoint, &$1) }
    }

    func setFilePriorities(_ hash: String, _ priorities: [UInt8]) throws(TorrentError) {
        try call("set file priorities of \(hash)") { session, error in
            priorities.withUnsafeBufferPointer { lt_torrent_set_file_priorities(session, hash, $0.baseAddress, Int32($0.count), &error) }
        }
    }

    func holdPayload(_ hash: String, _ hold: Bool) throws(TorrentError) {
        try call("\(hold ? "hold" : "release") payload of \(hash)") { lt_torrent_hold_payload($0, hash, hold ? 1 : 0, &$1) }
    }

    func fileProgress(_ hash: String, fileCount: Int) throws(TorrentError) -> [Int64] {
        var out = [Int64](repeating: 0, count: fileCount)
        try call("read file progress of \(hash)") { session, error in
            out.withUnsafeMutableBufferPointer { lt_torrent_file_progress(session, hash, $0.baseAddress, Int32($0.count), &error) }
        }
        return out
    }

    func peerTransports(_ hash: String) throws(TorrentError) -> (tcp: Int, utp: Int) {
        var tcp: Int32 = 0, utp: Int32 = 0
        try call("read the peers of \(hash)") { lt_torrent_peer_transports($0, hash, &tcp, &utp, &$1) }
        return (Int(tcp), Int(utp))
    }

    func requestQueues(_ hash: String) throws(TorrentError) -> RequestQueues {
        var download: Int32 = 0, upload: Int32 = 0, peers: Int32 = 0
        try call("read the request queues of \(hash)") { lt_torrent_request_queues($0, hash, &download, &upload, &peers, &$1) }
        return RequestQueues(downloadBlocks: Int(download), uploadBlocks: Int(upload), peers: Int(peers))
    }

    /// Asks for a snapshot of the session's counters (taken when its alert is popped).
    func postStats() {
        guard let pointer else { return }
        lt_session_post_stats(pointer)
    }

    /// The snapshots taken so far, and `names`' values in the last one (nil: no such metric, or no snapshot yet).
    func stats(_ names: [String]) -> (generation: UInt64, values: [String: Int64]) {
        guard let pointer else { return (0, [:]) }
        var generation: UInt64 = 0
        var values: [String: Int64] = [:]
        for name in names {
            var value: Int64 = 0
            if lt_session_stat(pointer, name, &value, &generation) == 0 { values[name] = value }
        }
        if names.isEmpty { var unused: Int64 = 0; _ = lt_session_stat(pointer, "", &unused, &generation) }
        return (generation, values)
    }

    /// The torrent's metadata, or nil while a magnet's has not arrived.
    func metadata(_ hash: String) throws(TorrentError) -> TorrentMetadata? {
        let session = try session
        var error = lt_shim_error()
        guard let info = lt_torrent_info(session, hash, &error) else {
            if error.code == LT_SHIM_ERROR_NOT_IN_SESSION { throw .notInSession(Self.message(error)) }
            if (try? status(hash))?.hasMetadata == false { return nil }
            throw Self.failure("read the metadata of \(hash)", error)
        }
        defer { lt_info_free(info) }
        return NativeInfo.metadata(of: info)
    }

    /// Pops every pending alert as Swift values.
    func popAlerts() -> [NativeAlert] {
        guard let pointer else { return [] }
        var alerts: UnsafePointer<lt_shim_alert>?
        let count = Int(lt_session_pop_alerts(pointer, &alerts))
        guard count > 0, let alerts else { return [] }
        return (0..<count).map { NativeAlert(alerts[$0]) }
    }

    private func call(_ operation: @autoclosure () -> String, _ body: (OpaquePointer, inout lt_shim_error) -> Int32) throws(TorrentError) {
        let session = try session
        var error = lt_shim_error()
        guard body(session, &error) == 0 else {
            if error.code == LT_SHIM_ERROR_NOT_IN_SESSION { throw .notInSession(Self.message(error)) }
            throw Self.failure(operation(), error)
        }
    }

    static func message(_ error: lt_shim_error) -> String {
        String(fixedCString: error.message)
    }

    static func failure(_ operation: String, _ error: lt_shim_error) -> TorrentError {
        .engine(operation: operation, code: Int(error.code), message: message(error))
    }
}

/// Everything `lt_session_add` takes, in Swift terms.
struct AddRequest {
    var magnet: String?
    var torrentFile: Data?
    var resumeData: Data?
    var savePath: String
    var paused = false
    var seedMode = false
    var peers: [String] = []
    var trackers: [String] = []
    var holdPayload = false
    var filePriorities: [UInt8] = []
}

/// Wakes the alert pump; `signal` runs on whatever thread libtorrent calls it from.
final class AlertWake: Sendable {
    let continuation: AsyncStream<Void>.Continuation
    init(_ continuation: AsyncStream<Void>.Continuation) { self.continuation = continuation }
    func signal() { continuation.yield() }
}

private func withCStrings<R>(_ strings: [String], _ body: (UnsafePointer<UnsafePointer<CChar>?>?) -> R) -> R {
    let duplicates = strings.map { strdup($0) }
    defer { duplicates.forEach { free($0) } }
    let pointers = duplicates.map { UnsafePointer($0) }
    return pointers.withUnsafeBufferPointer { body($0.baseAddress) }
}

extension Optional where Wrapped == String {
    fileprivate func withOptionalCString<R>(_ body: (UnsafePointer<CChar>?) -> R) -> R {
        switch self {
        case .some(let s): s.withCString { body($0) }
        case .none: body(nil)
        }
    }
}

extension Optional where Wrapped == Data {
    fileprivate func withOptionalBytes<R>(_ body: (UnsafePointer<UInt8>?, Int) -> R) -> R {
        switch self {
        case .some(let data): data.withUnsafeBytes { body($0.bindMemory(to: UInt8.self).baseAddress, $0.count) }
        case .none: body(nil, 0)
        }
    }
}
