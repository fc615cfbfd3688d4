import Basics
import Foundation
import Tickets
import Torrent

/// One foreground download: add (or resume), wait for metadata, select files, report progress.
struct DownloadJob: Sendable {
    let session: TorrentSession
    let source: TorrentSource
    let directory: String
    let wanted: Set<Int>?
    let peers: [String]
    let seed: Bool
    let metadataTimeout: Duration
    let json: Bool
    let resumeDirectory: String
    var engineStats = false

    func run() async throws {
        let restored = Set(await session.restore())
        let started = ContinuousClock.now
        let hash: String
        switch source {
        case .file(let data, _):
            hash = try await session.add(torrentFile: data, savePath: directory, wantedFiles: wanted, peers: peers)
        case .magnet(let magnet):
            hash = try await session.add(magnet: magnet, savePath: directory, holdPayload: wanted != nil, peers: peers)
        }
        let resumed = restored.contains(hash)
        let known = try await session.metadata(hash)
        if known == nil {
            _ = try await session.waitForMetadata(hash, timeout: metadataTimeout)
        }
        // Idempotent, so a resumed download gets the same selection (and a held magnet is released).
        if let wanted {
            try await session.selectFiles(hash, wanted: wanted)
        } else if case .magnet = source {
            try await session.downloadAllFiles(hash)
        }
        if resumed {
            let checked = await waitWhileChecking(hash)
            report(
                "resumed \(checked.name) from resume data at \(String(format: "%.1f", checked.percent)) % (\(Format.bytes(checked.wantedDoneBytes)) already here)"
            )
        }
        let line = ProgressLine()
        let sampler = engineStats ? Task { await EngineSampler.sample(session, hash) } : nil
        let done: TorrentProgress
        do {
            done = try await session.waitUntilComplete(hash, pollInterval: .milliseconds(100)) { line.show($0) }
        } catch TorrentError.sessionClosed {
            sampler?.cancel()
            throw CLIError("interrupted before completion; resume data was saved: run the same command again to continue")
        }
        line.finish()
        let seconds = (ContinuousClock.now - started).inSeconds
        report("complete: \(done.name), \(Format.bytes(done.wantedBytes)) in \(String(format: "%.1f", seconds)) s → \(done.savePath)")
        if let sampler {
            sampler.cancel()
            let figures = await sampler.value
            report(await figures.line(session: session))
        }
        if json {
            print(String(decoding: try TicketJSON.encoder().encode(done), as: UTF8.self))
        }
        if seed {
            report("seeding until interrupted (Ctrl-C)")
            for await _ in session.events() {}
        } else {
            // Done and not seeding: nothing left to resume, so no resume data is left behind either.
            try await session.remove(hash, deleteFiles: false)
            try? FileManager.default.removeItem(atPath: resumeDirectory)
        }
    }

    private func waitWhileChecking(_ hash: String) async -> TorrentProgress {
        while true {
            if let p = try? await session.progress(hash), p.state != .checking, p.engineState != .checkingResumeData { return p }
            try? await Task.sleep(for: .milliseconds(100))
        }
    }

    private func report(_ message: String) {
        FileHandle.standardError.write(Data((message + "\n").utf8))
    }
}

/// libtorrent's own figures for one download (`torrent add --engine-stats`): its gauges sampled every
/// 200 ms while it runs (disk job queue, bytes queued for writing, block requests in flight), and its
/// cumulative disk counters read at the end. They say where a slow download waits: on the disk
/// queue, on hashing, or on requests the peer has not answered.
struct EngineSampler: Sendable {
    static let gauges = ["disk.queued_disk_jobs", "disk.num_running_disk_jobs", "disk.queued_write_bytes", "disk.num_running_threads"]
    static let counters = [
        "disk.num_blocks_written", "disk.disk_write_time", "disk.disk_hash_time", "disk.disk_job_time", "disk.num_read_back",
        "disk.num_blocks_read", "ses.num_piece_passed", "ses.num_piece_failed",
    ]

    var samples = 0
    var peak: [String: Int64] = [:]
    var sum: [String: Int64] = [:]
    var requestPeak = 0, requestSum = 0, peers = 0

