import Basics
import Foundation

/// What the service knows of each indexer between searches: the pause an indexer asked for (a 429
/// or 503 with `Retry-After`), kept in a file so a restart honours it too, and the last failure and
/// success, for the health checks, `/metrics` and the admin page.
public actor IndexerHealth {
    public struct Entry: Sendable, Equatable {
        public var pausedUntil: Date?
        public var lastError: IndexerError?
        public var lastErrorAt: Date?
        public var lastSuccessAt: Date?
        public var failures: Int = 0
    }

    private var entries: [String: Entry] = [:]
    /// Failures already counted into `/metrics`, by indexer.
    private var exported: [String: Int] = [:]
    private let path: String?

    /// `path`: the JSON file the pauses are kept in (nil keeps them in memory only).
    public init(path: String? = nil) {
        self.path = path
        guard let path, let data = FileManager.default.contents(atPath: path),
            let stored = try? JSONDecoder().decode([String: Double].self, from: data)
        else { return }
        for (name, until) in stored { entries[name, default: Entry()].pausedUntil = Date(timeIntervalSince1970: until) }
    }

    /// Until when `name` must not be asked, when that is still ahead of `now`.
    public func pausedUntil(_ name: String, now: Date = Date()) -> Date? {
        guard let until = entries[name]?.pausedUntil, until > now else { return nil }
        return until
    }

    /// Records one answer of `name`: a success, or its failures (a rate limit pauses it).
    public func record(_ name: String, failures: [IndexerError], at now: Date = Date()) {
        var entry = entries[name, default: Entry()]
        if failures.isEmpty {
            entry.lastSuccessAt = now
        }
        for failure in failures {
            entry.lastError = failure
            entry.lastErrorAt = now
            entry.failures += 1
            if case .rateLimited(_, let until) = failure, until > (entry.pausedUntil ?? .distantPast) {
                entry.pausedUntil = until
                entries[name] = entry
                save(now: now)
            }
        }
        entries[name] = entry
    }

    /// Every indexer heard of, by name.
    public func snapshot() -> [String: Entry] { entries }

    /// The failures recorded since the last call, by indexer: what a counter adds at a scrape.
    public func takeNewFailures() -> [String: Int] {
        var fresh: [String: Int] = [:]
        for (name, entry) in entries where entry.failures > exported[name, default: 0] {
            fresh[name] = entry.failures - exported[name, default: 0]
            exported[name] = entry.failures
        }
        return fresh
    }

    private func save(now: Date) {
        guard let path else { return }
        let active = entries.compactMapValues { $0.pausedUntil.flatMap { $0 > now ? $0.timeIntervalSince1970 : nil } }
        guard let data = try? JSONEncoder().encode(active) else { return }
        let folder = (path as NSString).deletingLastPathComponent
        try? FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        try? data.write(to: URL(fileURLWithPath: path), options: .atomic)
    }
}
