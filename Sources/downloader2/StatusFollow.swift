import Foundation
import HummingbirdWSClient
import Logging
import Synchronization
import Tickets

/// `downloader2 status ID --follow`: the ticket's history, then live progress on one redrawn line
/// (a terminal) or one line per step (a pipe), until it ends. A dropped connection (the service
/// restarting) is resumed from the last event seen, so nothing prints twice.
struct TicketFollower {
    let client: APIClient
    let ticketId: String
    let isTerminal = isatty(STDOUT_FILENO) != 0

    /// Returns the final state's name.
    func run() async throws -> String {
        let seen = FollowState()
        while seen.final == nil {
            let since = seen.since
            var url = URLComponents(url: client.baseURL.appendingPathComponent("api/v1/ws"), resolvingAgainstBaseURL: false)!
            url.scheme = url.scheme == "https" ? "wss" : "ws"
            url.queryItems = [URLQueryItem(name: "ticket_id", value: ticketId), URLQueryItem(name: "since", value: "\(since)")]
            let configuration = WebSocketClientConfiguration(additionalHeaders: [.authorization: "Bearer \(client.token)"])
            do {
                try await WebSocketClient.connect(url: url.string!, configuration: configuration, logger: Logger(label: "follow")) {
                    inbound, outbound, _ in
                    for try await message in inbound.messages(maxSize: 1 << 22) {
                        guard case .text(let text) = message else { continue }
                        let event = try TicketJSON.decoder().decode(TicketEvent.self, from: Data(text.utf8))
                        if let line = render(event) {
                            if event.type != .progress {
                                show(step: line)
                            } else if seen.replaceLine(with: line) {
                                show(progress: line)
                            }
                        }
                        if event.seq > 0 { seen.advance(to: event.seq) }
                        if event.type == .stateChange, let state = event.payload["new_state"]?.stringValue,
                            ["completed", "failed", "cancelled", "rejected"].contains(state)
                        {
                            seen.finish(state)
                            break
                        }
                    }
                    try? await outbound.close(.normalClosure, reason: nil)
                }
            } catch {
                show(step: "connection lost (\(error)); retrying in 2 s")
            }
            if seen.final == nil { try await Task.sleep(for: .seconds(2)) }
        }
        return seen.final!
    }

    private func show(progress line: String) {
        if isTerminal {
            // Written straight to the descriptor: a redrawn line must appear now, not at the next newline.
            FileHandle.standardOutput.write(Data(("\r\u{1B}[2K" + line).utf8))
        } else {
            FileHandle.standardOutput.write(Data((line + "\n").utf8))
        }
    }

    private func show(step line: String) {
        FileHandle.standardOutput.write(Data(((isTerminal ? "\r\u{1B}[2K" : "") + line + "\n").utf8))
    }

    func render(_ event: TicketEvent) -> String? {
        let p = event.payload
        switch event.type {
        case .stateChange:
            let to = p["new_state"]?.stringValue ?? "?"
            var line = "→ \(to)"
            if to == "failed", let error = p["details"]?["error"]?.stringValue { line += ": \(error)" }
            return line
        case .needsApproval:
            return "needs approval: approve with POST /api/v1/ticket/\(ticketId)/approve (or the admin page)"
        case .retryScheduled:
            return "retry scheduled: \(p["error"]?.stringValue ?? "")"
        case .progress:
            let percent = p["percent"]?.doubleValue ?? 0
            let bar = Self.bar(percent)
            switch p["stage"]?.stringValue {
            case "downloading":
                let rate = (p["download_rate"]?.doubleValue ?? 0) / 1_048_576
                let eta = p["eta_secs"]?.intValue.map { " ETA \($0)s" } ?? ""
                return String(format: "%@ %5.1f%% downloading %.1f MB/s, %d peer(s)%@", bar, percent, rate, p["peers"]?.intValue ?? 0, eta)
            case "converting":
                let index = (p["current_track_idx"]?.intValue ?? 0) + 1
                return String(
                    format: "%@ %5.1f%% converting track %d/%d %@", bar, percent, index, p["total_tracks"]?.intValue ?? 0,
                    p["current_track_name"]?.stringValue ?? "")
            case "placing":
                let placed = p["files_placed"]?.intValue ?? 0, total = p["total_files"]?.intValue ?? 0
                return "\(Self.bar(total > 0 ? Double(placed) * 100 / Double(total) : 0)) placing \(placed)/\(total) \(p["path"]?.stringValue ?? "")"
            default:
                return nil
            }
        default:
            return "\(event.type.rawValue)"
        }
    }

    static func bar(_ percent: Double, width: Int = 24) -> String {
        let filled = max(0, min(width, Int(percent / 100 * Double(width))))
        return "[" + String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled) + "]"
    }
}

/// What the follower has shown so far; written from the WebSocket handler.
final class FollowState: Sendable {
    private let state = Mutex<(since: Int, line: String, final: String?)>((0, "", nil))

    var since: Int { state.withLock { $0.since } }
    var final: String? { state.withLock { $0.final } }
    func advance(to seq: Int) { state.withLock { $0.since = seq } }
    func finish(_ name: String) { state.withLock { $0.final = name } }

    /// Whether `line` differs from the progress line on screen (and is now it).
    func replaceLine(with line: String) -> Bool {
        state.withLock { state in
            defer { state.line = line }
            return state.line != line
        }
    }
}
