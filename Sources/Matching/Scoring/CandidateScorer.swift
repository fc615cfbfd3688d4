import Foundation
import Search
import Tickets

/// The deterministic matcher: scores each candidate against the ticket from its title and, above
/// all, its file list, and decides whether the best one is safe to take without a person.
public struct CandidateScorer: Sendable {
    public var autoApproveThreshold: Double
    /// Among releases that match equally well, a freeleech one first (`[matcher] prefer_freeleech`).
    public var preferFreeleech: Bool
    /// Without a file list nothing is verified: such a candidate's score never reaches this cap.
    public static let scoreCapWithoutFiles = 0.75

    public init(autoApproveThreshold: Double = 0.85, preferFreeleech: Bool = true) {
        self.autoApproveThreshold = autoApproveThreshold
        self.preferFreeleech = preferFreeleech
    }

    /// Every candidate scored, best first; among those that match equally well (the same score to two
    /// decimals), a freeleech release (its tracker does not count the download) first.
    public func score(_ ticket: Ticket, _ candidates: [TorrentCandidate]) -> [ScoredCandidate] {
        candidates.map { score(ticket, $0) }.sorted { a, b in
            let (left, right) = ((a.score * 100).rounded(), (b.score * 100).rounded())
            if left != right { return left > right }
            if preferFreeleech, a.torrent.isFreeleech != b.torrent.isFreeleech { return a.torrent.isFreeleech }
            return a.score > b.score
        }
    }

    public func score(_ ticket: Ticket, _ candidate: TorrentCandidate) -> ScoredCandidate {
        // Read with the ticket's artist in hand: a hyphenated artist or a title with no separator is then read right.
        let release = ReleaseTitleParser.parse(candidate.title, artist: ticket.search.artist, album: ticket.search.album).info
        var notes: [String] = []
        let artist = TextSimilarity.similarity(ticket.search.artist, release.artist ?? candidate.title)
        let album = TextSimilarity.similarity(ticket.search.album, release.album ?? candidate.title)
        notes.append(String(format: "artist %.2f, album %.2f", artist, album))

        var year = 0.6
        if let wanted = ticket.search.year, let found = release.year {
            year = wanted == found ? 1 : abs(wanted - found) == 1 ? 0.7 : 0.3
            notes.append(wanted == found ? "year \(found)" : "year \(found) (wanted \(wanted))")
        }

        var mappingScore = 0.5
        var mapping: [TrackMapping] = []
        var durationsOff = false
        if let files = candidate.files {
            // A constant bitrate stated in the title lets sizes tell durations.
            let result = TrackFileMatcher.map(
                ticket.tracks, files: files, bitrateKbps: Self.constantBitrate(release),
                cueSheets: (candidate.cueSheets ?? [:]).mapValues(TrackFileMatcher.CueListing.init))
            mapping = result.mappings
            mappingScore = result.confidence
            notes.append(String(format: "%d/%d tracks mapped (confidence %.2f)", result.mappings.count, ticket.tracks.count, result.confidence))
            if result.imageCue {
                notes.append(
                    result.cueRead
                        ? "image + cue: tracks from the sheet's titles" : "image + cue: tracks taken in sheet order, the sheet itself not read yet")
            }
            if !result.unusedFiles.isEmpty { notes.append("\(result.unusedFiles.count) extra audio file(s)") }
            if let check = result.durations {
                durationsOff = check.mismatched
                notes.append(
                    "durations from \(check.source): \(Self.clock(check.foundSecs)) against \(Self.clock(check.expectedSecs))"
                        + (durationsOff ? " (mismatch)" : ""))
            } else if ticket.tracks.contains(where: { $0.durationSecs != nil }) {
                notes.append("durations unknown: the list gives sizes only and the bitrate is not constant")
            }
        } else {
            notes.append("no file list: " + (candidate.filesUnavailableReason ?? "the indexer gave none"))
        }

        let quality = qualityFit(release, target: ticket.constraints)
        notes.append(quality.note)

        var score = 0.2 * artist + 0.2 * album + 0.05 * year + 0.4 * mappingScore + 0.15 * quality.score
        if durationsOff { score *= 0.75 }
        for (applies, factor, note) in penalties(release, ticket) where applies {
            score *= factor
            notes.append(note)
        }
        if let logs = candidate.ripLogs, !logs.isEmpty {
            let rip = ripLogWeight(logs)
            score = score * rip.factor + rip.bonus
            notes.append(rip.note)
        }
        if candidate.seeders <= 0 {
            score = 0
            notes.append("no seeders: disqualified")
        } else {
            // Seeders break ties and weigh only a little.
            score += 0.02 * min(1, log10(Double(candidate.seeders) + 1) / 3)
            notes.append("\(candidate.seeders) seeder(s)")
        }
        if candidate.isFreeleech { notes.append("freeleech") }
        if let upload = candidate.uploadVolumeFactor, upload > 1 { notes.append("upload counts \(upload)×") }
        if quality.score == 0 { score = 0 }
        if candidate.files == nil { score = min(score, Self.scoreCapWithoutFiles) }
        return ScoredCandidate(
            torrent: candidate, score: (min(max(score, 0), 1) * 1000).rounded() / 1000, trackMapping: mapping,
            reasoning: notes.joined(separator: "; "))
    }

