import Foundation
import GRDB
import Tickets

/// A row of `candidate`: one release found for a ticket, with its score once matched.
struct CandidateRecord: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "candidate"

    var id: Int64?
    var ticketId: String
    var infoHash: String
    var title: String
    var indexer: String
    var score: Double?
    var payload: String
    var createdAt: Date

    enum Columns {
        static let ticketId = Column("ticketId")
        static let score = Column("score")
    }
}
