import ArgumentParser
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Server

/// `downloader2 health`: asks a running server's `GET /api/v1/health` (no token needed), prints the
/// answer and exits 0 only when it says `ok`: the container image's `HEALTHCHECK`, and a probe for
/// scripts and monitoring that do not carry an HTTP client.
struct Health: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check a running server: GET /api/v1/health; exit 0 when it is healthy, 1 otherwise.")

    @OptionGroup var options: GlobalOptions
    @Option(help: "Server URL (default: from the configuration).") var server: String?
    @Option(help: "Seconds to wait for the answer.") var timeout: Double = 10

    func run() async throws {
        let config = try options.loadConfig().config
        let url = try APIClient.serverURL(config: config, server: server).appendingPathComponent("api/v1/health")
        var request = URLRequest(url: url)
        request.timeoutInterval = timeout
        let status: Int
        let body: Data
        do {
            let (data, response) = try await URLSession.shared.data(for: request)
            status = (response as? HTTPURLResponse)?.statusCode ?? 0
            body = data
        } catch {
            print("unhealthy: cannot reach \(url.absoluteString): \(error.localizedDescription)")
            throw ExitCode(1)
        }
        let answer = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any]
        let said = answer?["status"] as? String
        if status == 200, said == "ok" {
            print("ok: \(url.absoluteString) (downloader2 \(answer?["version"] as? String ?? "?"))")
            return
        }
        let detail = answer?["database"] as? String ?? String(decoding: body.prefix(300), as: UTF8.self)
        print("unhealthy: \(url.absoluteString) answered \(status) \(said ?? ""): \(detail)")
        throw ExitCode(1)
    }
}
