import Matching
import Testing
import Tickets

@Suite("Matching: similarity, file evidence, assignment")
struct TrackFileMatcherTests {
    @Test("title similarity: normalisation, typos, reordering, different titles")
    func similarity() {
        #expect(TextSimilarity.similarity("Paranoid Android", "paranoid android") == 1)
        #expect(TextSimilarity.similarity("Björk", "Bjork") == 1)
        #expect(TextSimilarity.similarity("The Beatles", "Beatles") == 1)
        #expect(TextSimilarity.similarity("Simon & Garfunkel", "Simon and Garfunkel") == 1)
        #expect(TextSimilarity.similarity("Karma Police (Remastered)", "Karma Police") == 1)
        #expect(TextSimilarity.similarity("Lucky (feat. Someone)", "Lucky") == 1)
        #expect(TextSimilarity.similarity("Exit Music (For a Film)", "Exit Music") == 1)
        #expect(TextSimilarity.similarity("Subterranean Homesick Alien", "Subteranean Homesick Alien") > 0.9)
        #expect(TextSimilarity.similarity("Airbag", "Radiohead - Airbag") >= 0.8)
        #expect(TextSimilarity.similarity("Airbag", "No Surprises") < 0.4)
        #expect(TextSimilarity.similarity("Группа крови", "Группа крови") == 1)
    }

