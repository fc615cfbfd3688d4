import Basics
import Foundation
import Logging
import ServiceLifecycle
import Storage
import Torrent

/// Removes a torrent and its payload once it has met its seeding goal and every ticket that
/// used it is finished (completed, failed, rejected, cancelled): a ticket still converting or
/// waiting for a retry keeps its source files. With `keepPayload` nothing is removed, except to
/// keep within the disk budget (`[seeding] max_disk_gb`): over it, payloads whose goal is met go,
/// those that seeded longest first; a payload short of its goal is never removed, the health checks
/// warn instead (``SeedingBudgetReport``).
///
/// With several nodes it also lets go of torrents whose tickets another node holds now (this node was
/// restarted after they were taken over, or came back from a partition): the torrent leaves this
/// node's engine, its files stay for the node that works on them.
public struct PayloadCleaner: Service {
    let torrents: TorrentSession
    let database: any TicketStore
    let downloadRoot: String
    let keepPayload: Bool
    /// `[seeding] max_disk_gb` in bytes; 0 = no budget.
    let maxSeedingBytes: Int64
    let report: SeedingBudgetReport
    let interval: Duration
    /// Tickets other live nodes hold a lease on (nil: a single node, or the store did not answer).
    let heldElsewhere: @Sendable () async -> Set<String>?
    let logger: Logger

    public init(
        torrents: TorrentSession, database: any TicketStore, downloadRoot: String, keepPayload: Bool, maxSeedingBytes: Int64 = 0,
        report: SeedingBudgetReport = SeedingBudgetReport(), interval: Duration = .seconds(30),
        heldElsewhere: @escaping @Sendable () async -> Set<String>? = { nil }, logger: Logger = Logger(label: "downloader2.cleanup")
    ) {
        self.maxSeedingBytes = maxSeedingBytes
        self.report = report
        self.heldElsewhere = heldElsewhere
        self.torrents = torrents
        self.database = database
        self.downloadRoot = downloadRoot
        self.keepPayload = keepPayload
        self.interval = interval
        self.logger = logger
    }

    /// Sweeps every `interval` until the service shuts down. (A service that returns ends the whole service group.)
    public func run() async throws {
        let interval = self.interval
        while !Task.isCancelled, !Task.isShuttingDownGracefully {
            _ = await releaseTorrentsHeldElsewhere()
            _ = await sweep()
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
        }
    }

    /// One pass; returns the info-hashes whose payload was removed.
    @discardableResult
    public func sweep() async -> [String] {
        var removed: [String] = []
        let entries = await SeedingOverview.entries(torrents: torrents, database: database)
        if !keepPayload {
            for entry in entries where entry.keptForSeeding && entry.torrent.goalMet {
                if await remove(entry, why: "seeded to its goal and its tickets are finished") { removed.append(entry.torrent.infoHash) }
            }
        }
        var kept = entries.filter { $0.keptForSeeding && !removed.contains($0.torrent.infoHash) }
        var keptBytes = kept.reduce(Int64(0)) { $0 + $1.torrent.bytesOnDisk }
        if maxSeedingBytes > 0, keptBytes > maxSeedingBytes {
            // Met goals first, the longest seeded first; never one short of its goal.
            for entry in kept.filter(\.torrent.goalMet).sorted(by: { $0.torrent.seedingSecs > $1.torrent.seedingSecs }) {
                guard keptBytes > maxSeedingBytes else { break }
                let size = ByteCountFormatter.string(fromByteCount: keptBytes, countStyle: .decimal)
                if await remove(entry, why: "its goal is met and the payloads kept for seeding (\(size)) exceed [seeding] max_disk_gb") {
                    removed.append(entry.torrent.infoHash)
                    keptBytes -= entry.torrent.bytesOnDisk
                    kept.removeAll { $0.torrent.infoHash == entry.torrent.infoHash }
                }
            }
        }
        let over = maxSeedingBytes > 0 && keptBytes > maxSeedingBytes
        let short = over ? kept.filter(\.shortOfGoal) : []
        report.record(.init(checkedAt: Date(), keptBytes: keptBytes, budgetBytes: maxSeedingBytes, overBudgetShortOfGoal: short))
        if over {
            logger.warning(
                "payloads kept for seeding take \(keptBytes) bytes, over [seeding] max_disk_gb (\(maxSeedingBytes) bytes); \(short.count) torrent(s) still short of their goal are kept"
            )
        }
        return removed
    }

    private func remove(_ entry: SeedingEntry, why: String) async -> Bool {
        let hash = entry.torrent.infoHash
        // Asked again just before: a ticket may have adopted the torrent since the sweep began.
        guard let holders = try? await database.ticketStates(holdingTorrent: hash), holders.values.allSatisfy(\.isTerminal),
            let now = try? await torrents.seedingState(hash), now.goalMet || !entry.torrent.goalMet
        else { return false }
        do {
            try await torrents.remove(hash, deleteFiles: true)
        } catch {
            logger.warning("cannot remove torrent \(hash): \(error)")
            return false
        }
        // libtorrent deletes the files; the emptied per-ticket folders go too.
        for ticketId in entry.tickets.keys {
            await removeEmptyFolders((downloadRoot as NSString).appendingPathComponent(SafeName(ticketId).value))
        }
        logger.info("torrent \(hash) (\(entry.torrent.name)): \(why): payload removed")
        return true
    }

    /// Removes from the engine, keeping their files, the torrents whose unfinished tickets are all
    /// held by other nodes. Returns their info-hashes.
    @discardableResult
    public func releaseTorrentsHeldElsewhere() async -> [String] {
        guard let elsewhere = await heldElsewhere(), !elsewhere.isEmpty else { return [] }
        var released: [String] = []
        for hash in await torrents.torrents {
            guard let holders = try? await database.ticketStates(holdingTorrent: hash) else { continue }
            let unfinished = holders.filter { !$0.value.isTerminal }.keys
            guard !unfinished.isEmpty, unfinished.allSatisfy(elsewhere.contains) else { continue }
            do {
                try await torrents.remove(hash, deleteFiles: false)
            } catch {
                logger.warning("cannot remove torrent \(hash): \(error)")
                continue
            }
            logger.notice(
                "torrent \(hash): ticket(s) \(unfinished.sorted().joined(separator: ", ")) are held by another node; the torrent leaves this node, its files stay"
            )
            released.append(hash)
        }
        return released
    }

    /// Removes `folder` once it holds nothing but empty folders. libtorrent deletes files in the
    /// background, so this waits for that up to a few seconds; a file that stays keeps the folder.
    private func removeEmptyFolders(_ folder: String) async {
        let manager = FileManager.default
        func holdsFiles() -> Bool {
            guard let entries = manager.enumerator(atPath: folder) else { return false }
            for case let entry as String in entries {
                var isDirectory: ObjCBool = false
                if manager.fileExists(atPath: (folder as NSString).appendingPathComponent(entry), isDirectory: &isDirectory), !isDirectory.boolValue {
                    return true
                }
            }
            return false
        }
        for _ in 0..<50 where holdsFiles() { try? await Task.sleep(for: .milliseconds(100)) }
        if !holdsFiles() { try? manager.removeItem(atPath: folder) }
    }
}
