import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import Synchronization

/// A tracker behind Jackett, answering as Jackett does (Tests/IndexerFixtures/README.md has the
/// source lines): the JSON API `indexers/all/results`, and the tracker's own Torznab feed
/// `indexers/<id>/results/torznab/api` with its caps.
///
/// By default it is a Cardigann definition with `music-search: [q]`, like 373 of Jackett's 389: the
/// caps say `music-search available="yes" supportedParams="q"`, `artist` and `album` are dropped,
/// the keywords come from `q` alone, and no keywords at all list the latest releases. `.full`
/// takes artist and album as keywords too (caps `q,album,artist,label,year`, as Jackett writes them).
/// `rateLimit` answers 429 with `Retry-After` and Jackett's `<error code="900">`; `trackerError` adds a
/// failed tracker to the JSON answer's `Indexers[]` (Status 1, Jackett's exception text).
final class CardigannTracker: Sendable {
    struct Release: Sendable {
        var title: String
        var size: Int64
        var seeders: Int
        var leechers: Int
        var infoHash: String?
        var magnet: String?
        var link: String?
        var published: Date
        var downloadVolumeFactor: Double = 1
        var minimumSeedTime: Int? = 172_800
        var minimumRatio: Double? = 1.0
    }

    enum Music: Sendable { case qOnly, full }

    let id: String
    let name: String
    let music: Music
    /// The catalogue, read at each request (a test may learn a link only once a port is known).
    let catalogue: @Sendable () -> [Release]
    var releases: [Release] { catalogue() }
    /// Each request's query string and the moment it came.
    let requests = Mutex<[(query: String, at: ContinuousClock.Instant, date: Date)]>([])
    /// While set, every Torznab search answers 429 with this `Retry-After` (seconds), once per setting.
    let rateLimit = Mutex<Int?>(nil)
    /// A second tracker behind the JSON API that fails with this text.
    let trackerError = Mutex<String?>(nil)

    convenience init(id: String = "tonetracker", name: String = "ToneTracker", music: Music = .qOnly, releases: [Release]) {
        self.init(id: id, name: name, music: music, catalogue: { releases })
    }

    init(id: String = "tonetracker", name: String = "ToneTracker", music: Music = .qOnly, catalogue: @escaping @Sendable () -> [Release]) {
        self.id = id
        self.name = name
        self.music = music
        self.catalogue = catalogue
    }

    var searches: [String] { requests.withLock { $0.map(\.query) }.filter { !$0.contains("t=caps") } }

    /// Unrelated releases a real tracker lists as its latest: what an empty keyword search returns.
    static let latest: [Release] = [
        Release(
            title: "Various Artists - Now That's What I Call Music 118 (2024) MP3 320", size: 400_000_000, seeders: 80, leechers: 9,
            infoHash: String(repeating: "a1", count: 20), published: Date(timeIntervalSince1970: 1_733_500_000)),
        Release(
            title: "Taylor Swift - The Tortured Poets Department (2024) [FLAC 24-48]", size: 1_200_000_000, seeders: 300, leechers: 40,
            infoHash: String(repeating: "b2", count: 20), published: Date(timeIntervalSince1970: 1_733_400_000)),
        Release(
            title: "Radiohead - In Rainbows (2007) [FLAC]", size: 300_000_000, seeders: 50, leechers: 2,
            infoHash: String(repeating: "c3", count: 20), published: Date(timeIntervalSince1970: 1_733_300_000)),
    ]

    /// Case- and accent-blind words, as tracker search boxes compare them.
    static func words(_ text: String) -> [String] {
        text.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
            .split { !$0.isLetter && !$0.isNumber }.map(String.init)
    }

    /// What a keyword search finds: every word in the title; no words, everything (newest first).
    func find(_ keywords: String) -> [Release] {
        let wanted = Self.words(keywords)
        return releases.filter { release in
            let have = Set(Self.words(release.title))
            return wanted.allSatisfy(have.contains)
        }.sorted { $0.published > $1.published }
    }

    func record(_ request: Request) {
        requests.withLock { $0.append((request.uri.query ?? "", ContinuousClock.now, Date())) }
    }

    /// Jackett's JSON date: .NET's seven fractional digits and the server's offset.
    static func jsonDate(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(secondsFromGMT: 3600)
        formatter.dateFormat = "yyyy-MM-dd'T'HH:mm:ss"
        return formatter.string(from: date) + ".3915488+01:00"
    }

