import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Search
import Testing
import Tickets

/// The clients on answers real indexers gave (Tests/IndexerFixtures, with provenance), served byte
/// for byte from a loopback HTTP server. Where Lidarr's own tests assert values for the same file,
/// the same values are asserted here.
@Suite("Indexers: real answers of Jackett, Prowlarr and trackers")
struct RealIndexerAnswerTests {
    static func fixture(_ name: String) throws -> Data {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("IndexerFixtures/\(name)")
        return try Data(contentsOf: url)
    }

    /// Serves `/<name>/api`: `t=caps` answers `caps`, anything else the file `name`; the JSON API too.
    static func serve(caps: String, _ body: @escaping @Sendable (String) async throws -> Void) async throws {
        let router = Router()
        router.get(":name/api") { request, context -> Response in
            let name = try context.parameters.require("name")
            let file = request.uri.queryParameters.get("t") == "caps" ? caps : name
            return Response(
                status: .ok, headers: [.contentType: "application/xml"], body: ResponseBody(byteBuffer: ByteBuffer(data: try fixture(file))))
        }
        router.get("api/v2.0/indexers/all/results") { _, _ -> Response in
            Response(
                status: .ok, headers: [.contentType: "application/json"],
                body: ResponseBody(byteBuffer: ByteBuffer(data: try fixture("jackett_api_results_all_webtor_excerpt.json"))))
        }
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live) { client in try await body("http://127.0.0.1:\(client.port!)") }
    }

    static func answer(_ base: String, _ file: String) async throws -> IndexerAnswer {
        try await TorznabClient(name: "fixture", baseURL: "\(base)/\(file)/api", apiKey: "k").search(IndexerQuery(text: "anything"))
    }

    @Test("Torznab: Jackett's 2015 answer and a tracker's own API give Lidarr's figures; peers are seeders and leechers together")
    func lidarrFixtures() async throws {
        try await Self.serve(caps: "prowlarr_torznab_animetosho_caps.xml") { base in
            // Lidarr's TorznabFixture asserts: 5 releases, the first 34128 seeders, 36724 peers, 388895872 bytes.
            let tpb = try await Self.answer(base, "lidarr_torznab_tpb.xml")
            #expect(tpb.candidates.count == 5)
            let first = try #require(tpb.candidates.first)
            #expect(first.seeders == 34128 && first.leechers == 36724 - 34128 && first.sizeBytes == 388_895_872)
            #expect(first.infoHash == "9fb267cff5ae5603f07a347676ec3bf3e35f75e1" && first.magnetUri?.hasPrefix("magnet:?xt=urn:btih:9fb2") == true)
            #expect(first.downloadUrl == nil, "a magnet enclosure is no download link")
            #expect(first.minimumRatio == 1 && first.minimumSeedTimeSecs == 172_800)
            #expect(first.publishDate == Date(timeIntervalSince1970: 1_428_809_640), "Sat, 11 Apr 2015 21:34:00 -0600")
            // And for HDAccess: 5 releases, the first 7 seeders, 7 peers, 2538463390 bytes.
            let hd = try await Self.answer(base, "lidarr_torznab_hdaccess_net.xml")
            #expect(hd.candidates.count == 5)
            let hdFirst = try #require(hd.candidates.first)
            #expect(hdFirst.seeders == 7 && hdFirst.leechers == 0 && hdFirst.sizeBytes == 2_538_463_390)
            #expect(hdFirst.downloadUrl?.hasPrefix("http") == true)
        }
    }

    @Test("Torznab: Prowlarr's <files>/<grabs>/leechers/volume factors, newznab:attr beside torznab:attr, Jackett's aggregate tracker name")
    func modernFixtures() async throws {
        try await Self.serve(caps: "prowlarr_torznab_animetosho_caps.xml") { base in
            let mtv = try await Self.answer(base, "prowlarr_torznab_morethantv.xml")
            let first = try #require(mtv.candidates.first)
            #expect(first.fileCount == 1 && first.grabs == 2 && first.seeders == 3 && first.leechers == 0)
            #expect(first.downloadVolumeFactor == 1 && first.uploadVolumeFactor == 1 && !first.isFreeleech)
            #expect(first.infoHash.isEmpty, "'(removed)' is not an info-hash")
            #expect(first.sizeBytes == 5_412_993_028)
            #expect(mtv.candidates.contains { $0.fileCount == 78 })

            let tosho = try await Self.answer(base, "sonarr_torznab_animetosho.xml")
            #expect(tosho.candidates.count == 2)
            let anime = try #require(tosho.candidates.first)
            #expect(anime.sizeBytes == 316_477_946 && anime.fileCount == 1, "newznab:attr and torznab:attr read alike")
            #expect(anime.infoHash == "2d69a861bef5a9f2cdf791b7328e37b7953205e1")

            let aggregate = try await Self.answer(base, "jackett_aggregate_torznab_torznabclient_excerpt.xml")
            let item = try #require(aggregate.candidates.first)
            #expect(item.indexer == "BitSearch", "<jackettindexer> names the tracker behind an aggregate feed")
            #expect(item.feed == "fixture", "the configured entry it came through is kept (seeding overrides are set there)")
            #expect(anime.feed == nil, "a feed of one tracker names it once")
            #expect(item.seeders == 84 && item.leechers == 81 && item.isFreeleech && item.grabs == 1200)
            #expect(item.infoHash == "38c747c92231b893c6c00cdd8c1e32f6547e21b0")
        }
    }

    @Test("Torznab: an error document with a byte-order mark, code 100, is a refused key")
    func unauthorizedFixture() async throws {
        try await Self.serve(caps: "lidarr_newznab_unauthorized.xml") { base in
            do {
                _ = try await Self.answer(base, "lidarr_newznab_unauthorized.xml")
                Issue.record("an error document gave candidates")
            } catch let error as IndexerError {
                guard case .unauthorized(_, let message) = error else { Issue.record("expected unauthorized, got \(error)"); return }
                #expect(message.contains("100") && message.contains("Incorrect user credentials"))
            }
        }
    }

    @Test("Jackett JSON (v0.16, 2020): fractional-second dates with offsets, Peers as all peers, the failed tracker of Indexers[] named")
    func jackettJSON() async throws {
        try await Self.serve(caps: "lidarr_newznab_caps.xml") { base in
            let answer = try await JackettClient(baseURL: base, apiKey: "k").search(IndexerQuery(text: "x"))
            #expect(answer.candidates.count == 3)
            let rush = try #require(answer.candidates.first)
            // 2020-07-01T12:39:19.3915488+01:00
            let expected = Date(timeIntervalSince1970: 1_593_603_559.3915488)
            #expect(abs((rush.publishDate ?? .distantPast).timeIntervalSince(expected)) < 0.001, "\(String(describing: rush.publishDate))")
            #expect(rush.fileCount == 91 && rush.minimumSeedTimeSecs == 172_800 && rush.minimumRatio == 1 && rush.isFreeleech)
            let rarbg = try #require(answer.candidates.first { $0.indexer == "RARBG" })
            #expect(rarbg.seeders == 10 && rarbg.leechers == 0, "Peers 6 < Seeders 10: no negative leechers")
            #expect(rarbg.publishDate == Date(timeIntervalSince1970: 1_593_602_915), "2020-07-01T12:28:35+01:00")
            #expect(answer.failures.count == 1)
            guard case .failed(let indexer, let message)? = answer.failures.first else { Issue.record("\(answer.failures)"); return }
            #expect(indexer == "jackett/CornLeech" && message.contains("IndexerException"))
        }
    }

    @Test("caps: a Newznab server without supportedParams (Lidarr's defaults), Prowlarr's q-only feed, Jackett's [q] music search")
    func capsDocuments() throws {
        let okComputer = IndexerQuery(text: "Radiohead OK Computer", artist: "Radiohead", album: "OK Computer", year: 1997)
        func items(_ caps: TorznabCaps) -> [String: String] {
            Dictionary(caps.request(for: okComputer).map { ($0.0, $0.1) }, uniquingKeysWith: { a, _ in a })
        }
        let newznab = try #require(TorznabCaps.parse(try Self.fixture("lidarr_newznab_caps.xml")))
        #expect(newznab.music?.params == ["q", "artist", "album"])
        #expect(newznab.musicCategories == ["3000", "3010", "3020", "3030", "3040"])
        #expect(
            items(newznab) == [
                "t": "music", "artist": "Radiohead", "album": "OK Computer", "q": "Radiohead OK Computer", "cat": "3000,3010,3020,3030,3040",
            ])

        let prowlarr = try #require(TorznabCaps.parse(try Self.fixture("prowlarr_torznab_animetosho_caps.xml")))
        #expect(prowlarr.music == nil)
        #expect(items(prowlarr) == ["t": "search", "q": "Radiohead OK Computer", "cat": "3000"])

        // Jackett's t=indexers answer embeds each tracker's caps; bitsearch is a `music-search: [q]` definition.
        let indexers = String(decoding: try Self.fixture("jackett_t_indexers_torznabclient_excerpt.xml"), as: UTF8.self)
        let bitsearch = try #require(indexers.range(of: #"<indexer id="bitsearch""#))
        let capsStart = try #require(indexers.range(of: "<caps>", range: bitsearch.upperBound..<indexers.endIndex))
        let capsEnd = try #require(indexers.range(of: "</caps>", range: capsStart.upperBound..<indexers.endIndex))
        let jackett = try #require(TorznabCaps.parse(Data(indexers[capsStart.lowerBound..<capsEnd.upperBound].utf8)))
        #expect(jackett.music == TorznabCaps.Mode(available: true, params: ["q"]))
        let request = items(jackett)
        #expect(request["t"] == "music" && request["q"] == "Radiohead OK Computer", "\(request)")
        #expect(request["artist"] == nil && request["album"] == nil && request["year"] == nil, "nothing the caps do not list: \(request)")
    }

    @Test("Retry-After as seconds, as an HTTP date, or nonsense")
    func retryAfter() {
        let now = Date(timeIntervalSince1970: 1_700_000_000)
        #expect(FetchError.retryAfterSeconds("4", now: now) == 4)
        #expect(FetchError.retryAfterSeconds(" 120 ", now: now) == 120)
        #expect(FetchError.retryAfterSeconds("Tue, 14 Nov 2023 22:13:40 GMT", now: now) == 20)
        #expect(FetchError.retryAfterSeconds("Tue, 14 Nov 2023 22:00:00 GMT", now: now) == 0, "a date in the past")
        #expect(FetchError.retryAfterSeconds("soon", now: now) == nil)
        #expect(FetchError.retryAfterSeconds("-3", now: now) == nil)
    }
}
