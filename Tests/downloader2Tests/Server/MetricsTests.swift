import Foundation
import Hummingbird
import HummingbirdTesting
import Pipeline
import Prometheus
import Server
import Testing
import Tickets

@Suite("Prometheus /metrics")
struct MetricsTests {
    @Test("Tickets by state are counted at each scrape, without a token, as Prometheus text")
    func ticketsByState() async throws {
        let harness = try APIHarness()
        for n in 0..<3 {
            let ticket = Fixtures.ticket(id: "m-\(n)", root: harness.mediaRoot)
            _ = try await harness.orchestrator.submit(ticket, submittedJSON: Fixtures.json(ticket))
        }
        _ = try await harness.orchestrator.cancel("m-2")
        try await harness.test { client in
            let answer = try await client.client.execute(uri: "/metrics", method: .get)
            #expect(answer.status == .ok)
            #expect(answer.headers[.contentType]?.hasPrefix("text/plain") == true)
            let text = String(buffer: answer.body)
            #expect(text.contains(#"downloader2_tickets{state="pending"} 2"#), "\(text)")
            #expect(text.contains(#"downloader2_tickets{state="cancelled"} 1"#))
            #expect(text.contains(#"downloader2_tickets{state="completed"} 0"#))
            #expect(text.contains("# TYPE downloader2_tickets gauge"))
        }
    }
}