    static func rssDate(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(secondsFromGMT: 0)
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss Z"
        return formatter.string(from: date)
    }

    func jsonString(_ value: String?) -> String {
        guard let value else { return "null" }
        let data = (try? JSONSerialization.data(withJSONObject: [value])) ?? Data("[\"\"]".utf8)
        return String(String(decoding: data, as: UTF8.self).dropFirst().dropLast())
    }

    /// The JSON API's answer, with the keys and value shapes of a real Jackett answer.
    func jsonAnswer(_ found: [Release]) -> String {
        let results = found.map { r in
            """
            {"FirstSeen":"0001-01-01T00:00:00","Tracker":"\(name)","TrackerId":"\(id)","CategoryDesc":"Audio/Lossless","BlackholeLink":null,\
            "Title":\(jsonString(r.title)),"Guid":"https://tracker.example/t/\(r.infoHash ?? "x")","Link":\(jsonString(r.link)),\
            "Comments":"https://tracker.example/t/\(r.infoHash ?? "x")","PublishDate":"\(Self.jsonDate(r.published))","Category":[3040,100010],\
            "Size":\(r.size),"Files":null,"Grabs":12,"Description":null,"RageID":null,"TVDBId":null,"Imdb":null,"TMDb":null,\
            "Seeders":\(r.seeders),"Peers":\(r.seeders + r.leechers),"BannerUrl":null,"InfoHash":\(jsonString(r.infoHash)),\
            "MagnetUri":\(jsonString(r.magnet)),"MinimumRatio":\(r.minimumRatio.map { "\($0)" } ?? "null"),"MinimumSeedTime":\(r.minimumSeedTime.map(String.init) ?? "null"),\
            "DownloadVolumeFactor":\(r.downloadVolumeFactor),"UploadVolumeFactor":1.0,"Gain":0.0}
            """
        }
        var indexers = [#"{"ID":"\#(id)","Name":"\#(name)","Status":2,"Results":\#(found.count),"Error":null}"#]
        if let error = trackerError.withLock({ $0 }) {
            indexers.append(#"{"ID":"brokentracker","Name":"BrokenTracker","Status":1,"Results":0,"Error":\#(jsonString(error))}"#)
        }
        return #"{"Results":[\#(results.joined(separator: ","))],"Indexers":[\#(indexers.joined(separator: ","))]}"#
    }

    /// The tracker's Torznab answer, shaped as Jackett's ResultPage writes it.
    func torznabAnswer(_ found: [Release]) -> String {
        func escape(_ text: String) -> String {
            text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(
                of: "\"", with: "&quot;")
        }
        let items = found.map { r in
            var attrs = [
                ("category", "3040"), ("seeders", "\(r.seeders)"), ("peers", "\(r.seeders + r.leechers)"),
                ("downloadvolumefactor", "\(r.downloadVolumeFactor)"), ("uploadvolumefactor", "1"),
            ]
            if let hash = r.infoHash { attrs.append(("infohash", hash)) }
            if let magnet = r.magnet { attrs.append(("magneturl", magnet)) }
            // As Jackett's ResultPage writes it: C#'s double.ToString(), "1" for 1.0, "0.5" for 0.5.
            if let ratio = r.minimumRatio { attrs.append(("minimumratio", ratio == ratio.rounded() ? "\(Int(ratio))" : "\(ratio)")) }
            if let seed = r.minimumSeedTime { attrs.append(("minimumseedtime", "\(seed)")) }
            let enclosure = r.link ?? r.magnet ?? ""
            return """
                <item>
                  <title>\(escape(r.title))</title>
                  <guid>https://tracker.example/t/\(r.infoHash ?? "x")</guid>
                  <jackettindexer id="\(id)">\(escape(name))</jackettindexer>
                  <type>private</type>
                  <comments>https://tracker.example/t/\(r.infoHash ?? "x")</comments>
                  <pubDate>\(Self.rssDate(r.published))</pubDate>
                  <size>\(r.size)</size>
                  <grabs>12</grabs>
                  <description />
                  <link>\(escape(enclosure))</link>
                  <category>3040</category>
                  <enclosure url="\(escape(enclosure))" length="\(r.size)" type="application/x-bittorrent" />
                \(attrs.map { "  <torznab:attr name=\"\($0.0)\" value=\"\(escape($0.1))\" />" }.joined(separator: "\n"))
                </item>
                """
        }
        return """
            <?xml version="1.0" encoding="UTF-8"?>
            <rss version="2.0" xmlns:atom="http://www.w3.org/2005/Atom" xmlns:torznab="http://torznab.com/schemas/2015/feed">
              <channel>
                <atom:link href="http://127.0.0.1:9117/" rel="self" type="application/rss+xml" />
                <title>\(escape(name))</title>
                <description>\(escape(name)) is a private music tracker</description>
                <link>https://tracker.example/</link>
                <language>en-US</language>
                <category>search</category>
            \(items.joined(separator: "\n"))
              </channel>
            </rss>
            """
    }

    /// Jackett's caps for the definition: `[q]` music search, or the full set in Jackett's order.
    var caps: String {
        let music = music == .qOnly ? "q" : "q,album,artist,label,year"
        return """
            <?xml version="1.0" encoding="UTF-8"?>
            <caps>
              <server title="Jackett" />
              <limits default="100" max="100" />
              <searching>
                <search available="yes" supportedParams="q" />
                <tv-search available="no" supportedParams="q" />
                <movie-search available="no" supportedParams="q" />
                <music-search available="yes" supportedParams="\(music)" />
                <audio-search available="yes" supportedParams="\(music)" />
                <book-search available="no" supportedParams="q" />
              </searching>
              <categories>
                <category id="3000" name="Audio">
                  <subcat id="3010" name="Audio/MP3" />
                  <subcat id="3040" name="Audio/Lossless" />
                </category>
                <category id="100010" name="FLAC" />
              </categories>
            </caps>
            """
    }

    static func response(_ status: HTTPResponse.Status, _ type: String, _ body: String, headers: HTTPFields = [:]) -> Response {
        var fields = headers
        fields[.contentType] = type
        return Response(status: status, headers: fields, body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
    }

    /// The routes, on `router`, under Jackett's paths; `json`: this tracker also answers Jackett's JSON
    /// API (one tracker per router may).
    func register(on router: Router<BasicRequestContext>, apiKey: String, json: Bool = true) {
        if json { registerJSON(on: router, apiKey: apiKey) }
        registerTorznab(on: router, apiKey: apiKey)
    }

    private func registerJSON(on router: Router<BasicRequestContext>, apiKey: String) {
        router.get("api/v2.0/indexers/all/results") { request, _ -> Response in
            self.record(request)
            // Jackett's JSON API answers a wrong key with an empty 401.
            guard request.uri.queryParameters.get("apikey") == apiKey else { return Response(status: .unauthorized) }
            return Self.response(.ok, "application/json; charset=utf-8", self.jsonAnswer(self.find(request.uri.queryParameters.get("Query") ?? "")))
        }
    }

    func registerTorznab(on router: Router<BasicRequestContext>, apiKey: String) {
        router.get("api/v2.0/indexers/\(id)/results/torznab/api") { request, _ -> Response in
            self.record(request)
            let p = request.uri.queryParameters
            guard p.get("apikey") == apiKey else {
                // Jackett: the XML error, with HTTP 200.
                return Self.response(
                    .ok, "application/xml", #"<?xml version="1.0" encoding="UTF-8"?>"# + "\n" + #"<error code="100" description="Invalid API Key" />"#
                )
            }
            if p.get("t") == "caps" { return Self.response(.ok, "application/xml", self.caps) }
            if let seconds = self.rateLimit.withLock({ $0 }) {
                return Self.response(
                    .tooManyRequests, "application/xml",
                    #"<?xml version="1.0" encoding="UTF-8"?>"# + "\n" + #"<error code="900" description="Request limit reached, retry later" />"#,
                    headers: [HTTPField.Name("Retry-After")!: "\(seconds)"])
            }
            var keywords = [p.get("q") ?? ""]
            if self.music == .full, p.get("t") == "music" { keywords += [p.get("artist") ?? "", p.get("album") ?? ""] }
            // Cardigann's .Keywords: q and the year (artist and album only where the definition reads them).
            if let year = p.get("year") { keywords.append(year) }
            return Self.response(.ok, "application/rss+xml; charset=utf-8", self.torznabAnswer(self.find(keywords.joined(separator: " "))))
        }
    }
}
