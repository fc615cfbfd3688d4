import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// The speed limits in force and why.
public struct BandwidthState: Sendable, Equatable, Codable {
    /// `alternative` while `[torrent] alt_schedule` is active, else `normal`.
    public var limit: String
    /// 0: unlimited.
    public var downloadKbps: Int
    public var uploadKbps: Int
    public var schedule: String

    public init(limit: String, downloadKbps: Int, uploadKbps: Int, schedule: String) {
        self.limit = limit
        self.downloadKbps = downloadKbps
        self.uploadKbps = uploadKbps
        self.schedule = schedule
    }
}

/// Switches the engine between the normal limits (`[torrent] max_download_kbps`, `max_upload_kbps`)
/// and the alternative ones (`alt_download_kbps`, `alt_upload_kbps`) as `alt_schedule` says, looking
/// every `interval` (and at start).
public final class BandwidthScheduler: Service, Sendable {
    let session: TorrentSession
    let normal: (download: Int, upload: Int)
    let alternative: (download: Int, upload: Int)
    let schedule: BandwidthSchedule
    let interval: Duration
    let now: @Sendable () -> Date
    let calendar: Calendar
    let logger: Logger
    private let applied = Mutex<BandwidthState?>(nil)

    public init(
        session: TorrentSession, normal: (download: Int, upload: Int), alternative: (download: Int, upload: Int), schedule: BandwidthSchedule,
        interval: Duration = .seconds(30), now: @escaping @Sendable () -> Date = { Date() }, calendar: Calendar = .current,
        logger: Logger = Logger(label: "downloader2.bandwidth")
    ) {
        self.calendar = calendar
        self.session = session
        self.normal = normal
        self.alternative = alternative
        self.schedule = schedule
        self.interval = interval
        self.now = now
        self.logger = logger
    }

    /// What the schedule says now (whether or not it has been applied yet).
    public var wanted: BandwidthState {
        let active = schedule.isActive(at: now(), calendar: calendar)
        let limits = active ? alternative : normal
        return BandwidthState(
            limit: active ? "alternative" : "normal", downloadKbps: limits.download, uploadKbps: limits.upload, schedule: schedule.description)
    }

    /// The limits last applied to the engine.
    public var current: BandwidthState { applied.withLock { $0 } ?? wanted }

    /// Applies the schedule's limits if they changed.
    public func apply() async {
        let state = wanted
        guard applied.withLock({ $0 }) != state else { return }
        do {
            try await session.setRateLimits(downloadKbps: state.downloadKbps, uploadKbps: state.uploadKbps)
            applied.withLock { $0 = state }
            logger.info(
                "bandwidth: \(state.limit) limits in force (download \(state.downloadKbps) KiB/s, upload \(state.uploadKbps) KiB/s; 0 = unlimited)")
        } catch {
            logger.error("bandwidth: cannot apply the \(state.limit) limits: \(error)")
        }
    }

    public func run() async throws {
        while !Task.isCancelled, !Task.isShuttingDownGracefully {
            await apply()
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: self.interval) }
        }
    }
}
