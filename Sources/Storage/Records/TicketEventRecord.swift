import Foundation
import GRDB
import Tickets

/// A row of `ticketEvent`; the table refuses updates and deletes.
struct TicketEventRecord: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "ticketEvent"

    var ticketId: String
    var seq: Int
    var type: String
    var payload: String
    var createdAt: Date

    enum Columns {
        static let ticketId = Column("ticketId")
        static let seq = Column("seq")
    }

    func event() throws -> TicketEvent {
        guard let type = TicketEventType(rawValue: type) else {
            throw StorageError.corruptRow(ticketId: ticketId, reason: "unknown event type '\(self.type)' at seq \(seq)")
        }
        return TicketEvent(ticketId: ticketId, seq: seq, type: type, payload: try JSONValue(json: Data(payload.utf8)), at: createdAt)
    }

    /// Appends the next event of `ticketId` inside the caller's write transaction.
    static func append(_ db: Database, ticketId: String, type: TicketEventType, payload: JSONValue, at now: Date) throws -> TicketEvent {
        let last = try Int.fetchOne(db.cachedStatement(sql: "SELECT MAX(seq) FROM ticketEvent WHERE ticketId = ?"), arguments: [ticketId]) ?? 0
        let record = TicketEventRecord(
            ticketId: ticketId, seq: last + 1, type: type.rawValue,
            payload: try StoredText.json(payload), createdAt: now)
        try db.cachedStatement(sql: "INSERT INTO ticketEvent (ticketId, seq, type, payload, createdAt) VALUES (?, ?, ?, ?, ?)")
            .execute(arguments: [record.ticketId, record.seq, record.type, record.payload, record.createdAt])
        // The event as stored, without decoding the payload just encoded.
        return TicketEvent(ticketId: ticketId, seq: record.seq, type: type, payload: payload, at: now)
    }
}
