import Foundation
import Search
import Testing
import Tickets

@Suite("Release-title parser")
struct ReleaseTitleParserTests {
    @Test("the table holds at least 150 titles in scene, Gazelle, ruTracker and plain styles")
    func tableSize() {
        #expect(releaseTitleTable.count >= 150)
        let styles = Set(releaseTitleTable.map { ReleaseTitleParser.parse($0.0).style })
        #expect(styles == [.scene, .gazelle, .rutracker, .plain])
    }

    @Test("each title reads as expected", arguments: releaseTitleTable.map(\.0))
    func title(_ title: String) throws {
        let expected = try #require(releaseTitleTable.first { $0.0 == title }?.1)
        let actual = try JSONSerialization.jsonObject(with: TicketJSON.encoder().encode(ReleaseTitleParser.parse(title))) as? [String: Any] ?? [:]
        for (key, value) in expected {
            let got = actual[key]
            let same: Bool
            switch value {
            case let v as String: same = (got as? String) == v
            case let v as Int: same = (got as? Int) == v
            case let v as Bool: same = (got as? Bool) == v
            case let v as [String]: same = Set((got as? [String]) ?? []) == Set(v)
            default: same = false
            }
            #expect(same, "\(key): expected \(value), got \(String(describing: got))")
        }
    }
}

@Suite("Release-title parser guided by the ticket")
struct GuidedReadingTests {
    @Test("the ticket's artist decides where it ends: no separator, hyphenated scene artists; a different artist is left alone")
    func guided() {
        let blonde = ReleaseTitleParser.parse("Frank Ocean Blonde 2016", artist: "Frank Ocean", album: "Blonde")
        #expect(
            blonde.info.artist == "Frank Ocean" && blonde.info.album == "Blonde" && blonde.info.year == 2016 && blonde.artistFound
                && blonde.agreement == 1)
        let gaga = ReleaseTitleParser.parse("Lady Gaga Born This Way 2CD FLAC 2011 WRE", artist: "Lady Gaga", album: "Born This Way")
        #expect(gaga.info.album == "Born This Way" && gaga.info.format == .flac && gaga.info.year == 2011)
        let capone = ReleaseTitleParser.parse("Capone-N-Noreaga-Bang_Bang_(Cd_Single)-2000-EGO", artist: "Capone-N-Noreaga", album: "Bang Bang")
        #expect(capone.info.artist == "Capone-N-Noreaga" && capone.info.album == "Bang Bang" && capone.info.year == 2000, "\(capone.info)")
        let other = ReleaseTitleParser.parse("Lowlands Live 2019 FLAC", artist: "Low", album: "Live")
        #expect(!other.artistFound, "'Low' is not the start of 'Lowlands'")
        let agreeing = ReleaseTitleParser.parse("Radiohead - OK Computer (1997) [FLAC]", artist: "Radiohead", album: "Kid A")
        #expect(agreeing.artistFound && agreeing.agreement == 0, "the artist agrees, the album does not")
    }
}
