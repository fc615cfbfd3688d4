import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// What a Torznab indexer says it can do (`t=caps`): which search modes it offers with which
/// parameters, and its categories. Jackett's Cardigann trackers mostly declare `music-search`
/// with `q` alone and drop any other parameter; Prowlarr answers nothing to a parameter its caps
/// do not list. So a search is built from these, never assumed.
public struct TorznabCaps: Sendable, Equatable {
    public struct Mode: Sendable, Equatable {
        public var available: Bool
        public var params: Set<String>

        public init(available: Bool, params: Set<String>) {
            self.available = available
            self.params = params
        }
    }

    /// `search` (free text).
    public var search: Mode?
    /// `music-search`, or the older `audio-search` when only that is given.
    public var music: Mode?
    /// The ids of the Audio category (3000) and its sub-categories the indexer lists.
    public var musicCategories: [String]

    public init(search: Mode?, music: Mode?, musicCategories: [String]) {
        self.search = search
        self.music = music
        self.musicCategories = musicCategories
    }

    /// What is assumed of an indexer whose caps cannot be read: free-text search in Audio.
    public static let unknown = TorznabCaps(search: Mode(available: true, params: ["q"]), music: nil, musicCategories: [])

    /// Reads a caps document; nil when it is not one (no `<caps>` root).
    public static func parse(_ data: Data) -> TorznabCaps? {
        let reader = CapsReader()
        let parser = XMLParser(data: data)
        parser.delegate = reader
        guard parser.parse(), reader.sawCaps else { return nil }
        let music = reader.modes["music-search"] ?? reader.modes["audio-search"]
        return TorznabCaps(search: reader.modes["search"], music: music, musicCategories: reader.categories)
    }

    /// The query items of one search: `t=music` with `artist`, `album` and `year` where the caps list
    /// them, `q` (`artist album`) where music search takes it, or `t=search&q=` when there is no
    /// usable music search. `q` is never empty unless the query itself is. Music categories from the
    /// caps (3000 when they list none).
    public func request(for query: IndexerQuery) -> [(String, String)] {
        let text = query.text.isEmpty ? [query.artist, query.album].compactMap { $0 }.joined(separator: " ") : query.text
        let categories = ("cat", musicCategories.isEmpty ? musicCategory : musicCategories.joined(separator: ","))
        if let music, music.available, query.artist != nil || query.album != nil {
            var items: [(String, String)] = [("t", "music")]
            var structured = false
            if let artist = query.artist, music.params.contains("artist") {
                items.append(("artist", artist))
                structured = true
            }
            if let album = query.album, music.params.contains("album") {
                items.append(("album", album))
                structured = true
            }
            if music.params.contains("q") || !structured { items.append(("q", text)) }
            if let year = query.year, music.params.contains("year") { items.append(("year", String(year))) }
            if structured || music.params.contains("q") { return items + [categories] }
        }
        return [("t", "search"), ("q", text), categories]
    }
}

/// SAX reader of a caps document.
private final class CapsReader: NSObject, XMLParserDelegate {
    var sawCaps = false
    var modes: [String: TorznabCaps.Mode] = [:]
    var categories: [String] = []
    private var inSearching = false
    private var inAudio = false

    func parser(
        _ parser: XMLParser, didStartElement element: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]
    ) {
        switch element {
        case "caps": sawCaps = true
        case "searching": inSearching = true
        case "category":
            let id = attributes["id"] ?? ""
            inAudio = Int(id).map { (3000..<4000).contains($0) } ?? false
            if inAudio { categories.append(id) }
        case "subcat":
            if inAudio, let id = attributes["id"] { categories.append(id) }
        default:
            guard inSearching else { return }
            // Without `supportedParams`, Newznab's defaults (as Lidarr reads them): `q` for search, and
            // `q,artist,album` for music and audio search.
            let fallback = element == "music-search" || element == "audio-search" ? "q,artist,album" : "q"
            let params = (attributes["supportedParams"] ?? fallback).split(separator: ",").map {
                $0.trimmingCharacters(in: .whitespaces).lowercased()
            }
            modes[element] = TorznabCaps.Mode(available: attributes["available"]?.lowercased() == "yes", params: Set(params))
        }
    }

    func parser(_ parser: XMLParser, didEndElement element: String, namespaceURI: String?, qualifiedName: String?) {
        if element == "searching" { inSearching = false }
        if element == "category" { inAudio = false }
    }
}
