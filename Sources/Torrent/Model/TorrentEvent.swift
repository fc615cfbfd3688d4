/// What the engine reports, as typed values (from libtorrent alerts).
public enum TorrentEvent: Sendable, Equatable {
    case metadataReceived(infoHash: String)
    case stateChanged(infoHash: String, state: TorrentEngineState)
    case finished(infoHash: String)
    case fileCompleted(infoHash: String, fileIndex: Int)
    case torrentError(infoHash: String, message: String)
    case trackerError(infoHash: String, url: String, message: String)
    case trackerReply(infoHash: String, url: String, peers: Int)
    case fileError(infoHash: String, file: String, message: String)
    case hashFailed(infoHash: String, piece: Int)
    case storageMoved(infoHash: String, path: String)
    case resumeDataSaved(infoHash: String, bytes: Int)
    case resumeDataFailed(infoHash: String, message: String)
    case addFailed(infoHash: String, message: String)
    case removed(infoHash: String)
    case paused(infoHash: String)
    case resumed(infoHash: String)
    case checked(infoHash: String)
    /// The seeding policy was met and the torrent was stopped.
    case seedingDone(infoHash: String)
    case listenSucceeded(address: String, port: Int)
    case listenFailed(address: String, port: Int, message: String)
    case dhtBootstrapped
    /// Another DHT node told ours it has `infoHash` (a `dht_announce_alert`): what a torrent announced
    /// on the DHT looks like from the other side.
    case dhtAnnounceReceived(infoHash: String, address: String, port: Int)
}

/// libtorrent's own state of a torrent.
public enum TorrentEngineState: Int, Sendable, Equatable, Codable {
    case checkingFiles = 1
    case downloadingMetadata = 2
    case downloading = 3
    case finished = 4
    case seeding = 5
    case checkingResumeData = 7
    case unknown = 0
}
