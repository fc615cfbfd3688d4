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
