import Foundation
import GRDB
import Tickets

/// A row of `blocklist`: a release that must not be downloaded again (see ``BlocklistEntry``).
struct BlocklistRecord: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "blocklist"

    var infoHash: String
    var title: String?
    var reason: String
    var evidence: String
    var artist: String?
    var album: String?
    var source: String
    var ticketId: String?
    var createdAt: Date

    enum Columns {
        static let infoHash = Column("infoHash")
        static let createdAt = Column("createdAt")
    }

    init(_ entry: BlocklistEntry) throws {
        infoHash = entry.infoHash.lowercased()
        title = entry.title.map(StoredText.plain)
        reason = StoredText.plain(entry.reason)
        evidence = try StoredText.json(entry.evidence)
        artist = entry.artist
        album = entry.album
        source = entry.source
        ticketId = entry.ticketId
        createdAt = entry.createdAt
    }

    var entry: BlocklistEntry {
        BlocklistEntry(
            infoHash: infoHash, title: title, reason: reason, evidence: (try? JSONValue(json: Data(evidence.utf8))) ?? .object([:]),
            artist: artist, album: album, source: source, ticketId: ticketId, createdAt: createdAt)
    }
}
