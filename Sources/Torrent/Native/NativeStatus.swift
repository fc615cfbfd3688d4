internal import CTorrentShim

/// One torrent's status as libtorrent reports it, in Swift types: the session layer never sees
/// the shim's `lt_shim_status` struct.
struct NativeStatus: Sendable {
    var engineState: TorrentEngineState
    var paused: Bool
    var hasMetadata: Bool
    var wantedBytes: Int64
    var wantedDoneBytes: Int64
    var allTimeDownload: Int64
    var allTimeUpload: Int64
    var downloadRate: Int
    var uploadRate: Int
    var peers: Int
    var seeds: Int
    var knownPeers: Int
    var seedingSecs: Int64
    var needsSaveResume: Bool
    var isPrivate: Bool
    var totalSize: Int64
    /// Empty when none.
    var error: String
    var name: String
    var savePath: String

    /// Every wanted byte is here (not `is_finished` alone: docs/NOTES.md on magnets and file selection).
    var isComplete: Bool { hasMetadata && wantedBytes > 0 && wantedDoneBytes >= wantedBytes }

    init(_ s: lt_shim_status) {
        engineState = TorrentEngineState(rawValue: Int(s.state)) ?? .unknown
        paused = s.paused != 0
        hasMetadata = s.has_metadata != 0
        wantedBytes = s.total_wanted
        wantedDoneBytes = s.total_wanted_done
        allTimeDownload = s.all_time_download
        allTimeUpload = s.all_time_upload
        downloadRate = Int(s.download_payload_rate)
        uploadRate = Int(s.upload_payload_rate)
        peers = Int(s.num_peers)
        seeds = Int(s.num_seeds)
        knownPeers = Int(s.list_peers)
        seedingSecs = s.seeding_duration_secs
        needsSaveResume = s.need_save_resume != 0
        isPrivate = s.is_private != 0
        totalSize = s.total_size
        error = String(fixedCString: s.error)
        name = String(fixedCString: s.name)
        savePath = String(fixedCString: s.save_path)
    }
}
