import Basics
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Tickets

/// A Torznab feed (Prowlarr, Jackett's per-indexer feeds, others): `t=caps` read once, then each
/// search built from what the caps say the feed takes (``TorznabCaps/request(for:)``).
public actor TorznabClient: IndexerClient {
    public nonisolated let name: String
    let baseURL: String
    let apiKey: String
    let fetcher: HTTPFetcher
    private var caps: TorznabCaps?

    public init(name: String, baseURL: String, apiKey: String, fetcher: HTTPFetcher = HTTPFetcher()) {
        self.name = name
        self.baseURL = baseURL
        self.apiKey = apiKey
        self.fetcher = fetcher
        // Its enclosure links carry the key too: they are stored redacted and get it back when fetched.
        Secrets.shared.register(apiKey, origin: baseURL)
    }

    /// The feed's caps, read on first use; a feed whose caps are unreadable is searched with `q` alone.
    public func capabilities() async throws(IndexerError) -> TorznabCaps {
        if let caps { return caps }
        do {
            // A feed that answers with something other than caps has none: searched with q alone, for good.
            let read = TorznabCaps.parse(try await get([("t", "caps")])) ?? .unknown
            caps = read
            return read
        } catch {
            switch error {
            case .unauthorized, .rateLimited: throw error
            // Down for now: q alone this time, the caps asked again next time.
            default: return .unknown
            }
        }
    }

    public func search(_ query: IndexerQuery) async throws(IndexerError) -> IndexerAnswer {
        let caps = try await capabilities()
        return try TorznabFeed.answer(try await get(caps.request(for: query)), indexer: name)
    }

    /// `t=search` with no `q`, music categories: the feed of recent releases.
    public func recentReleases() async throws(IndexerError) -> IndexerAnswer {
        let caps = try await capabilities()
        let categories = caps.musicCategories.isEmpty ? musicCategory : caps.musicCategories.joined(separator: ",")
        return try TorznabFeed.answer(try await get([("t", "search"), ("cat", categories)]), indexer: name)
    }

    private func get(_ items: [(String, String)]) async throws(IndexerError) -> Data {
        guard let url = url(baseURL, items + (apiKey.isEmpty ? [] : [("apikey", apiKey)])) else {
            throw .badResponse(indexer: name, reason: "cannot build a URL from \(baseURL)")
        }
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

/// Reading Torznab XML: `<item>`s with `*:attr` seeders/peers/infohash/magneturl and the rest, or `<error>`.
enum TorznabFeed {
    static func answer(_ data: Data, indexer: String) throws(IndexerError) -> IndexerAnswer {
        let reader = TorznabReader()
        let parser = XMLParser(data: data)
        parser.delegate = reader
        guard parser.parse() else {
            throw .badResponse(indexer: indexer, reason: "not a Torznab XML feed (\(parser.parserError.map { "\($0)" } ?? "unparseable"))")
        }
        if let (code, message) = reader.error {
            // Newznab/Torznab 100–199 are account and credential errors (Lidarr reads them so too).
            if let number = Int(code), (100..<200).contains(number) {
                throw .unauthorized(indexer: indexer, message: "Torznab error \(code): \(message)")
            }
            // Newznab's "Request limit reached" (sent with HTTP 200) is a rate limit without a Retry-After.
            if message.lowercased().contains("request limit reached") {
                throw .rateLimited(indexer: indexer, until: Date().addingTimeInterval(IndexerError.defaultRateLimitPause))
            }
            throw .failed(indexer: indexer, message: "Torznab error \(code): \(message)")
        }
        guard reader.sawChannel else { throw .badResponse(indexer: indexer, reason: "no <channel> in the feed") }
        return IndexerAnswer(candidates: reader.items.compactMap { $0.candidate(indexer: indexer) })
    }
}

/// SAX reader collecting items; Torznab feeds are flat enough for that.
private final class TorznabReader: NSObject, XMLParserDelegate {
    struct Item {
        var fields: [String: String] = [:]
        var attrs: [String: String] = [:]
        var enclosure: String?
        var enclosureLength: String?
        /// `<jackettindexer>` / `<prowlarrindexer>`: the tracker behind an aggregate feed.
        var tracker: String?

        func candidate(indexer: String) -> TorrentCandidate? {
            guard let title = fields["title"], !title.isEmpty else { return nil }
            let magnet = [attrs["magneturl"], fields["link"], enclosure].compactMap { $0 }.first { $0.lowercased().hasPrefix("magnet:") }
            let link = enclosure ?? fields["link"]
            // A hash that is not one (Prowlarr's fixtures write "(removed)") is no hash.
            let stated = attrs["infohash"]?.lowercased().trimmingCharacters(in: .whitespaces)
            let hash = stated.flatMap { $0.count == 40 && $0.allSatisfy(\.isHexDigit) ? $0 : nil } ?? infoHash(ofMagnet: magnet)
            guard hash != nil || magnet != nil || link != nil else { return nil }
            // Torznab `peers` counts everyone (seeders and leechers); `leechers` is given by some feeds.
            let seeders = max(Int(attrs["seeders"] ?? "") ?? 0, 0)
            let leechers = Int(attrs["leechers"] ?? "") ?? (Int(attrs["peers"] ?? "").map { $0 - seeders } ?? 0)
            // Prowlarr writes `<size>` always, empty when unknown: then the attribute, then the enclosure's length.
            let sizes: [Int64] = [fields["size"], attrs["size"], enclosureLength].compactMap { $0.flatMap { Int64($0) } }
            let size: Int64 = sizes.first(where: { $0 > 0 }) ?? 0
            var candidate = TorrentCandidate(
                title: title, indexer: tracker.flatMap { $0.isEmpty ? nil : $0 } ?? indexer, magnetUri: magnet,
                downloadUrl: link?.hasPrefix("magnet:") == true ? nil : link, infoHash: hash ?? "", sizeBytes: size, seeders: seeders,
                leechers: max(leechers, 0), publishDate: fields["pubDate"].flatMap(IndexerDates.rfc822))
            candidate.fileCount = (attrs["files"] ?? fields["files"]).flatMap { Int($0) }
            candidate.grabs = (attrs["grabs"] ?? fields["grabs"]).flatMap { Int($0) }
            candidate.minimumRatio = attrs["minimumratio"].flatMap { Double($0) }
            candidate.minimumSeedTimeSecs = attrs["minimumseedtime"].flatMap { Int($0) }
            candidate.downloadVolumeFactor = attrs["downloadvolumefactor"].flatMap { Double($0) }
            candidate.uploadVolumeFactor = attrs["uploadvolumefactor"].flatMap { Double($0) }
            if candidate.indexer != indexer { candidate.feed = indexer }
            return candidate
        }
    }

    var items: [Item] = []
    var error: (String, String)?
    var sawChannel = false
    private var current: Item?
    private var text = ""

    /// `torznab:attr`, `newznab:attr`, or any other prefix the feed chose for its namespace.
    private static func localName(_ element: String) -> Substring {
        element.split(separator: ":").last ?? Substring(element)
    }

    func parser(
        _ parser: XMLParser, didStartElement element: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]
    ) {
        text = ""
        switch Self.localName(element) {
        case "channel": sawChannel = true
        case "item": current = Item()
        case "error": error = (attributes["code"] ?? "?", attributes["description"] ?? "")
        case "enclosure":
            current?.enclosure = attributes["url"]
            current?.enclosureLength = attributes["length"]
        case "attr":
            if let name = attributes["name"], let value = attributes["value"] { current?.attrs[name.lowercased()] = value }
        default: break
        }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }

    func parser(_ parser: XMLParser, foundCDATA block: Data) { text += String(decoding: block, as: UTF8.self) }

    func parser(_ parser: XMLParser, didEndElement element: String, namespaceURI: String?, qualifiedName: String?) {
        let name = Self.localName(element)
        if name == "item", let item = current {
            items.append(item)
            current = nil
        } else if current != nil, ["title", "link", "size", "pubDate", "guid", "files", "grabs"].contains(name) {
            current?.fields[String(name)] = text.trimmingCharacters(in: .whitespacesAndNewlines)
        } else if current != nil, name == "jackettindexer" || name == "prowlarrindexer" {
            current?.tracker = text.trimmingCharacters(in: .whitespacesAndNewlines)
        }
    }
}

/// The date formats indexers write.
enum IndexerDates {
    /// RSS `pubDate`: `Sat, 01 May 2021 10:00:00 +0000` (the weekday is optional).
    static func rfc822(_ text: String) -> Date? {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        for format in ["EEE, dd MMM yyyy HH:mm:ss Z", "dd MMM yyyy HH:mm:ss Z", "EEE, dd MMM yyyy HH:mm:ss zzz"] {
            formatter.dateFormat = format
            if let date = formatter.date(from: text) { return date }
        }
        return nil
    }

    /// Jackett's JSON dates: ISO 8601 with up to seven fractional digits (.NET's ticks) and an offset,
    /// `Z`, or none at all (read as UTC): `2020-07-01T12:39:19.3915488+01:00`.
    static func iso8601(_ text: String) -> Date? {
        let pattern = #"^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:?\d{2})?$"#
        guard let regex = try? NSRegularExpression(pattern: pattern),
            let match = regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text))
        else { return nil }
        func group(_ index: Int) -> String? {
            Range(match.range(at: index), in: text).map { String(text[$0]) }
        }
        var components = DateComponents()
        components.calendar = Calendar(identifier: .gregorian)
        (components.year, components.month, components.day) = (Int(group(1)!), Int(group(2)!), Int(group(3)!))
        (components.hour, components.minute, components.second) = (Int(group(4)!), Int(group(5)!), Int(group(6)!))
        var offset = 0
        if let zone = group(8), zone != "Z" {
            let digits = zone.dropFirst().filter(\.isNumber)
            let minutes = (Int(digits.prefix(2)) ?? 0) * 60 + (Int(digits.suffix(2)) ?? 0)
            offset = (zone.hasPrefix("-") ? -minutes : minutes) * 60
        }
        components.timeZone = TimeZone(secondsFromGMT: offset)
        guard let whole = components.date else { return nil }
        let fraction = group(7).flatMap { Double("0." + $0) } ?? 0
        return whole.addingTimeInterval(fraction)
    }
}
