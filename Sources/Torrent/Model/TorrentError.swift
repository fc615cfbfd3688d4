/// What the torrent engine can fail at, in terms a user can act on.
public enum TorrentError: Error, Sendable, Equatable, CustomStringConvertible {
    /// libtorrent refused or failed an operation; `code` is its error value (-1 for an exception).
    case engine(operation: String, code: Int, message: String)
    case invalidMagnet(String)
    case corruptTorrentFile(String)
    case notInSession(String)
    /// The session has stopped (shutdown); nothing can be asked of it any more.
    case sessionClosed
    /// No metadata arrived in time; `peersSeen` says whether anyone was reachable at all.
    case metadataTimeout(seconds: Int, peersSeen: Int)
    /// The download stopped moving: no payload for `seconds` and no seed connected.
    case stalled(seconds: Int)
    case torrentFailed(String)
    case fileSelection(String)

    public var description: String {
        switch self {
        case .engine(let op, let code, let message): "libtorrent could not \(op): \(message) (code \(code))"
        case .invalidMagnet(let reason): "invalid magnet link: \(reason)"
        case .corruptTorrentFile(let reason): "not a valid .torrent file: \(reason)"
        case .notInSession(let message): message
        case .sessionClosed: "the torrent session has stopped"
        case .metadataTimeout(let seconds, let peers):
            peers == 0
                ? "no metadata after \(seconds) s: no peer could be reached"
                : "no metadata after \(seconds) s although \(peers) peer(s) were found: none sent it"
        case .stalled(let seconds): "download stalled: no data for \(seconds) s and no seed connected"
        case .torrentFailed(let message): "the torrent failed: \(message)"
        case .fileSelection(let reason): "cannot select files: \(reason)"
        }
    }
}
