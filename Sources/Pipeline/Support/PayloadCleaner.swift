import Basics
import Foundation
import Logging
import ServiceLifecycle
import Storage
import Torrent

/// Removes a torrent and its payload once it has seeded under the policy and every ticket that
/// used it is finished (completed, failed, rejected, cancelled): a ticket still converting or
/// waiting for a retry keeps its source files. With `keepPayload` nothing is removed.
public struct PayloadCleaner: Service {
    let torrents: TorrentSession
    let database: any TicketStore
    let downloadRoot: String
    let keepPayload: Bool
    let interval: Duration
    let logger: Logger

    public init(
        torrents: TorrentSession, database: any TicketStore, downloadRoot: String, keepPayload: Bool, interval: Duration = .seconds(30),
        logger: Logger = Logger(label: "downloader2.cleanup")
    ) {
        self.torrents = torrents
        self.database = database
        self.downloadRoot = downloadRoot
        self.keepPayload = keepPayload
        self.interval = interval
        self.logger = logger
    }

    /// Sweeps every `interval` until the service shuts down. (It never returns early, even with
    /// `keepPayload`: a service that returns ends the whole service group.)
    public func run() async throws {
        let interval = self.interval
        while !Task.isCancelled, !Task.isShuttingDownGracefully {
            _ = await sweep()
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
        }
    }

    /// One pass; returns the info-hashes whose payload was removed.
    @discardableResult
    public func sweep() async -> [String] {
        guard !keepPayload else { return [] }
        var removed: [String] = []
        for hash in await torrents.torrents where await torrents.isSeedingDone(hash) {
            guard let holders = try? await database.ticketStates(holdingTorrent: hash),
                  holders.values.allSatisfy(\.isTerminal) else { continue }
            do {
                try await torrents.remove(hash, deleteFiles: true)
            } catch {
                logger.warning("cannot remove torrent \(hash): \(error)")
                continue
            }
            // libtorrent deletes the files; the emptied per-ticket folders go too.
            for ticketId in holders.keys {
                await removeEmptyFolders((downloadRoot as NSString).appendingPathComponent(SafeName(ticketId).value))
            }
            logger.info("torrent \(hash) seeded and its tickets are finished: payload removed")
            removed.append(hash)
        }
        return removed
    }

    /// Removes `folder` once it holds nothing but empty folders. libtorrent deletes files in the
    /// background, so this waits for that up to a few seconds; a file that stays keeps the folder.
    private func removeEmptyFolders(_ folder: String) async {
        let manager = FileManager.default
        func holdsFiles() -> Bool {
            guard let entries = manager.enumerator(atPath: folder) else { return false }
            for case let entry as String in entries {
                var isDirectory: ObjCBool = false
                if manager.fileExists(atPath: (folder as NSString).appendingPathComponent(entry), isDirectory: &isDirectory), !isDirectory.boolValue { return true }
            }
            return false
        }
        for _ in 0..<50 where holdsFiles() { try? await Task.sleep(for: .milliseconds(100)) }
        if !holdsFiles() { try? manager.removeItem(atPath: folder) }
    }
}
