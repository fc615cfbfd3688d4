import Foundation
import GRDB
import Tickets

extension AppDatabase {
    /// Every blocklisted release, newest first.
    public func blocklist() async throws -> [BlocklistEntry] {
        try await writer.read { db in
            try BlocklistRecord.order(BlocklistRecord.Columns.createdAt.desc, Column.rowID.desc).fetchAll(db).map(\.entry)
        }
    }

    /// Adds a release to the blocklist, or replaces its entry (a newer reason wins).
    public func addToBlocklist(_ entry: BlocklistEntry) async throws {
        let record = try BlocklistRecord(entry)
        try await writer.write { db in try record.upsert(db) }
    }

    /// Removes a release from the blocklist; false when it was not there.
    @discardableResult
    public func removeFromBlocklist(infoHash: String) async throws -> Bool {
        try await writer.write { db in
            try BlocklistRecord.filter(BlocklistRecord.Columns.infoHash == infoHash.lowercased()).deleteAll(db) > 0
        }
    }

    /// Whether this release is on the blocklist (for any album).
    public func isBlocklisted(infoHash: String) async throws -> Bool {
        try await writer.read { db in try BlocklistRecord.filter(BlocklistRecord.Columns.infoHash == infoHash.lowercased()).fetchCount(db) > 0 }
    }
}
