import Foundation

/// Resume data on disk, one `<info-hash>.resume` file per torrent, each replaced atomically.
public struct ResumeStore: Sendable {
    public let directory: String

    public init(directory: String) throws {
        self.directory = directory
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    }

    func path(for hash: String) -> String { Self.path(for: hash, in: directory) }
    static func path(for hash: String, in directory: String) -> String { (directory as NSString).appendingPathComponent("\(hash).resume") }

    /// Writes to a temporary file, fsyncs it, then renames it over the old one: a crash leaves
    /// either the previous resume data or the new, never half of one.
    func save(_ data: Data, for hash: String) throws { try Self.writeAtomically(data, to: path(for: hash)) }

    private static func writeAtomically(_ data: Data, to target: String) throws {
        let temporary = target + ".tmp"
        guard FileManager.default.createFile(atPath: temporary, contents: data) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: temporary])
        }
        let fd = open(temporary, O_RDONLY)
        if fd >= 0 {
            fsync(fd)
            close(fd)
        }
        guard rename(temporary, target) == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
    }

    func remove(_ hash: String) {
        try? FileManager.default.removeItem(atPath: path(for: hash))
        try? FileManager.default.removeItem(atPath: policyPath(for: hash))
    }

    /// A torrent's own seeding goal (from its indexer or an override) beside its resume data, as
    /// `<info-hash>.seeding` JSON: libtorrent's resume data keeps the seed time and the totals
    /// uploaded and downloaded, this keeps what they are measured against.
    func policyPath(for hash: String) -> String { (directory as NSString).appendingPathComponent("\(hash).seeding") }

    func savePolicy(_ policy: SeedingPolicy, for hash: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try Self.writeAtomically(try encoder.encode(policy), to: policyPath(for: hash))
    }

    /// The stored goal, nil when there is none (or it cannot be read: the session's default applies).
    func policy(for hash: String) -> SeedingPolicy? {
        guard let data = FileManager.default.contents(atPath: policyPath(for: hash)) else { return nil }
        return try? JSONDecoder().decode(SeedingPolicy.self, from: data)
    }

    /// Every stored entry, by info-hash.
    func all() -> [(hash: String, data: Data)] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.filter { $0.hasSuffix(".resume") }.sorted().compactMap { name in
            guard let data = FileManager.default.contents(atPath: (directory as NSString).appendingPathComponent(name)) else { return nil }
            return (String(name.dropLast(".resume".count)), data)
        }
    }

    /// Sets aside an entry libtorrent refused, so it is not retried at every start but kept for a look.
    func quarantine(_ hash: String) {
        let source = path(for: hash)
        try? FileManager.default.moveItem(atPath: source, toPath: source + ".bad")
    }
}
