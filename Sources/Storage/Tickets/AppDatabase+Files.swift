import Foundation
import GRDB
import Tickets

extension AppDatabase {
    /// Records (or refreshes) the integrity record of a file a ticket downloaded or placed.
    public func recordDownloadFile(_ file: DownloadFileRecord) async throws {
        try await writer.write { db in
            try file.upsert(db)
        }
    }

    /// The SHA-256 last recorded for each of these paths (by any ticket).
    public func recordedHashes(paths: [String]) async throws -> [String: String] {
        try await writer.read { db in
            var hashes: [String: String] = [:]
            for record in try DownloadFileRecord.filter(paths.contains(DownloadFileRecord.Columns.path)).fetchAll(db) {
                if let sha = record.sha256 { hashes[record.path] = sha }
            }
            return hashes
        }
    }

    /// Every file recorded for a ticket, by path.
    public func downloadFiles(ticketId: String) async throws -> [DownloadFileRecord] {
        try await writer.read { db in
            try DownloadFileRecord.filter(DownloadFileRecord.Columns.ticketId == ticketId).order(DownloadFileRecord.Columns.path).fetchAll(db)
        }
    }

    /// Replaces the candidates of a ticket with a new search's results (scored or not).
    public func saveCandidates(ticketId: String, _ candidates: [TorrentCandidate], scores: [Double?]?, at now: Date) async throws {
        let encoder = TicketJSON.encoder()
        let rows = try candidates.enumerated().map { i, c in
            CandidateRecord(
                id: nil, ticketId: ticketId, infoHash: c.infoHash.lowercased(), title: c.title, indexer: c.indexer,
                score: scores?[i], payload: try StoredText.json(String(decoding: try encoder.encode(c), as: UTF8.self)), createdAt: now)
        }
        try await writer.write { db in
            _ = try CandidateRecord.filter(CandidateRecord.Columns.ticketId == ticketId).deleteAll(db)
            for row in rows { try row.insert(db, onConflict: .replace) }
        }
    }

    /// The stored candidates of a ticket, best score first.
    public func candidates(ticketId: String) async throws -> [TorrentCandidate] {
        try await writer.read { db in
            try CandidateRecord.filter(CandidateRecord.Columns.ticketId == ticketId)
                .order(CandidateRecord.Columns.score.desc, Column("id"))
                .fetchAll(db)
                .map { try TicketJSON.decoder().decode(TorrentCandidate.self, from: Data($0.payload.utf8)) }
        }
    }
}