    mutating func add(_ values: [String: Int64], _ queues: RequestQueues?) {
        samples += 1
        for (name, value) in values {
            peak[name] = max(peak[name] ?? value, value)
            sum[name, default: 0] += value
        }
        if let queues {
            requestPeak = max(requestPeak, queues.downloadBlocks)
            requestSum += queues.downloadBlocks
            peers = max(peers, queues.peers)
        }
    }

    /// Samples until cancelled.
    static func sample(_ session: TorrentSession, _ hash: String) async -> EngineSampler {
        var figures = EngineSampler()
        while !Task.isCancelled {
            if let values = await session.engineCounters(gauges, timeout: .milliseconds(500)) {
                figures.add(values, try? await session.requestQueues(hash))
            }
            try? await Task.sleep(for: .milliseconds(200))
        }
        return figures
    }

    /// One line: the gauges' peak and mean, then the counters (times in seconds; libtorrent counts microseconds).
    func line(session: TorrentSession) async -> String {
        let totals = await session.engineCounters(Self.counters) ?? [:]
        func gauge(_ name: String, _ unit: (Double) -> String) -> String {
            guard let top = peak[name], samples > 0 else { return "n/a" }
            return "peak \(unit(Double(top))), mean \(unit(Double(sum[name] ?? 0) / Double(samples)))"
        }
        let count = { (value: Double) in String(format: "%.1f", value) }
        let mib = { (value: Double) in String(format: "%.1f MiB", value / 1_048_576) }
        func seconds(_ name: String) -> String { totals[name].map { String(format: "%.2f s", Double($0) / 1e6) } ?? "n/a" }
        func number(_ name: String) -> String { totals[name].map(String.init) ?? "n/a" }
        let requests =
            samples > 0
            ? String(format: "peak %d, mean %.1f blocks over %d peer(s)", requestPeak, Double(requestSum) / Double(samples), peers) : "n/a"
        var parts = [
            "disk job time \(seconds("disk.disk_job_time")) (writing \(seconds("disk.disk_write_time")), hashing \(seconds("disk.disk_hash_time")))",
            "blocks written \(number("disk.num_blocks_written"))",
            // Blocks read from the files again to hash their piece: none when pieces are hashed as written.
            "blocks read back to hash \(number("disk.num_read_back")) (read in all \(number("disk.num_blocks_read")))",
            "pieces passed \(number("ses.num_piece_passed")), failed \(number("ses.num_piece_failed"))",
            "queued for writing \(gauge("disk.queued_write_bytes", mib))",
            "requests in flight \(requests)",
        ]
        // With POSIX disk I/O (docs/NOTES.md#libtorrent-disk-io-and-memory) jobs run on the network
        // thread: no job queue, no disk threads. The gauges are shown when a backend fills them.
        if (peak["disk.queued_disk_jobs"] ?? 0) > 0 || (peak["disk.num_running_threads"] ?? 0) > 0 {
            parts.append(
                "disk job queue \(gauge("disk.queued_disk_jobs", count)), running \(gauge("disk.num_running_disk_jobs", count)) on \(peak["disk.num_running_threads"].map(String.init) ?? "n/a") thread(s)"
            )
        } else {
            parts.append("no disk job queue or disk thread (jobs run on the network thread)")
        }
        return "engine (libtorrent, \(samples) samples): " + parts.joined(separator: "; ")
    }
}

/// The progress line: redrawn in place on a terminal, a plain line every few seconds in a log.
final class ProgressLine: @unchecked Sendable {
    // @unchecked: only the download's own polling loop calls show/finish, one call at a time.
    private let interactive = isatty(STDERR_FILENO) != 0
    private var lastPrinted = Date.distantPast
    private var drewLine = false

    func show(_ p: TorrentProgress) {
        let now = Date()
        guard now.timeIntervalSince(lastPrinted) >= (interactive ? 0.5 : 2) else { return }
        lastPrinted = now
        let text = String(
            format: "%5.1f%% of %@  %@/s  peers %d (seeds %d)  ETA %@  %@",
            p.percent, Format.bytes(p.wantedBytes), Format.bytes(Int64(p.downloadRate)), p.peers, p.seeds,
            Format.duration(p.etaSecs), p.state.rawValue)
        FileHandle.standardError.write(Data((interactive ? "\r\u{1B}[K" + text : text + "\n").utf8))
        drewLine = interactive
    }

    func finish() {
        if drewLine { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}
