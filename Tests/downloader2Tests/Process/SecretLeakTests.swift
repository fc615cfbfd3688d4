import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Testing
import Tickets

/// Indexer keys configured for the real binary; every kind of indexer failure happens; then the
/// database files, the log, every event and every API response are searched for the key.
@Suite("Secrets never leave the configuration")
struct SecretLeakTests {
    static let key = "LEAKCHECK9f8e7d6c5b4a"

    /// Each path fails its own way, and each quotes the key back where it can (as real servers do).
    static func router(port: @escaping @Sendable () -> Int) -> Router<BasicRequestContext> {
        let router = Router()
        @Sendable func text(_ status: HTTPResponse.Status, _ body: String) -> Response {
            Response(status: status, body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
        }
        router.get("jk/api/v2.0/indexers/all/results") { request, _ -> Response in
            guard request.uri.queryParameters.get("apikey") == key else { return text(.unauthorized, "bad key") }
            let link = "http://127.0.0.1:\(port())/dl/missing.torrent?jackett_apikey=\(key)&path=abc"
            return Response(
                status: .ok, headers: [.contentType: "application/json"],
                body: ResponseBody(
                    byteBuffer: ByteBuffer(
                        string: """
                            {"Results":[{"Title":"Radiohead - OK Computer (1997) [FLAC / Lossless / CD]","Tracker":"t","Link":"\(link)","MagnetUri":null,\
                            "InfoHash":"\(String(repeating: "5e", count: 20))","Size":412345678,"Seeders":12,"Peers":15}],"Indexers":[]}
                            """)))
        }
        router.get("dl/missing.torrent") { request, _ in text(.notFound, "no torrent at \(request.uri.description)") }
        router.get("t401/api") { request, _ in text(.unauthorized, "key \(request.uri.queryParameters.get("apikey") ?? "") refused") }
        router.get("t502/api") { request, _ in text(.badGateway, "upstream failed for \(request.uri.description)") }
        router.get("tslow/api") { _, _ -> Response in
            // An indexer that answers late, on purpose (the timeout's message is under test).
            try await Task.sleep(for: .seconds(10))
            return text(.ok, "late")
        }
        router.get("tgarbage/api") { request, _ in text(.ok, "<html>maintenance \(request.uri.description) <b>") }
        router.get("tloop/api") { request, _ -> Response in
            Response(status: .found, headers: [.location: "http://127.0.0.1:\(port())\(request.uri.description)"])
        }
        return router
    }

    @Test("401, 5xx, timeout, garbage, a redirect loop and a .torrent link that 404s: the key is in no file, log line, event or response")
    func noLeak() async throws {
        let dir = TemporaryDirectory("secrets")
        try FileManager.default.createDirectory(atPath: dir.file("media"), withIntermediateDirectories: true)
        let fixturePort = PortBox()
        let fixture = Application(router: Self.router { fixturePort.value }, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await fixture.test(.live) { client in
            fixturePort.value = client.port!
            try await scenario(base: "http://127.0.0.1:\(client.port!)", dir: dir)
        }
    }

    func scenario(base: String, dir: TemporaryDirectory) async throws {
        do {
            let port = try freeLoopbackPort()
            let feeds = ["t401", "t502", "tslow", "tgarbage", "tloop"].map { "\"\(base)/\($0)/api?apikey=\(Self.key)\"" }
            // A generous Jackett timeout: the one release must come through on a loaded machine.
            let config = try ServiceEndToEndTests().config(
                dir, port: port, jackett: Int(base.split(separator: ":").last!)!, jackettPath: "/jk", apiKey: Self.key, indexerTimeoutSecs: 60,
                extraSections: "[torznab]\nfeeds = [\(feeds.joined(separator: ", "))]\ntimeout_secs = 3")
            let service = try ServiceProcess(["serve", "--config", config], environment: ["LOG_LEVEL": "debug"], log: dir.file("serve.log"))
            let http = LiveHTTP(port: port, token: ServiceEndToEndTests.token)
            await service.waitUntilHealthy(http)

            // Given a ticket whose only release links a .torrent that 404s, while every feed fails (how
            // each fails may vary on a loaded machine, a 502 can become a timeout; what is checked is
            // that no failure of any kind lets the key out)
            let ticket = Fixtures.ticket(id: "leak", root: dir.file("media"))
            #expect(try await http.send("POST", "/api/v1/ticket", body: Fixtures.json(ticket)).status == 201)
            let waiting = await eventually(within: 90) {
                (try? await http.send("GET", "/api/v1/ticket/leak").json["state"]?.stringValue) == "needs_approval"
            }
            #expect(waiting, "the release without a file list waits for a person: \(service.log.suffix(2000))")
            // When a person approves it, the download stage fetches the 404 link and the ticket fails
            #expect(try await http.send("POST", "/api/v1/ticket/leak/approve", body: #"{"candidate_idx":0}"#).status == 200)
            let failed = await eventually(within: 60) { (try? await http.send("GET", "/api/v1/ticket/leak").json["state"]?.stringValue) == "failed" }
            #expect(failed, "the 404 link fails the download")

            // Then the failures are described…
            let view = try await http.send("GET", "/api/v1/ticket/leak")
            let described = "\(view.json)"
            #expect(described.contains("***"), "errors keep their shape with the key masked: \(described.prefix(3000))")
            // …and the key is nowhere
            var texts: [(String, String)] = []
            for path in ["/api/v1/ticket/leak", "/api/v1/tickets", "/api/v1/ticket/leak/events", "/api/v1/config", "/api/v1/stats", "/api/v1/health"]
            {
                texts.append((path, "\(try await http.send("GET", path).json)"))
            }
            let metrics = try await URLSession.shared.data(from: URL(string: "http://127.0.0.1:\(port)/metrics")!).0
            texts.append(("/metrics", String(decoding: metrics, as: UTF8.self)))
            service.stop()
            texts.append(("log", service.log))
            #expect(service.log.contains("t401") || service.log.contains("leak"), "the log says something about the work")
            for name in try FileManager.default.contentsOfDirectory(atPath: dir.file("data")) {
                let bytes = try Data(contentsOf: URL(fileURLWithPath: dir.file("data/\(name)")))
                texts.append(("data/\(name)", String(decoding: bytes, as: UTF8.self)))
            }
            for (place, text) in texts {
                #expect(!text.contains(Self.key), "the key leaked into \(place): …\(Self.context(of: Self.key, in: text))")
            }
        }
    }
}

extension SecretLeakTests {
    /// Up to 200 characters before the first occurrence of `needle`, to show where it leaked.
    static func context(of needle: String, in text: String) -> String {
        guard let range = text.range(of: needle) else { return "" }
        let start = text.index(range.lowerBound, offsetBy: -200, limitedBy: text.startIndex) ?? text.startIndex
        return String(text[start..<range.upperBound])
    }
}

/// A port learnt after the fixture starts, read by its handlers.
final class PortBox: @unchecked Sendable {
    // @unchecked: written once before any request is served, then only read.
    var value = 0
}
