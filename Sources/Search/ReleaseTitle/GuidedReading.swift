import Basics
import Foundation

/// A title read with the ticket's artist in hand: where a hyphenated artist ends in a scene name,
/// or where an artist ends in a title with no separator at all ("Frank Ocean Blonde 2016"), the
/// known name decides. `agreement` says how well the title's artist and album words match the
/// ticket's (0…1), whatever the reading.
public struct GuidedReading: Sendable, Equatable {
    public var info: ReleaseInfo
    /// Whether the title starts with (or names, after the parse) the ticket's artist.
    public var artistFound: Bool
    /// Share of the ticket album's words found in the title's album reading.
    public var agreement: Double
}

extension ReleaseTitleParser {
    /// The reading of `title` guided by the artist and album a ticket asks for. The unguided
    /// ``parse(_:)`` is what `downloader2 release parse` prints; the candidate scorer uses this.
    public static func parse(_ title: String, artist: String, album: String) -> GuidedReading {
        let plain = parse(title)
        let wantedArtist = words(artist)
        if words(plain.artist ?? "") == wantedArtist, !wantedArtist.isEmpty {
            return GuidedReading(info: plain, artistFound: true, agreement: agreement(plain.album, album))
        }
        // The artist at the head of the title, followed by anything but a word character: read the
        // rest as "Artist - rest" so the album, year and tags come out of the usual rules.
        let normalized = TitleNormalizer.normalize(title)
        if !wantedArtist.isEmpty, let end = endOfPrefix(wantedArtist, in: normalized) {
            let rest = normalized[end...].drop { " -_.:–—".contains($0) }
            if !rest.isEmpty {
                var guided = parse("\(artist) - \(rest)")
                guided.artist = String(normalized[..<end]).trimmingCharacters(in: .whitespaces)
                guided.style = plain.style
                if guided.album != nil {
                    return GuidedReading(info: guided, artistFound: true, agreement: agreement(guided.album, album))
                }
            }
        }
        return GuidedReading(info: plain, artistFound: false, agreement: agreement(plain.album, album))
    }

    /// Lowercased letters and digits, word by word.
    static func words(_ text: String) -> [String] {
        let folded = text.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil).replacingOccurrences(of: "&", with: " and ")
        return folded.split { !$0.isLetter && !$0.isNumber }.map(String.init)
    }

    /// Where `wanted` (as words) ends if `text` starts with it, separators between words ignored.
    static func endOfPrefix(_ wanted: [String], in text: String) -> String.Index? {
        let target = wanted.joined()
        var matched = target.startIndex
        var index = text.startIndex
        while index < text.endIndex, matched < target.endIndex {
            let character = text[index]
            let folded = String(character).folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
            if folded.first.map({ $0.isLetter || $0.isNumber }) == true {
                guard target[matched...].hasPrefix(folded) else { return nil }
                matched = target.index(matched, offsetBy: folded.count)
            } else if character != " " && !"-_.&'+".contains(character) {
                return nil
            }
            index = text.index(after: index)
        }
        guard matched == target.endIndex else { return nil }
        // The artist must end at a word boundary ("Low" is not the start of "Lowlands").
        if index < text.endIndex, text[index].isLetter || text[index].isNumber { return nil }
        return index
    }

    static func agreement(_ found: String?, _ wanted: String) -> Double {
        let want = Set(words(wanted))
        guard !want.isEmpty else { return 0 }
        let have = Set(words(found ?? ""))
        return Double(want.intersection(have).count) / Double(want.count)
    }
}
