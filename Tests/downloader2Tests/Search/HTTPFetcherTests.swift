import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import Search
import Testing
import Tickets

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
            // A server that answers late, on purpose (the fetcher's timeout is under test).
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

/// A loopback server that answers each connection with `response` verbatim and closes: for
/// answers no well-behaved HTTP framework will produce (a body shorter than its Content-Length).
final class RawHTTPServer: @unchecked Sendable {
    // @unchecked: `fd` and `port` are set in init and only read afterwards; the accept thread owns the socket.
    let port: Int
    private let fd: Int32

    init(response: String) throws {
        let sock = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(sock, $0, length) } }
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(sock, $0, &length) } }
        guard listen(sock, 8) == 0 else { throw POSIXError(.EADDRINUSE) }
        fd = sock
        port = Int(UInt16(bigEndian: address.sin_port))
        Thread.detachNewThread {
            while true {
                let client = accept(sock, nil, nil)
                if client < 0 { return }
                var buffer = [UInt8](repeating: 0, count: 4096)
                _ = read(client, &buffer, buffer.count)
                _ = response.withCString { write(client, $0, strlen($0)) }
                close(client)
            }
        }
    }

    deinit { shutdown(fd, Int32(SHUT_RDWR)); close(fd) }
}

@Suite("HTTP fetcher (libcurl): broken servers")
struct HTTPFetcherBrokenServerTests {
    @Test("a body cut short of its Content-Length is a retryable transfer error, not data")
    func truncatedBody() async throws {
        let server = try RawHTTPServer(response: "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"Results\":[")
        let url = "http://127.0.0.1:\(server.port)/api/v2.0/indexers/all/results"
        do {
            _ = try await HTTPFetcher(totalTimeout: 10).get(url)
            Issue.record("a truncated body must not be returned as data")
        } catch {
            guard case .transfer(_, let message) = error else { Issue.record("\(error)"); return }
            #expect(error.isRetryable)
            #expect(message.lowercased().contains("partial"), "\(message)")
        }
        let outcome = await CandidateSearch(
            indexers: [JackettClient(baseURL: "http://127.0.0.1:\(server.port)", apiKey: "k")], retries: 1, retryDelay: .milliseconds(10)
        )
        .search(TicketSearch(artist: "Radiohead", album: "OK Computer"))
        guard case .unavailable = outcome.errors.first else { Issue.record("\(outcome.errors)"); return }
        #expect(outcome.candidates.isEmpty)
    }
}
