import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import HummingbirdWSClient
import HummingbirdWSTesting
import Logging
import Pipeline
import Server
import Synchronization
import Testing
import Tickets

/// `WS /api/v1/ws`: replay from the store, then live, every stored event exactly once and in order.
@Suite("Event WebSocket")
struct EventSocketTests {
    static var auth: WebSocketClientConfiguration {
        WebSocketClientConfiguration(additionalHeaders: [.authorization: "Bearer \(APIHarness.token)"])
    }

    /// Collects decoded events until `stop` says so, then closes.
    final class Received: Sendable {
        let events = Mutex<[TicketEvent]>([])
        var all: [TicketEvent] { events.withLock { $0 } }
        var seqs: [Int] { all.filter { $0.seq > 0 }.map(\.seq) }
    }

    @Test("A client from the start and one reconnecting with since see each event once, in order; progress passes live")
    func replayThenLive() async throws {
        let harness = try APIHarness()
        let ticket = Fixtures.ticket(id: "ws-1", root: harness.mediaRoot)
        _ = try await harness.orchestrator.submit(ticket, submittedJSON: Fixtures.json(ticket))
        let app = buildApplication(harness.dependencies)
        try await app.test(.live) { client in
            // Given a client connected with since=0: it first gets the stored 'created' event,
            // then, live, what happens while it listens
            let first = Received()
            try await bounded(within: 60, "the first client's events up to the cancel") {
                _ = try await client.ws("/api/v1/ws?ticket_id=ws-1&since=0", configuration: Self.auth) { inbound, outbound, _ in
                    var acted = false
                    for try await message in inbound.messages(maxSize: 1 << 20) {
                        guard case .text(let text) = message else { continue }
                        let event = try TicketJSON.decoder().decode(TicketEvent.self, from: Data(text.utf8))
                        first.events.withLock { $0.append(event) }
                        if !acted {
                            acted = true
                            _ = try await harness.orchestrator.forceSearch("ws-1", query: "radiohead okc")
                            harness.orchestrator.events.publish([
                                TicketEvent(ticketId: "ws-1", seq: 0, type: .progress, payload: .object(["percent": .number(50)]), at: Date())
                            ])
                            _ = try await harness.orchestrator.cancel("ws-1")
                        }
                        if first.all.contains(where: { $0.type == .stateChange }) { break }
                    }
                    try await outbound.close(.normalClosure, reason: nil)
                }
            }
            let stored = try await harness.database.events(ticketId: "ws-1")
            #expect(first.seqs == stored.map(\.seq), "every stored event once, in order: \(first.seqs) vs \(stored.map(\.seq))")
            #expect(first.all.contains { $0.type == .progress }, "progress snapshots arrive live")

            // When a second client reconnects with since=1, it gets the rest and nothing twice
            let second = Received()
            try await bounded(within: 60, "the reconnecting client's events up to the last stored one") {
                _ = try await client.ws("/api/v1/ws?ticket_id=ws-1&since=1", configuration: Self.auth) { inbound, outbound, _ in
                    for try await message in inbound.messages(maxSize: 1 << 20) {
                        guard case .text(let text) = message else { continue }
                        let event = try TicketJSON.decoder().decode(TicketEvent.self, from: Data(text.utf8))
                        second.events.withLock { $0.append(event) }
                        if second.seqs.last == stored.last?.seq { break }
                    }
                    try await outbound.close(.normalClosure, reason: nil)
                }
            }
            #expect(second.seqs == stored.map(\.seq).filter { $0 > 1 })
        }
    }

    @Test("Upgrades are refused without the token, for an unknown ticket, and for since without a ticket")
    func refusals() async throws {
        let harness = try APIHarness()
        let app = buildApplication(harness.dependencies)
        try await app.test(.live) { client in
            for (path, configuration) in [
                ("/api/v1/ws", WebSocketClientConfiguration()),
                // A browser's subprotocol token must be the right one too
                ("/api/v1/ws", WebSocketClientConfiguration(additionalHeaders: [.secWebSocketProtocol: "downloader2.v1, bearer.wrong-token"])),
                ("/api/v1/ws?ticket_id=nope", Self.auth),
                ("/api/v1/ws?since=3", Self.auth),
                ("/api/v1/ws?ticket_id=nope&since=-1", Self.auth),
            ] {
                let opened = Mutex(false)
                do {
                    try await client.ws(path, configuration: configuration) { _, outbound, _ in
                        opened.withLock { $0 = true }
                        try await outbound.close(.normalClosure, reason: nil)
                    }
                } catch {
                    // refused: the client reports the failed upgrade
                }
                #expect(!opened.withLock { $0 }, "\(path) must not upgrade")
            }
            // The HTTP answer itself names the problem
            let answer = try await client.execute(uri: "/api/v1/ws?since=3", method: .get, headers: [.authorization: "Bearer \(APIHarness.token)"])
            #expect(answer.status == .badRequest)
            #expect(String(buffer: answer.body).contains("since needs ticket_id"))
            let plain = try await client.execute(uri: "/api/v1/ws", method: .get, headers: [.authorization: "Bearer \(APIHarness.token)"])
            #expect(plain.status == .upgradeRequired)
            // The right subprotocol token opens the socket, and the chosen subprotocol is named
            let opened = Mutex(false)
            let browserLike = WebSocketClientConfiguration(additionalHeaders: [.secWebSocketProtocol: "downloader2.v1, bearer.\(APIHarness.token)"])
            try await client.ws("/api/v1/ws", configuration: browserLike) { _, outbound, _ in
                opened.withLock { $0 = true }
                try await outbound.close(.normalClosure, reason: nil)
            }
            #expect(opened.withLock { $0 })
            let wrong = try await client.execute(uri: "/api/v1/ws", method: .get, headers: [.secWebSocketProtocol: "bearer.wrong-token"])
            #expect(wrong.status == .unauthorized)
        }
    }
}
