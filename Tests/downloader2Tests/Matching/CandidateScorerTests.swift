import Matching
import Testing
import Tickets

@Suite("Matching: candidate scores and the approval decision")
struct CandidateScorerTests {
    static let names = ["Airbag", "Paranoid Android", "Subterranean Homesick Alien", "Exit Music (For a Film)", "Let Down", "Karma Police"]
    let ticket = Ticket(
        ticketId: "m", search: TicketSearch(artist: "Radiohead", album: "OK Computer", year: 1997),
        tracks: names.enumerated().map {
            TicketTrack(catalogTrackId: "t\($0.offset + 1)", trackNumber: $0.offset + 1, name: $0.element, destPath: "/m/\($0.offset).ogg")
        },
        constraints: TicketConstraints(format: .oggVorbis, bitrateKbps: 320))

    func candidate(_ title: String, seeders: Int = 20, files: [String]? = nil, hash: String? = nil) -> TorrentCandidate {
        TorrentCandidate(
            title: title, indexer: "i", infoHash: hash ?? String(title.hashValue, radix: 16), sizeBytes: 400_000_000, seeders: seeders, leechers: 0,
            files: files.map { $0.map { TorrentFileEntry(path: $0, sizeBytes: 30_000_000) } })
    }

    func albumFiles(_ folder: String, ext: String = "flac", names: [String] = names) -> [String] {
        names.enumerated().map { "\(folder)/\(String(format: "%02d", $0.offset + 1)) - \($0.element).\(ext)" } + ["\(folder)/cover.jpg"]
    }

    @Test("the right lossless album with a matching file list is auto-approved over a live album, a deluxe edition and a discography")
    func rightAlbumWins() {
        let scorer = CandidateScorer(autoApproveThreshold: 0.85)
        let right = candidate("Radiohead - OK Computer (1997) [FLAC / Lossless / CD]", files: albumFiles("OK Computer"))
        let candidates = [
            candidate("Radiohead - OK Computer Live at the Astoria (1997) [FLAC]", seeders: 80, files: albumFiles("Live")),
            candidate(
                "Radiohead - OK Computer (Deluxe Edition) (2009) [FLAC]", seeders: 60, files: albumFiles("Deluxe") + ["Deluxe/CD2/01 - Lull.flac"]),
            candidate("Radiohead - Discography (1993-2016) [FLAC]", seeders: 200, files: albumFiles("Discography/1997 - OK Computer")),
            right,
        ]
        let scored = scorer.score(ticket, candidates)
        #expect(scored.first?.torrent == right, "\(scored.map { "\($0.score) \($0.torrent.title)" })")
        guard case .autoApprove(let best) = scorer.decide(ticket, scored) else {
            Issue.record("expected auto-approval: \(scored.map(\.score))"); return
        }
        #expect(best.trackMapping.count == 6 && best.score >= 0.85)
        #expect(best.reasoning.contains("6/6 tracks mapped") && best.reasoning.contains("lossless"))
        #expect(scored.first { $0.torrent.title.contains("Live") }!.reasoning.contains("live recording"))
    }

    @Test("among releases that match equally well, a freeleech one comes first and says so; a better match still wins")
    func freeleechBreaksTies() {
        let scorer = CandidateScorer()
        var free = candidate("Radiohead - OK Computer (1997) [FLAC]", seeders: 20, files: albumFiles("OK Computer"), hash: "a")
        free.downloadVolumeFactor = 0
        free.uploadVolumeFactor = 2
        let paid = candidate("Radiohead - OK Computer (1997) [FLAC]", seeders: 25, files: albumFiles("OK Computer"), hash: "b")
        let ranked = scorer.score(ticket, [paid, free])
        #expect(ranked.map(\.torrent.infoHash) == ["a", "b"], "\(ranked.map { ($0.torrent.infoHash, $0.score) })")
        #expect(ranked[0].reasoning.contains("freeleech") && ranked[0].reasoning.contains("upload counts 2.0×"))
        var wrongFree = candidate("Radiohead - OK Computer Live at the Astoria (1997) [FLAC]", files: albumFiles("Live"), hash: "c")
        wrongFree.downloadVolumeFactor = 0
        #expect(scorer.score(ticket, [wrongFree, paid]).first?.torrent.infoHash == "b", "freeleech never beats a better match")
        // [matcher] prefer_freeleech = false: the ranking is what it would be were the release not freeleech; it is still named.
        let plain = CandidateScorer(preferFreeleech: false).score(ticket, [paid, free])
        var notFree = free
        notFree.downloadVolumeFactor = 1
        notFree.uploadVolumeFactor = 1
        let unflagged = CandidateScorer().score(ticket, [paid, notFree])
        #expect(plain.map(\.torrent.infoHash) == unflagged.map(\.torrent.infoHash), "\(plain.map { ($0.torrent.infoHash, $0.score) })")
        #expect(plain.first { $0.torrent.infoHash == "a" }?.reasoning.contains("freeleech") == true)
    }

    @Test("no seeders disqualifies; a lossy source cannot feed a lossless target; a low bitrate is penalised")
    func qualityAndSeeders() {
        let scorer = CandidateScorer()
        #expect(scorer.score(ticket, candidate("Radiohead - OK Computer (1997) [FLAC]", seeders: 0, files: albumFiles("A"))).score == 0)
        var lossless = ticket
        lossless.constraints = TicketConstraints(format: .flac)
        #expect(scorer.score(lossless, candidate("Radiohead - OK Computer (1997) [MP3 320]", files: albumFiles("A", ext: "mp3"))).score == 0)
        let high = scorer.score(ticket, candidate("Radiohead - OK Computer (1997) [MP3 320]", files: albumFiles("A", ext: "mp3"))).score
        let low = scorer.score(ticket, candidate("Radiohead - OK Computer (1997) [MP3 128kbps]", files: albumFiles("A", ext: "mp3"))).score
        #expect(high > low)
    }

    @Test("without a file list, or with tracks missing, a person decides and is told why")
    func needsApprovalReasons() {
        let scorer = CandidateScorer(autoApproveThreshold: 0.85)
        let blind = scorer.score(ticket, [candidate("Radiohead - OK Computer (1997) [FLAC]", seeders: 500)])
        #expect(blind[0].score <= CandidateScorer.scoreCapWithoutFiles)
        #expect(scorer.decide(ticket, blind) == .needsApproval(candidates: blind, recommendedIdx: 0, reason: .noExactMatch))

        let partial = scorer.score(
            ticket, [candidate("Radiohead - OK Computer (1997) [FLAC]", files: albumFiles("A", names: Array(Self.names.prefix(3))))])
        guard case .needsApproval(_, _, .trackCountMismatch(let expected, let found)) = scorer.decide(ticket, partial) else {
            Issue.record("expected a track count mismatch: \(partial.map(\.score))"); return
        }
        #expect(expected == 6 && found == 3)

        let twins = scorer.score(
            ticket,
            [
                candidate("Radiohead - OK Computer (1997) [FLAC / Lossless / CD]", seeders: 20, files: albumFiles("A"), hash: "aa"),
                candidate("Radiohead - OK Computer (1997) [FLAC / Lossless / CD]", seeders: 21, files: albumFiles("B"), hash: "bb"),
            ])
        guard case .needsApproval(_, _, .multipleGoodMatches(let top)) = scorer.decide(ticket, twins) else {
            Issue.record("two equally good releases need a person: \(twins.map(\.score))"); return
        }
        #expect(top.count == 2)
        #expect(scorer.decide(ticket, []) == nil)
    }
}
