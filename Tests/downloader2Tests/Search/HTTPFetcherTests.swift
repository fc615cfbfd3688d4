import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Search
import Testing

/// The libcurl fetcher against a real HTTP server on a loopback port.
@Suite("HTTP fetcher (libcurl)")
struct HTTPFetcherTests {
    static let magnet = "magnet:?xt=urn:btih:" + String(repeating: "ab", count: 20) + "&dn=Album"

    func withServer(_ body: @escaping @Sendable (String) async throws -> Void) async throws {
        let router = Router()
        router.get("ok") { _, _ in "hello" }
        router.get("redirect") { _, _ in Response(status: .found, headers: [.location: "/ok"]) }
        router.get("to-magnet") { _, _ in Response(status: .found, headers: [.location: Self.magnet]) }
        router.get("loop") { _, _ in Response(status: .found, headers: [.location: "/loop"]) }
        router.get("big") { _, _ in String(repeating: "x", count: 65536) }
        router.get("slow") { _, _ -> String in
            try await Task.sleep(for: .seconds(3))
            return "late"
        }
        router.get("unauthorized") { _, _ -> Response in
            Response(status: .unauthorized, body: ResponseBody(byteBuffer: ByteBuffer(string: "Invalid API key")))
        }
        router.get("broken") { _, _ -> Response in
            Response(status: .internalServerError, body: ResponseBody(byteBuffer: ByteBuffer(string: "boom")))
        }
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live) { client in
            try await body("http://127.0.0.1:\(try #require(client.port))")
        }
    }

    @Test("a body, a followed redirect, and a redirect to a magnet returned as a magnet")
    func bodiesAndRedirects() async throws {
        try await withServer { base in
            let fetcher = HTTPFetcher()
            guard case .body(let data, let status, _, _) = try await fetcher.get(base + "/ok") else { Issue.record("no body"); return }
            #expect(status == 200 && String(decoding: data, as: UTF8.self) == "hello")
            guard case .body(let redirected, _, _, let finalURL) = try await fetcher.get(base + "/redirect") else { Issue.record("no body"); return }
            #expect(String(decoding: redirected, as: UTF8.self) == "hello" && finalURL.hasSuffix("/ok"))
            #expect(try await fetcher.get(base + "/to-magnet") == .magnet(Self.magnet))
        }
    }

    @Test("each failure is typed: 401, 500, too large, too slow, refused, redirect loop, bad URL")
    func typedFailures() async throws {
        try await withServer { base in
            var standard = HTTPFetcher(connectTimeout: 10, totalTimeout: 30, maxBytes: 1024)
            standard.maxRedirects = 3
            // Only for /slow, which answers after 3 s.
            let impatient = HTTPFetcher(connectTimeout: 10, totalTimeout: 0.5)
            func failure(_ url: String, with fetcher: HTTPFetcher? = nil) async -> FetchError? {
                let fetcher = fetcher ?? standard
                do {
                    _ = try await fetcher.get(url)
                    return nil
                } catch {
                    return error
                }
            }
            let unauthorized = await failure(base + "/unauthorized")
            #expect(unauthorized?.isAuthorizationFailure == true && unauthorized?.isRetryable == false)
            #expect(unauthorized?.description.contains("Invalid API key") == true)
            let broken = await failure(base + "/broken")
            #expect(broken == .httpStatus(url: base + "/broken", status: 500, excerpt: "boom") && broken?.isRetryable == true)
            #expect(await failure(base + "/big") == .tooLarge(url: base + "/big", limit: 1024))
            #expect(await failure(base + "/slow", with: impatient) == .timeout(url: base + "/slow", seconds: 0.5))
            #expect(await failure(base + "/loop") == .tooManyRedirects(url: base + "/loop"))
            let closed = "http://127.0.0.1:\(try freeLoopbackPort())/x"
            guard case .connect = await failure(closed) else { Issue.record("a closed port must be a connect error"); return }
            #expect(await failure("ftp://127.0.0.1/x") == .invalidURL("ftp://127.0.0.1/x"))
            #expect(await failure("not a url") == .invalidURL("not a url"))
        }
    }
}
