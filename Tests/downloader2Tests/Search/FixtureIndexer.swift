import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Synchronization

/// A fake indexer at the edge we cannot run here, speaking the real wire formats (Jackett's JSON
/// results API and Torznab XML) on a loopback port, with failure modes on demand.
enum FixtureIndexer {
    static let apiKey = "fixture-key"
    static let okComputerHash = String(repeating: "1a", count: 20)
    static let homogenicHash = String(repeating: "2b", count: 20)

    /// Calls seen per path, and how many 500s `/flaky` still owes.
    final class Log: Sendable {
        let queries = Mutex<[String]>([])
        let flakyFailures = Mutex(2)
        func record(_ query: String) { queries.withLock { $0.append(query) } }
        var all: [String] { queries.withLock { $0 } }
    }

    static func jackettResults(for query: String) -> String {
        let q = query.lowercased()
        if q == "radiohead ok computer" {
            return #"""
                {"Results":[
                 {"Title":"Radiohead - OK Computer (1997) [FLAC / Lossless / CD]","Tracker":"redacted","Link":"http://127.0.0.1:1/dl/1","MagnetUri":null,"InfoHash":"\#(okComputerHash.uppercased())","Size":412345678,"Seeders":12,"Peers":15,"PublishDate":"2021-05-01T10:00:00+00:00"},
                 {"Title":"Radiohead - OK Computer [FLAC] (same torrent, other tracker)","Tracker":"other","Link":null,"MagnetUri":"magnet:?xt=urn:btih:\#(okComputerHash)&dn=x","InfoHash":null,"Size":412345678,"Seeders":40,"Peers":41,"PublishDate":null},
                 {"Title":"Radiohead - OK Computer (1997) MP3 320","Tracker":"other","Link":null,"MagnetUri":"magnet:?xt=urn:btih:\#(String(repeating: "3c", count: 20))","InfoHash":null,"Size":98000000,"Seeders":3,"Peers":3,"PublishDate":null},
                 {"Title":"no link at all","Tracker":"x","Link":null,"MagnetUri":null,"InfoHash":null,"Size":1,"Seeders":1,"Peers":1}
                ],"Indexers":[{"ID":"redacted","Name":"Redacted","Status":2,"Results":3,"Error":null}]}
                """#
        }
        if q == "bjork homogenic" {
            return
                #"{"Results":[{"Title":"Björk - Homogenic (1997) [FLAC]","Tracker":"t","MagnetUri":"magnet:?xt=urn:btih:\#(homogenicHash)","Size":300000000,"Seeders":7,"Peers":9}],"Indexers":[]}"#
        }
        return #"{"Results":[],"Indexers":[]}"#
    }

    static func torznabItems(_ items: [(title: String, hash: String, seeders: Int)]) -> String {
        let body = items.map { item in
            """
            <item><title>\(item.title)</title><guid>\(item.hash)</guid><size>123456</size>
            <pubDate>Sat, 01 May 2021 10:00:00 +0000</pubDate>
            <enclosure url="http://127.0.0.1:1/dl/\(item.hash).torrent" length="123456" type="application/x-bittorrent"/>
            <torznab:attr name="seeders" value="\(item.seeders)"/><torznab:attr name="peers" value="\(item.seeders + 2)"/>
            <torznab:attr name="infohash" value="\(item.hash)"/><torznab:attr name="category" value="3040"/></item>
            """
        }.joined()
        return
            #"<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" xmlns:torznab="http://torznab.com/schemas/2015/feed"><channel><title>fixture</title>"#
            + body + "</channel></rss>"
    }

    static func router(_ log: Log) -> Router<BasicRequestContext> {
        let router = Router()
        @Sendable func xml(_ text: String) -> Response {
            Response(status: .ok, headers: [.contentType: "application/rss+xml"], body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
        }
        router.get("api/v2.0/indexers/all/results") { request, _ -> Response in
            guard request.uri.queryParameters.get("apikey") == apiKey else {
                return Response(status: .unauthorized, body: ResponseBody(byteBuffer: ByteBuffer(string: "Invalid API key")))
            }
            guard asksForMusic(request) else {
                return Response(status: .badRequest, body: ResponseBody(byteBuffer: ByteBuffer(string: "fixture: Category[]=3000 missing")))
            }
            let query = request.uri.queryParameters.get("Query") ?? ""
            log.record(query)
            return Response(
                status: .ok, headers: [.contentType: "application/json"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: jackettResults(for: query))))
        }
        router.get("garbage/api/v2.0/indexers/all/results") { _, _ in "<html>Jackett is updating, try later" }
        router.get("flaky/api/v2.0/indexers/all/results") { request, _ -> Response in
            if log.flakyFailures.withLock({ n in
                defer { n -= 1 }; return n > 0
            }) {
                return Response(status: .badGateway, body: ResponseBody(byteBuffer: ByteBuffer(string: "upstream down")))
            }
            let query = request.uri.queryParameters.get("Query") ?? ""
            return Response(status: .ok, body: ResponseBody(byteBuffer: ByteBuffer(string: jackettResults(for: query))))
        }
        router.get("torznab/api") { request, _ -> Response in
            let p = request.uri.queryParameters
            guard p.get("apikey") == apiKey else { return xml(#"<?xml version="1.0"?><error code="100" description="Incorrect user credentials"/>"#) }
            switch p.get("t") {
            case "caps":
                return xml(
                    #"<?xml version="1.0"?><caps><searching><search available="yes" supportedParams="q"/><music-search available="yes" supportedParams="q,artist,album,year"/></searching></caps>"#
                )
            case "music":
                log.record("music:\(p.get("artist") ?? "")|\(p.get("album") ?? "")|\(p.get("year") ?? "")")
                guard p.get("artist") == "Radiohead" else { return xml(torznabItems([])) }
                return xml(
                    torznabItems([
                        ("Radiohead - OK Computer (1997) [FLAC]", okComputerHash, 25),
                        ("Radiohead - OK Computer OKNOTOK (2017) [FLAC 24-96]", String(repeating: "4d", count: 20), 9),
                    ]))
            default:
                log.record("search:\(p.get("q") ?? "")")
                return xml(torznabItems([]))
            }
        }
        return router
    }

    /// Runs the fixture on a loopback port for the duration of `body`.
    static func serve(_ body: @escaping @Sendable (String, Log) async throws -> Void) async throws {
        let log = Log()
        let app = Application(router: router(log), configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live) { client in try await body("http://127.0.0.1:\(client.port!)", log) }
    }
}

/// The Jackett endpoint must be asked for music categories only (the fixture answers 400 otherwise,
/// which the tests' assertions then report).
private func asksForMusic(_ request: Request) -> Bool {
    let query = request.uri.query ?? ""
    return query.contains("Category%5B%5D=3000") || query.contains("Category[]=3000")
}