    /// A clean, AccurateRip-verified rip raises a score a little; a log that reports errors lowers it
    /// (a rip log read before the download, issue "Trust but verify").
    static let verifiedRipBonus = 0.03
    static let ripErrorFactor = 0.9

    func ripLogWeight(_ logs: [RipLogNote]) -> (factor: Double, bonus: Double, note: String) {
        let summaries = logs.map { "\(($0.path as NSString).lastPathComponent): \($0.summary)" }.joined(separator: "; ")
        if logs.contains(where: { !$0.clean }) {
            return (Self.ripErrorFactor, 0, "rip log with errors (score × \(Self.ripErrorFactor)): \(summaries)")
        }
        if logs.allSatisfy(\.accurateRipVerified) {
            return (1, Self.verifiedRipBonus, "clean rip verified by AccurateRip (+\(Self.verifiedRipBonus)): \(summaries)")
        }
        return (1, 0, "clean rip log, not verified by AccurateRip: \(summaries)")
    }

    /// The constant bitrate a lossy release states in its title ("320"), which lets file sizes tell
    /// durations; nil for lossless, VBR (V0, V2) or unknown.
    static func constantBitrate(_ release: ReleaseInfo) -> Int? {
        release.format?.isLossless == false ? release.bitrate.flatMap { Int($0) } : nil
    }

    static func clock(_ secs: Double) -> String {
        let total = Int(secs.rounded())
        return String(format: "%d:%02d", total / 60, total % 60)
    }

    /// How well the source suits the requested output: lossless is best for any target; a lossy
    /// source below the target bitrate is poor; a lossy source can never become lossless.
    func qualityFit(_ release: ReleaseInfo, target: TicketConstraints) -> (score: Double, note: String) {
        guard let format = release.format else { return (0.6, "format unknown from the title") }
        if format.isLossless { return (1, "\(format.rawValue) lossless source") }
        if target.format.isLossless { return (0, "\(format.rawValue) is lossy and \(target.format.rawValue) was asked: disqualified") }
        let wanted = target.bitrateKbps ?? 0
        let kbps =
            release.bitrate.flatMap { Int($0) }
            ?? (release.bitrate?.hasPrefix("V0") == true ? 245 : release.bitrate?.hasPrefix("V2") == true ? 190 : nil)
        guard let kbps else { return (0.5, "\(format.rawValue), bitrate unknown") }
        return kbps >= wanted ? (0.7, "\(format.rawValue) \(kbps) kbps") : (0.3, "\(format.rawValue) \(kbps) kbps, below the \(wanted) kbps asked")
    }

    /// Releases that are usually not the album asked for, unless the ticket asks for them.
    func penalties(_ release: ReleaseInfo, _ ticket: Ticket) -> [(Bool, Double, String)] {
        let album = ticket.search.album.lowercased()
        let artistIsVA = ["va", "various artists", "various"].contains(ticket.search.artist.lowercased())
        let editionAsked = ["deluxe", "remaster", "expanded", "anniversary", "edition"].contains { album.contains($0) }
        return [
            (release.discography && !album.contains("discography"), 0.45, "discography/collection pack"),
            ((release.compilation || release.variousArtists) && !artistIsVA, 0.6, "compilation"),
            (release.live && !album.contains("live"), 0.6, "live recording"),
            (!release.editions.isEmpty && !editionAsked, 0.9, "edition: \(release.editions.joined(separator: ", "))"),
            (release.bootleg, 0.5, "bootleg"),
        ]
    }
}
