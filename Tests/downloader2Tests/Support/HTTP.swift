import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Tickets

/// A plain HTTP client over a real socket (URLSession), for tests against a live port.
struct LiveHTTP: Sendable {
    let base: String
    let token: String?
    let session: URLSession

    init(port: Int, token: String?, maxConnections: Int = 32) {
        base = "http://127.0.0.1:\(port)"
        self.token = token
        let configuration = URLSessionConfiguration.ephemeral
        configuration.httpMaximumConnectionsPerHost = maxConnections
        configuration.timeoutIntervalForRequest = 60
        session = URLSession(configuration: configuration)
    }

    /// `timeout` (seconds) bounds this request alone; the session's default is 60 s.
    func send(_ method: String, _ path: String, body: String? = nil, timeout: Double? = nil) async throws -> (status: Int, json: JSONValue) {
        var request = URLRequest(url: URL(string: base + path)!)
        request.httpMethod = method
        if let timeout { request.timeoutInterval = timeout }
        if let token { request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization") }
        if let body {
            request.httpBody = Data(body.utf8)
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        let (data, response) = try await session.data(for: request)
        guard let http = response as? HTTPURLResponse else { throw URLError(.badServerResponse) }
        return (http.statusCode, (try? JSONValue(json: data)) ?? .null)
    }
}

/// A TCP port on 127.0.0.1 that was free a moment ago.
func freeLoopbackPort() throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw POSIXError(.EMFILE) }
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = 0
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
    guard bound == 0 else { throw POSIXError(.EADDRINUSE) }
    _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
    return Int(UInt16(bigEndian: address.sin_port))
}
