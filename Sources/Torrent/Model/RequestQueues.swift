/// Block requests in flight on one torrent's connections, summed over its peers (libtorrent's
/// `peer_info::download_queue_length` and `upload_queue_length`).
public struct RequestQueues: Sendable, Equatable {
    /// Blocks requested from peers and not received yet.
    public var downloadBlocks: Int
    /// Blocks peers requested from us and not sent yet.
    public var uploadBlocks: Int
    public var peers: Int
}
