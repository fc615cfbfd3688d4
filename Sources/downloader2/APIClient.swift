import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import ArgumentParser
import Server

/// A small client of the service's own API, for the CLI commands that talk to a running server.
struct APIClient {
    let baseURL: URL
    let token: String

    init(config: AppConfig, server: String?) throws {
        baseURL = try Self.serverURL(config: config, server: server)
        token = try AuthToken.resolve(config, createIfMissing: false).token
    }

    /// `--server`, or where the configuration says the server listens; one listening on every
    /// address (0.0.0.0, ::) is asked on 127.0.0.1, an IPv6 address goes in brackets.
    static func serverURL(config: AppConfig, server: String?) throws -> URL {
        let host = ["0.0.0.0", "::", ""].contains(config.server.host) ? "127.0.0.1" : config.server.host
        guard let url = URL(string: server ?? "http://\(host.contains(":") ? "[\(host)]" : host):\(config.server.port)") else {
            throw ValidationError("--server must be a URL like http://127.0.0.1:8080")
        }
        return url
    }

    /// Sends a request and returns status and body; transport failures name the server.
    func send(_ method: String, _ path: String, body: Data? = nil) async throws -> (status: Int, body: Data) {
        var request = URLRequest(url: baseURL.appendingPathComponent("api/v1").appendingPathComponent(path))
        request.httpMethod = method
        request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
        if let body {
            request.httpBody = body
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        do {
            let (data, response) = try await URLSession.shared.data(for: request)
            return ((response as? HTTPURLResponse)?.statusCode ?? 0, data)
        } catch {
            throw CLIError("cannot reach the server at \(baseURL.absoluteString): \(error.localizedDescription)")
        }
    }
}

/// A CLI failure with a message for people.
struct CLIError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
