import Foundation
import Storage
import Tickets

/// A fresh directory under the system temp dir, removed when the value is released.
final class TemporaryDirectory: @unchecked Sendable {
    // @unchecked: `path` is immutable after init; deinit only removes the directory.
    let path: String

    init(_ label: String = "downloader2-tests") {
        let base = (NSTemporaryDirectory() as NSString).appendingPathComponent("\(label)-\(UUID().uuidString.prefix(8))")
        try! FileManager.default.createDirectory(atPath: base, withIntermediateDirectories: true)
        // Resolve /tmp symlinks so paths compare equal to MediaRoots' resolved ones.
        path = MediaRoots([base]).resolvedRoots[0]
    }

    func file(_ name: String) -> String { (path as NSString).appendingPathComponent(name) }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}

enum Fixtures {
    /// A valid two-track ticket (plus a cover) whose files land under `root`.
    static func ticket(id: String = "ticket-\(UUID().uuidString)", root: String, format: AudioFormat = .oggVorbis, priority: Int? = nil) -> Ticket {
        let ext = format.fileExtension
        return Ticket(
            ticketId: id,
            search: TicketSearch(artist: "Radiohead", album: "OK Computer", year: 1997, label: "Parlophone", genres: ["alternative rock"]),
            tracks: [
                TicketTrack(
                    catalogTrackId: "t1", discNumber: 1, trackNumber: 1, name: "Airbag", durationSecs: 284, destPath: "\(root)/abc/d1t01.\(ext)"),
                TicketTrack(
                    catalogTrackId: "t2", discNumber: 1, trackNumber: 2, name: "Paranoid Android", durationSecs: 383,
                    destPath: "\(root)/abc/d1t02.\(ext)"),
            ],
            images: [TicketImage(catalogImageId: "img1", type: "cover_front", destPath: "\(root)/abc/cover.jpg")],
            constraints: TicketConstraints(format: format, bitrateKbps: 320, sampleRateHz: 44100),
            metadataToEmbed: MetadataToEmbed(artist: "Radiohead", album: "OK Computer", year: 1997, genre: "Alternative Rock"),
            priority: priority)
    }

    /// The ticket as a client would send it: the contract's JSON (docs/ARCHITECTURE.md#ticket).
    static func json(_ ticket: Ticket) -> String {
        String(decoding: try! TicketJSON.encoder().encode(ticket), as: UTF8.self)
    }

    static func candidate(_ n: Int = 0) -> TorrentCandidate {
        TorrentCandidate(
            title: "Radiohead - OK Computer (1997) [FLAC] \(n)", indexer: "test",
            magnetUri: "magnet:?xt=urn:btih:\(String(repeating: "\(n % 10)", count: 40))",
            infoHash: String(repeating: "\(n % 10)", count: 40), sizeBytes: 400_000_000, seeders: 10 + n, leechers: 1)
    }

    static func scored(_ n: Int = 0, score: Double = 0.9) -> ScoredCandidate {
        ScoredCandidate(
            torrent: candidate(n), score: score,
            trackMapping: [TrackMapping(catalogTrackId: "t1", torrentFilePath: "01 Airbag.flac", confidence: 0.95)],
            reasoning: "test candidate \(n)")
    }

    /// A state of each name with plausible details, for driving tickets around the table.
    static func state(_ name: TicketStateName, now: Date = Date()) -> TicketState {
        switch name {
        case .pending: .pending(.init(since: now))
        case .searching: .searching(.init(startedAt: now))
        case .matching: .matching(.init(candidates: [candidate(0), candidate(1)], startedAt: now))
        case .needsApproval:
            .needsApproval(
                .init(
                    candidates: [scored(0, score: 0.7), scored(1, score: 0.6)], recommendedIdx: 0, confidence: 0.7,
                    reason: .lowConfidence(score: 0.7, threshold: 0.85), waitingSince: now))
        case .autoApproved: .autoApproved(.init(selected: scored(0), confidence: 0.9))
        case .approved: .approved(.init(selected: scored(1), approvedBy: "tester", approvedAt: now))
        case .rejected: .rejected(.init(rejectedBy: "tester", reason: "wrong album", rejectedAt: now))
        case .downloading: .downloading(.init(torrentHash: candidate(0).infoHash, startedAt: now))
        case .paused: .paused(.init(pausedFrom: .downloading, pausedAt: now, pausedBy: "tester"))
        case .wanted: .wanted(.init(reason: "no release found", nextSearchAt: now.addingTimeInterval(900), searches: 1))
        case .converting: .converting(.init(currentTrackIdx: 0, totalTracks: 2, currentTrackName: "Airbag", startedAt: now))
        case .placing: .placing(.init(filesPlaced: 0, totalFiles: 3, startedAt: now))
        case .completed:
            .completed(
                .init(
                    completedAt: now,
                    stats: CompletionStats(totalDownloadBytes: 1, downloadDurationSecs: 1, conversionDurationSecs: 1, finalSizeBytes: 1)))
        case .failed: .failed(.init(failedAtState: .searching, code: "test", error: "test failure", retryable: true, retryCount: 0, failedAt: now))
        case .cancelled: .cancelled(.init(cancelledAt: now, cancelledAtState: .pending))
        }
    }

    /// A legal way from `pending` to each state.
    static func path(to target: TicketStateName) -> [TicketStateName] {
        switch target {
        case .pending: []
        case .searching: [.searching]
        case .matching: [.searching, .matching]
        case .needsApproval: [.searching, .matching, .needsApproval]
        case .autoApproved: [.searching, .matching, .autoApproved]
        case .approved: [.searching, .matching, .needsApproval, .approved]
        case .rejected: [.searching, .matching, .needsApproval, .rejected]
        case .downloading: [.searching, .matching, .autoApproved, .downloading]
        case .paused: [.searching, .matching, .autoApproved, .downloading, .paused]
        case .wanted: [.searching, .wanted]
        case .converting: [.searching, .matching, .autoApproved, .downloading, .converting]
        case .placing: [.searching, .matching, .autoApproved, .downloading, .converting, .placing]
        case .completed: [.searching, .matching, .autoApproved, .downloading, .converting, .placing, .completed]
        case .failed: [.searching, .failed]
        case .cancelled: [.cancelled]
        }
    }
}

extension TicketStore {
    /// Stores `ticket` and walks it along legal transitions to `target`.
    @discardableResult
    func storeTicket(_ ticket: Ticket, in target: TicketStateName = .pending, createdAt: Date = Date()) async throws -> StoredTicket {
        var stored = try await insertTicket(ticket, submittedJSON: Fixtures.json(ticket), at: createdAt).change.ticket
        for step in Fixtures.path(to: target) {
            stored = try await updateTicket(id: ticket.ticketId) { _ in TicketUpdate(state: Fixtures.state(step)) }.ticket
        }
        return stored
    }
}
