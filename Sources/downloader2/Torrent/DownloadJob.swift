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
            report("resumed \(checked.name) from resume data at \(String(format: "%.1f", checked.percent)) % (\(Format.bytes(checked.wantedDoneBytes)) already here)")
        }
        let line = ProgressLine()
        let done: TorrentProgress
        do {
            done = try await session.waitUntilComplete(hash, pollInterval: .milliseconds(100)) { line.show($0) }
        } catch TorrentError.sessionClosed {
            throw CLIError("interrupted before completion; resume data was saved: run the same command again to continue")
        }
        line.finish()
        let elapsed = (ContinuousClock.now - started).components
        let seconds = Double(elapsed.seconds) + Double(elapsed.attoseconds) / 1e18
        report("complete: \(done.name), \(Format.bytes(done.wantedBytes)) in \(String(format: "%.1f", seconds)) s → \(done.savePath)")
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
        let text = String(format: "%5.1f%% of %@  %@/s  peers %d (seeds %d)  ETA %@  %@",
                          p.percent, Format.bytes(p.wantedBytes), Format.bytes(Int64(p.downloadRate)), p.peers, p.seeds,
                          Format.duration(p.etaSecs), p.state.rawValue)
        FileHandle.standardError.write(Data((interactive ? "\r\u{1B}[K" + text : text + "\n").utf8))
        drewLine = interactive
    }

    func finish() {
        if drewLine { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}
