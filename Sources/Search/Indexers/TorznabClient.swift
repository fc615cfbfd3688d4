import Basics
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Tickets

/// A Torznab feed (Prowlarr, Jackett's per-indexer feeds, others): `t=caps` read once, then
/// `t=music` with artist/album/year where the feed supports it, else `t=search&q=`.
public actor TorznabClient: IndexerClient {
    public nonisolated let name: String
    let baseURL: String
    let apiKey: String
    let fetcher: HTTPFetcher
    private var musicSearch: Bool?

    public init(name: String, baseURL: String, apiKey: String, fetcher: HTTPFetcher = HTTPFetcher()) {
        self.name = name
        self.baseURL = baseURL
        self.apiKey = apiKey
        self.fetcher = fetcher
        // Its enclosure links carry the key too: they are stored redacted and get it back when fetched.
        Secrets.shared.register(apiKey, origin: baseURL)
    }

    public func search(_ query: IndexerQuery) async throws(IndexerError) -> [TorrentCandidate] {
        if musicSearch == nil {
            let caps = try await get(["t": "caps"])
            musicSearch = TorznabFeed.supportsMusicSearch(caps)
        }
        var items: [String: String] = ["apikey": apiKey, "cat": musicCategory]
        if musicSearch == true, query.artist != nil || query.album != nil {
            items["t"] = "music"
            if let artist = query.artist { items["artist"] = artist }
            if let album = query.album { items["album"] = album }
            if let year = query.year { items["year"] = String(year) }
        } else {
            items["t"] = "search"
            items["q"] = query.text
        }
        return try TorznabFeed.candidates(try await get(items), indexer: name)
    }

    /// `t=search` with no `q`, music categories: the feed of recent releases.
    public func recentReleases() async throws(IndexerError) -> [TorrentCandidate] {
        try TorznabFeed.candidates(try await get(["t": "search", "cat": musicCategory]), indexer: name)
    }

    private func get(_ items: [String: String]) async throws(IndexerError) -> Data {
        var components = URLComponents(string: baseURL)
        var query = items
        query["apikey"] = apiKey
        components?.queryItems = query.sorted { $0.key < $1.key }.map { URLQueryItem(name: $0.key, value: $0.value) }
        guard let url = components?.url?.absoluteString else { throw .badResponse(indexer: name, reason: "cannot build a URL from \(baseURL)") }
        let answer: FetchResult
        do {
            answer = try await fetcher.get(url)
        } catch {
            throw .from(error, indexer: name)
        }
        guard case .body(let data, _, _, _) = answer else { throw .badResponse(indexer: name, reason: "the feed redirected to a magnet link") }
        return data
    }
}

/// Reading Torznab XML: `<item>`s with `torznab:attr` seeders/peers/infohash/magneturl, or `<error>`.
enum TorznabFeed {
    static func supportsMusicSearch(_ caps: Data) -> Bool {
        let text = String(decoding: caps, as: UTF8.self)
        return text.regexRange(#"<music-search[^>]*available="yes""#) != nil
    }

    static func candidates(_ data: Data, indexer: String) throws(IndexerError) -> [TorrentCandidate] {
        let reader = TorznabReader()
        let parser = XMLParser(data: data)
        parser.delegate = reader
        guard parser.parse() else {
            throw .badResponse(indexer: indexer, reason: "not a Torznab XML feed (\(parser.parserError.map { "\($0)" } ?? "unparseable"))")
        }
        if let (code, message) = reader.error {
            if ["100", "101", "102"].contains(code) { throw .unauthorized(indexer: indexer, message: "Torznab error \(code): \(message)") }
            throw .badResponse(indexer: indexer, reason: "Torznab error \(code): \(message)")
        }
        guard reader.sawChannel else { throw .badResponse(indexer: indexer, reason: "no <channel> in the feed") }
        return reader.items.compactMap { $0.candidate(indexer: indexer) }
    }
}

/// SAX reader collecting items; Torznab feeds are flat enough for that.
private final class TorznabReader: NSObject, XMLParserDelegate {
    struct Item {
        var fields: [String: String] = [:]
        var attrs: [String: String] = [:]
        var enclosure: String?

        func candidate(indexer: String) -> TorrentCandidate? {
            guard let title = fields["title"], !title.isEmpty else { return nil }
            let magnet = attrs["magneturl"] ?? (fields["link"]?.hasPrefix("magnet:") == true ? fields["link"] : nil)
            let link = enclosure ?? fields["link"]
            let hash = attrs["infohash"]?.lowercased() ?? infoHash(ofMagnet: magnet)
            guard hash != nil || magnet != nil || link != nil else { return nil }
            let seeders = Int(attrs["seeders"] ?? "") ?? 0
            let peers = Int(attrs["peers"] ?? "") ?? seeders
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss Z"
            return TorrentCandidate(
                title: title, indexer: attrs["indexer"] ?? indexer, magnetUri: magnet, downloadUrl: link?.hasPrefix("magnet:") == true ? nil : link,
                infoHash: hash ?? "", sizeBytes: Int64(fields["size"] ?? attrs["size"] ?? "") ?? 0, seeders: seeders,
                leechers: max(peers - seeders, 0), publishDate: fields["pubDate"].flatMap { formatter.date(from: $0) })
        }
    }

    var items: [Item] = []
    var error: (String, String)?
    var sawChannel = false
    private var current: Item?
    private var text = ""

    func parser(
        _ parser: XMLParser, didStartElement element: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]
    ) {
        text = ""
        switch element {
        case "channel": sawChannel = true
        case "item": current = Item()
        case "error": error = (attributes["code"] ?? "?", attributes["description"] ?? "")
        case "enclosure": current?.enclosure = attributes["url"]
        case "torznab:attr", "attr":
            if let name = attributes["name"], let value = attributes["value"] { current?.attrs[name] = value }
        default: break
        }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }

    func parser(_ parser: XMLParser, didEndElement element: String, namespaceURI: String?, qualifiedName: String?) {
        if element == "item", let item = current {
            items.append(item)
            current = nil
        } else if current != nil, ["title", "link", "size", "pubDate", "guid"].contains(element) {
            current?.fields[element] = text.trimmingCharacters(in: .whitespacesAndNewlines)
        }
    }
}
