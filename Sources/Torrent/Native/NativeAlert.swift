internal import CTorrentShim
import Foundation

/// One popped alert, copied out of the shim's buffers (which the next pop reuses).
struct NativeAlert {
    var type: Int32
    var infoHash: String
    var state: Int
    var index: Int
    var errorCode: Int
    var message: String
    var url: String
    var data: Data?

    init(_ alert: lt_shim_alert) {
        type = alert.type
        infoHash = String(fixedCString: alert.info_hash)
        state = Int(alert.state)
        index = Int(alert.index)
        errorCode = Int(alert.error_code)
        message = alert.message.map { String(cString: $0) } ?? ""
        url = alert.url.map { String(cString: $0) } ?? ""
        data = alert.data.map { Data(bytes: $0, count: alert.data_size) }
    }

    /// The typed event for this alert, if it is one we report.
    var event: TorrentEvent? {
        let h = infoHash
        switch Int(type) {
        case Int(LT_SHIM_ALERT_METADATA_RECEIVED): return .metadataReceived(infoHash: h)
        case Int(LT_SHIM_ALERT_STATE_CHANGED): return .stateChanged(infoHash: h, state: TorrentEngineState(rawValue: state) ?? .unknown)
        case Int(LT_SHIM_ALERT_FINISHED): return .finished(infoHash: h)
        case Int(LT_SHIM_ALERT_FILE_COMPLETED): return .fileCompleted(infoHash: h, fileIndex: index)
        case Int(LT_SHIM_ALERT_TORRENT_ERROR): return .torrentError(infoHash: h, message: url.isEmpty ? message : "\(message): \(url)")
        case Int(LT_SHIM_ALERT_TRACKER_ERROR): return .trackerError(infoHash: h, url: url, message: message)
        case Int(LT_SHIM_ALERT_TRACKER_REPLY): return .trackerReply(infoHash: h, url: url, peers: index)
        case Int(LT_SHIM_ALERT_FILE_ERROR): return .fileError(infoHash: h, file: url, message: message)
        case Int(LT_SHIM_ALERT_HASH_FAILED): return .hashFailed(infoHash: h, piece: index)
        case Int(LT_SHIM_ALERT_STORAGE_MOVED): return .storageMoved(infoHash: h, path: url)
        case Int(LT_SHIM_ALERT_RESUME_DATA): return .resumeDataSaved(infoHash: h, bytes: data?.count ?? 0)
        case Int(LT_SHIM_ALERT_RESUME_DATA_FAILED): return .resumeDataFailed(infoHash: h, message: message)
        case Int(LT_SHIM_ALERT_ADD_FAILED): return .addFailed(infoHash: h, message: message)
        case Int(LT_SHIM_ALERT_REMOVED): return .removed(infoHash: h)
        case Int(LT_SHIM_ALERT_PAUSED): return .paused(infoHash: h)
        case Int(LT_SHIM_ALERT_RESUMED): return .resumed(infoHash: h)
        case Int(LT_SHIM_ALERT_CHECKED): return .checked(infoHash: h)
        case Int(LT_SHIM_ALERT_LISTEN_SUCCEEDED): return .listenSucceeded(address: url, port: index)
        case Int(LT_SHIM_ALERT_LISTEN_FAILED): return .listenFailed(address: url, port: index, message: message)
        case Int(LT_SHIM_ALERT_DHT_BOOTSTRAP): return .dhtBootstrapped
        case Int(LT_SHIM_ALERT_DHT_ANNOUNCE): return .dhtAnnounceReceived(infoHash: h, address: url, port: index)
        default: return nil
        }
    }

    var isResumeData: Bool { type == LT_SHIM_ALERT_RESUME_DATA }
    var isResumeDataFailure: Bool { type == LT_SHIM_ALERT_RESUME_DATA_FAILED }
}

extension String {
    /// The text of a fixed-size C `char[N]` field (Swift imports it as a tuple), up to its first NUL.
    init<Tuple>(fixedCString tuple: Tuple) {
        self = withUnsafeBytes(of: tuple) { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
    }

    /// The text of a NUL-terminated character array filled by C.
    init(nulTerminated buffer: [CChar]) {
        self = buffer.withUnsafeBytes { String(decoding: $0.prefix { $0 != 0 }, as: UTF8.self) }
    }
}
