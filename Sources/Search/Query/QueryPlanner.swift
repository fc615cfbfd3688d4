import Basics
import Foundation
import Tickets

/// The queries to try for a ticket, most precise first (issue: query strategy).
public enum QueryPlanner {
    /// `artist album`; then the same normalised (diacritics folded, `&` → `and`, typographic quotes
    /// straightened, bracketed edition words dropped); then the album alone when it is distinctive.
    /// An operator's query (force-search) replaces them all.
    public static func tiers(for search: TicketSearch, override: String? = nil) -> [IndexerQuery] {
        if let override, !override.trimmingCharacters(in: .whitespaces).isEmpty {
            return [IndexerQuery(text: override)]
        }
        var queries = [IndexerQuery(text: "\(search.artist) \(search.album)", artist: search.artist, album: search.album, year: search.year)]
        let artist = normalise(search.artist), album = normalise(search.album)
        let normalised = IndexerQuery(text: "\(artist) \(album)", artist: artist, album: album, year: search.year)
        if normalised.text != queries[0].text { queries.append(normalised) }
        if isDistinctive(album, artist: artist) { queries.append(IndexerQuery(text: album, album: album)) }
        return queries
    }

    static func normalise(_ text: String) -> String {
        var t = text.folding(options: [.diacriticInsensitive, .widthInsensitive], locale: Locale(identifier: "en_US_POSIX"))
        for (from, to) in [("’", "'"), ("‘", "'"), ("“", "\""), ("”", "\""), ("–", "-"), ("—", "-"), ("&", " and ")] {
            t = t.replacingOccurrences(of: from, with: to)
        }
        let editions = #"\s*[\(\[][^\)\]]*(deluxe|edition|remaster|expanded|anniversary|reissue|bonus|version)[^\)\]]*[\)\]]"#
        t = t.regexReplacing(editions, with: "", caseInsensitive: true)
        return t.regexReplacing(#"\s+"#, with: " ").trimmingCharacters(in: .whitespaces)
    }

    /// An album title that finds the album by itself: not the artist's name, not a generic title.
    static func isDistinctive(_ album: String, artist: String) -> Bool {
        let a = album.lowercased()
        let generic: Set<String> = [
            "greatest hits", "the best of", "best of", "live", "singles", "collection", "the collection", "hits", "untitled", "demo", "ep",
            "unplugged",
        ]
        guard a != artist.lowercased(), !generic.contains(a), Int(a) == nil else { return false }
        return a.split(separator: " ").count >= 3 || a.count >= 12
    }
}
