import Foundation
import Hummingbird
import HummingbirdTesting
import Server
import Testing
import Tickets

@Suite("REST API over a live port")
struct LiveConcurrencyTests {
    @Test("1,000 tickets submitted concurrently are all stored, once each, with no error")
    func thousandConcurrentSubmissions() async throws {
        let h = try APIHarness()
        let bodies = (0..<1000).map { Fixtures.json(Fixtures.ticket(id: "bulk-\($0)", root: h.mediaRoot)) }
        let app = Application(router: buildRouter(h.dependencies), configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live) { client in
            let port = try #require(client.port)
            let http = LiveHTTP(port: port, token: APIHarness.token, maxConnections: 64)
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for body in bodies {
                    group.addTask { try await http.send("POST", "/api/v1/ticket", body: body).status }
                }
                return try await group.reduce(into: [Int: Int]()) { $0[$1, default: 0] += 1 }
            }
            #expect(statuses == [201: 1000])
            // Submitting them all again changes nothing: 200 each, still 1,000 stored.
            let again = try await withThrowingTaskGroup(of: Int.self) { group in
                for body in bodies.prefix(200) {
                    group.addTask { try await http.send("POST", "/api/v1/ticket", body: body).status }
                }
                return try await group.reduce(into: [Int: Int]()) { $0[$1, default: 0] += 1 }
            }
            #expect(again == [200: 200])
            let list = try await http.send("GET", "/api/v1/tickets?limit=1")
            #expect(list.json["total"] == .number(1000))
        }
        let stored = try await h.database.tickets(limit: 500, offset: 0)
        #expect(stored.total == 1000)
        #expect(try await h.database.queueStats().countByState == [.pending: 1000])
        #expect(try await h.database.events(ticketId: "bulk-999").map(\.type) == [.created])
    }
}