    @Test("file names and folders give disc, track number and title")
    func evidence() {
        func e(_ p: String) -> AudioFileEvidence { AudioFileEvidence(path: p, sizeBytes: 1) }
        #expect(e("Album/01 - Airbag.flac").track == 1 && e("Album/01 - Airbag.flac").title == "Airbag")
        #expect(e("Album/CD2/03. Title.flac").disc == 2 && e("Album/CD2/03. Title.flac").track == 3)
        #expect(e("Album/Disc 1/07 Song.mp3").disc == 1)
        #expect(e("Album/1-03 Song.flac").disc == 1 && e("Album/1-03 Song.flac").track == 3 && e("Album/1-03 Song.flac").title == "Song")
        #expect(e("Album/d2t05 Song.flac").disc == 2 && e("Album/d2t05 Song.flac").track == 5)
        #expect(
            e("Radiohead - OK Computer - 04 - Exit Music.flac").track == 4
                && e("Radiohead - OK Computer - 04 - Exit Music.flac").title == "Exit Music")
        #expect(AudioFileEvidence.isAudio("a/b.FLAC") && !AudioFileEvidence.isAudio("a/cover.jpg") && !AudioFileEvidence.isAudio("a/rip.log"))
    }

    @Test("the Hungarian assignment is optimal: it equals brute force on random matrices")
    func hungarianIsOptimal() {
        var generator = SplitMix64(seed: 7)
        for size in 1...6 {
            for columns in size...(size + 2) {
                let cost = (0..<size).map { _ in (0..<columns).map { _ in Double(generator.next() % 1000) / 100 } }
                let assigned = Hungarian.assign(cost)
                #expect(Set(assigned).count == size && assigned.allSatisfy { (0..<columns).contains($0) })
                let total = assigned.enumerated().reduce(0) { $0 + cost[$1.offset][$1.element] }
                #expect(abs(total - bruteForce(cost)) < 1e-9, "size \(size)×\(columns)")
            }
        }
    }

    func bruteForce(_ cost: [[Double]]) -> Double {
        func best(_ row: Int, _ used: Set<Int>) -> Double {
            if row == cost.count { return 0 }
            return cost[row].indices.filter { !used.contains($0) }.map { cost[row][$0] + best(row + 1, used.union([$0])) }.min() ?? .infinity
        }
        return best(0, [])
    }

    static let okComputer = ["Airbag", "Paranoid Android", "Subterranean Homesick Alien", "Exit Music (For a Film)", "Let Down", "Karma Police"]

    func tracks(_ names: [String], disc: Int = 1, startId: Int = 1) -> [TicketTrack] {
        names.enumerated().map {
            TicketTrack(
                catalogTrackId: "t\($0.offset + startId)", discNumber: disc, trackNumber: $0.offset + 1, name: $0.element,
                destPath: "/m/\($0.offset).ogg")
        }
    }

    @Test("an album's files map to its tracks whatever their order; scans and logs are ignored")
    func albumMapping() {
        let files =
            [("Scans/front.jpg", 1), ("OK Computer.log", 1)]
            + Self.okComputer.enumerated().reversed().map {
                ("OK Computer/\(String(format: "%02d", $0.offset + 1)) - \($0.element).flac", 30_000_000)
            }
        let result = TrackFileMatcher.map(tracks(Self.okComputer), files: files.map { TorrentFileEntry(path: $0.0, sizeBytes: Int64($0.1)) })
        #expect(result.unmatchedTrackIds.isEmpty && result.unusedFiles.isEmpty)
        #expect(
            result.mappings.map(\.torrentFilePath)
                == Self.okComputer.enumerated().map { "OK Computer/\(String(format: "%02d", $0.offset + 1)) - \($0.element).flac" })
        #expect(result.confidence > 0.95)
    }

    @Test("a two-disc set maps by disc folder when track numbers repeat")
    func multiDisc() {
        let discOne = tracks(["Intro", "Song A", "Song B"]), discTwo = tracks(["Intro", "Song C", "Song D"], disc: 2, startId: 4)
        let files = (1...2).flatMap { disc in
            (disc == 1 ? discOne : discTwo).map {
                TorrentFileEntry(path: "Set/CD\(disc)/\(String(format: "%02d", $0.trackNumber)) \($0.name).flac", sizeBytes: 1)
            }
        }
        let result = TrackFileMatcher.map(discOne + discTwo, files: files.shuffled())
        for mapping in result.mappings {
            let track = (discOne + discTwo).first { $0.catalogTrackId == mapping.catalogTrackId }!
            #expect(mapping.torrentFilePath.contains("CD\(track.discNumber)/"), "\(track.name) disc \(track.discNumber) → \(mapping.torrentFilePath)")
        }
        #expect(result.mappings.count == 6)
    }

    @Test("a missing track stays unmatched; a bonus track stays unused")
    func missingAndBonus() {
        var names = Self.okComputer
        names.remove(at: 2)
        let files =
            names.enumerated().map { TorrentFileEntry(path: "A/\(String(format: "%02d", $0.offset + 1)) \($0.element).mp3", sizeBytes: 1) }
            + [TorrentFileEntry(path: "A/12 Lull (Bonus).mp3", sizeBytes: 1)]
        let result = TrackFileMatcher.map(tracks(Self.okComputer), files: files)
        #expect(result.unmatchedTrackIds == ["t3"], "\(result.mappings)")
        #expect(result.unusedFiles == ["A/12 Lull (Bonus).mp3"])
        #expect(result.confidence < 0.9)
    }

    @Test("an image + cue maps to cue tracks: in order at lower confidence unread, by title when the sheet was read")
    func imageCue() {
        let ticket = tracks(Self.okComputer)
        let files = [
            TorrentFileEntry(path: "OKC/Radiohead - OK Computer.flac", sizeBytes: 300_000_000),
            TorrentFileEntry(path: "OKC/Radiohead - OK Computer.cue", sizeBytes: 1_500),
            TorrentFileEntry(path: "OKC/Radiohead - OK Computer.log", sizeBytes: 5_000),
        ]
        let unread = TrackFileMatcher.map(ticket, files: files)
        #expect(unread.imageCue && !unread.cueRead)
        #expect(unread.mappings.map(\.cueTrack) == [1, 2, 3, 4, 5, 6])
        #expect(
            unread.mappings.allSatisfy {
                $0.torrentFilePath == "OKC/Radiohead - OK Computer.flac" && $0.confidence == TrackFileMatcher.unreadCueConfidence
            })

        // The sheet lists the tracks in another order (a hidden first track): titles decide.
        let sheet = TrackFileMatcher.CueListing(titles: ["(untitled)"] + Self.okComputer)
        let read = TrackFileMatcher.map(ticket, files: files, cueSheets: ["OKC/Radiohead - OK Computer.cue": sheet])
        #expect(read.imageCue && read.cueRead)
        #expect(read.mappings.map(\.cueTrack) == [2, 3, 4, 5, 6, 7], "\(read.mappings)")
        #expect(read.confidence > TrackFileMatcher.unreadCueConfidence)

        // Two discs, one image each, told apart by the disc number in the name.
        let two = tracks(["A", "B"]) + tracks(["C", "D"], disc: 2, startId: 3)
        let set = ["Set/Album CD2.flac", "Set/Album CD2.cue", "Set/Album CD1.flac", "Set/Album CD1.cue"].map {
            TorrentFileEntry(path: $0, sizeBytes: 1)
        }
        let discs = TrackFileMatcher.map(two, files: set)
        #expect(discs.mappings.map(\.torrentFilePath) == ["Set/Album CD1.flac", "Set/Album CD1.flac", "Set/Album CD2.flac", "Set/Album CD2.flac"])
        #expect(discs.mappings.map(\.cueTrack) == [1, 2, 1, 2])
    }

    @Test("durations: from the file list, else from size × a constant bitrate; a live recording is a mismatch")
    func durations() {
        let ticket = Self.okComputer.enumerated().map {
            TicketTrack(
                catalogTrackId: "t\($0.offset)", trackNumber: $0.offset + 1, name: $0.element, durationSecs: 200, destPath: "/m/\($0.offset).ogg")
        }
        func files(_ secs: Double, listed: Bool) -> [TorrentFileEntry] {
            Self.okComputer.enumerated().map {
                TorrentFileEntry(
                    path: "A/\(String(format: "%02d", $0.offset + 1)) \($0.element).mp3", sizeBytes: Int64(secs * 40_000),
                    durationSecs: listed ? secs : nil)
            }
        }
        let estimated = TrackFileMatcher.map(ticket, files: files(200, listed: false), bitrateKbps: 320)
        #expect(estimated.durations?.source == "size × 320 kbps")
        #expect(estimated.durations.map { abs($0.foundSecs - 1200) < 1 } == true && estimated.durations?.mismatched == false)
        #expect(TrackFileMatcher.map(ticket, files: files(200, listed: false)).durations == nil, "no bitrate, no list: unknown")

        let live = TrackFileMatcher.map(ticket, files: files(225, listed: true))
        #expect(live.durations?.source == "the file list" && live.durations?.mismatched == true)
        #expect(live.mappings.count == 6, "titles still map; the durations only lower the confidence")
        #expect(live.confidence < TrackFileMatcher.map(ticket, files: files(200, listed: true)).confidence)

        let scorer = CandidateScorer()
        var candidate = TorrentCandidate(
            title: "Radiohead - OK Computer (1997) [MP3 320]", indexer: "i", infoHash: "a", sizeBytes: 1, seeders: 9, leechers: 0,
            files: files(225, listed: false))
        let ok = Ticket(
            ticketId: "d", search: TicketSearch(artist: "Radiohead", album: "OK Computer", year: 1997), tracks: ticket,
            constraints: TicketConstraints(format: .oggVorbis, bitrateKbps: 320))
        let scored = scorer.score(ok, [candidate])
        #expect(scored[0].reasoning.contains("durations from size × 320 kbps: 22:30 against 20:00 (mismatch)"), "\(scored[0].reasoning)")
        #expect(
            scorer.decide(ok, scored)
                == .needsApproval(candidates: scored, recommendedIdx: 0, reason: .durationMismatch(expectedSecs: 1200, foundSecs: 1350)))
        candidate.files = files(200, listed: false)
        guard case .autoApprove = scorer.decide(ok, scorer.score(ok, [candidate])) else { Issue.record("the right durations auto-approve"); return }
    }
}
