import Foundation
import HTTPTypes
import Hummingbird
import Server
import Storage
import Testing
import Tickets

@Suite("REST API: operator actions")
struct AdminAPITests {
    let h = try! APIHarness()

    func store(_ id: String, in state: TicketStateName) async throws {
        try await h.database.storeTicket(Fixtures.ticket(id: id, root: h.mediaRoot), in: state)
    }

    @Test("approve takes the recommended candidate, or candidate_idx; out of range is 422; wrong state is 409")
    func approve() async throws {
        try await store("a1", in: .needsApproval)
        try await store("a2", in: .needsApproval)
        try await store("a3", in: .needsApproval)
        try await store("p", in: .pending)
        try await h.test { api in
            let recommended = try await api.post("/api/v1/ticket/a1/approve")
            #expect(recommended.status == .ok && recommended.json["state"] == .string("approved"))
            #expect(recommended.json["state_details"]?["selected"]?["torrent"]?["title"] == .string(Fixtures.candidate(0).title))
            #expect(recommended.json["state_details"]?["approved_by"] == .string("api"))
            let chosen = try await api.post("/api/v1/ticket/a2/approve", #"{"candidate_idx": 1}"#)
            #expect(chosen.json["state_details"]?["selected"]?["torrent"]?["title"] == .string(Fixtures.candidate(1).title))
            let outOfRange = try await api.post("/api/v1/ticket/a3/approve", #"{"candidate_idx": 7}"#)
            #expect(outOfRange.status == .unprocessableContent && outOfRange.errorField == "candidate_idx")
            let negative = try await api.post("/api/v1/ticket/a3/approve", #"{"candidate_idx": -1}"#)
            #expect(negative.status == .unprocessableContent)
            let wrongType = try await api.post("/api/v1/ticket/a3/approve", #"{"candidate_idx": "first"}"#)
            #expect(wrongType.status == .unprocessableContent && wrongType.errorField == "candidate_idx")
            #expect(try await api.post("/api/v1/ticket/p/approve").status == .conflict)
            #expect(try await api.post("/api/v1/ticket/a1/approve").status == .conflict)
            #expect(try await api.post("/api/v1/ticket/none/approve").status == .notFound)
        }
        #expect(try await h.database.ticket(id: "a3")?.state.name == .needsApproval)
        let events = try await h.database.events(ticketId: "a2")
        #expect(events.last?.payload["new_state"] == .string("approved"))
    }

    @Test("reject records the reason; only a ticket waiting for approval can be rejected")
    func reject() async throws {
        try await store("r1", in: .needsApproval)
        try await store("r2", in: .downloading)
        try await h.test { api in
            let rejected = try await api.post("/api/v1/ticket/r1/reject", #"{"reason": "Wrong album"}"#)
            #expect(rejected.status == .ok && rejected.json["state"] == .string("rejected"))
            #expect(rejected.json["state_details"]?["reason"] == .string("Wrong album"))
            #expect(try await api.post("/api/v1/ticket/r2/reject", #"{"reason": "x"}"#).status == .conflict)
            #expect(try await api.post("/api/v1/ticket/r1/reject", "{not json").status == .badRequest)
        }
    }

    @Test("retry sends a failed ticket back to its last safe state with a fresh retry budget; anything else is 409")
    func retry() async throws {
        try await store("f1", in: .failed)
        try await store("f2", in: .autoApproved)
        _ = try await h.database.updateTicket(id: "f2") { _ in TicketUpdate(state: Fixtures.state(.downloading)) }
        _ = try await h.database.updateTicket(id: "f2") { _ in
            TicketUpdate(
                state: .failed(
                    .init(failedAtState: .downloading, code: "disk_full", error: "no space", retryable: true, retryCount: 3, failedAt: Date())),
                retryCount: 3)
        }
        try await store("ok", in: .completed)
        try await h.test { api in
            let searched = try await api.post("/api/v1/ticket/f1/retry")
            #expect(searched.status == .ok && searched.json["state"] == .string("pending"))
            let downloaded = try await api.post("/api/v1/ticket/f2/retry")
            #expect(downloaded.json["state"] == .string("auto_approved"))
            #expect(downloaded.json["retry_count"] == .number(0))
            #expect(try await api.post("/api/v1/ticket/ok/retry").status == .conflict)
            #expect(try await api.post("/api/v1/ticket/f1/retry").status == .conflict)
        }
    }

    @Test("force-search: a pending ticket takes the query, a rejected one returns to pending; empty query is 422")
    func forceSearch() async throws {
        try await store("q1", in: .pending)
        try await store("q2", in: .rejected)
        try await store("q3", in: .downloading)
        try await h.test { api in
            let pending = try await api.post("/api/v1/ticket/q1/force-search", #"{"query": "Radiohead OK Computer OKNOTOK"}"#)
            #expect(pending.status == .ok && pending.json["search_query"] == .string("Radiohead OK Computer OKNOTOK"))
            let rejected = try await api.post("/api/v1/ticket/q2/force-search", #"{"query": "radiohead ok computer 24bit"}"#)
            #expect(rejected.json["state"] == .string("pending") && rejected.json["search_query"] == .string("radiohead ok computer 24bit"))
            #expect(try await api.post("/api/v1/ticket/q3/force-search", #"{"query": "x"}"#).status == .conflict)
            let empty = try await api.post("/api/v1/ticket/q1/force-search", #"{"query": "  "}"#)
            #expect(empty.status == .unprocessableContent && empty.errorField == "query")
            let missing = try await api.post("/api/v1/ticket/q1/force-search", "{}")
            #expect(missing.status == .unprocessableContent && missing.errorField == "query")
        }
        #expect(try await h.database.events(ticketId: "q1").last?.type == .searchQuerySet)
    }
}

@Suite("REST API: auth, health, stats, config")
struct StatusAPITests {
    let h = try! APIHarness { $0.jackett.apiKey = "jackett-secret" }

    @Test("every endpoint but health needs the bearer token; failures are 401 in the error shape")
    func auth() async throws {
        try await h.test { api in
            #expect(try await api.send(.get, "/api/v1/health", token: nil).status == .ok)
            for (method, path) in [
                (.get, "/api/v1/tickets"), (.post, "/api/v1/ticket"), (.get, "/api/v1/stats"), (.get, "/api/v1/config"),
                (.delete, "/api/v1/ticket/x"),
            ] as [(HTTPRequest.Method, String)] {
                let missing = try await api.send(method, path, token: nil)
                #expect(missing.status == .unauthorized && missing.errorCode == "unauthorized", "\(path)")
                #expect(missing.headers[.wwwAuthenticate] == "Bearer")
                let wrong = try await api.send(method, path, token: "test-token-0123456788")
                #expect(wrong.status == .unauthorized, "\(path)")
                let prefix = try await api.send(method, path, token: "test-token")
                #expect(prefix.status == .unauthorized, "\(path)")
            }
        }
    }

    @Test("the token comparison: equal only when every byte and the length match")
    func constantTimeCompare() {
        let token = Array("a".utf8) + [UInt8](repeating: 0x41, count: 31)
        #expect(BearerAuthMiddleware<BasicRequestContext>.constantTimeEquals(token, token))
        #expect(!BearerAuthMiddleware<BasicRequestContext>.constantTimeEquals(token, token + [0]))
        // Lengths 32 and 288 differ by 256: a difference that truncation to a byte would lose.
        #expect(!BearerAuthMiddleware<BasicRequestContext>.constantTimeEquals(token, token + [UInt8](repeating: 0, count: 256)))
        #expect(!BearerAuthMiddleware<BasicRequestContext>.constantTimeEquals([], token))
        #expect(!BearerAuthMiddleware<BasicRequestContext>.constantTimeEquals(token, Array(token.dropLast()) + [0x42]))
    }

    @Test("health reports the database; stats count by state; config hides secrets")
    func statusEndpoints() async throws {
        try await h.database.storeTicket(Fixtures.ticket(id: "s1", root: h.mediaRoot))
        try await h.database.storeTicket(Fixtures.ticket(id: "s2", root: h.mediaRoot), in: .failed)
        try await h.test { api in
            let health = try await api.get("/api/v1/health")
            #expect(health.json["status"] == .string("ok") && health.json["database"] == .string("ok"))
            let stats = try await api.get("/api/v1/stats")
            #expect(stats.json["total"] == .number(2))
            #expect(stats.json["by_state"]?["pending"] == .number(1) && stats.json["by_state"]?["failed"] == .number(1))
            #expect(stats.json["by_state"]?["completed"] == .number(0))
            #expect(stats.json["oldest_pending_age_secs"]?.intValue.map { $0 >= 0 } == true)
            let config = try await api.get("/api/v1/config")
            #expect(config.json["server"]?["auth_token"] == .string("***"))
            #expect(config.json["jackett"]?["api_key"] == .string("***"))
            #expect(config.json["server"]?["host"] == .string("127.0.0.1"))
            #expect(
                config.json["database"]?["url"] == .string("***") || config.json["database"]?["url"] == .string(""),
                "the database URL may hold a password")
            // With SQLite the node list is this node alone, named by [cluster] node_id or the host name.
            let nodes = try await api.get("/api/v1/nodes")
            #expect(nodes.json["database"] == .string("sqlite"))
            guard case .array(let list)? = nodes.json["nodes"] else { Issue.record("no nodes: \(nodes.json)"); return }
            #expect(list.count == 1 && list.first?["alive"] == .bool(true) && list.first?["tickets"] == .array([]))
            #expect(list.first?["id"] == nodes.json["this_node"] && nodes.json["this_node"]?.stringValue?.isEmpty == false)
        }
    }

    @Test("an unknown route is 404 and a wrong method is refused, both in the JSON error shape")
    func unknownRoutes() async throws {
        try await h.test { api in
            let missing = try await api.get("/api/v1/nothing-here")
            #expect(missing.status == .notFound && missing.errorCode == "not_found")
            let wrongMethod = try await api.send(.put, "/api/v1/tickets")
            #expect(wrongMethod.status.code >= 400 && wrongMethod.errorCode != nil)
        }
    }
}

@Suite("REST API: health checks")
struct HealthChecksAPITests {
    @Test("GET /health/checks needs the token and lists every check with its status; a missing media root is an error there")
    func healthChecks() async throws {
        let h = try APIHarness { config in
            config.placer.mediaRoots.append("/nonexistent-\(UUID().uuidString)")
            config.health.minFreeMb = 1
        }
        try await h.test { api in
            let report = try await api.get("/api/v1/health/checks")
            #expect(report.status == .ok)
            #expect(report.json["status"] == .string("error"))
            guard case .array(let checks)? = report.json["checks"] else { Issue.record("no checks: \(report.json)"); return }
            let missing = checks.first { $0["check"] == .string("media_root") && $0["subject"]?.stringValue?.hasPrefix("/nonexistent-") == true }
            #expect(missing?["status"] == .string("error"))
            #expect(checks.contains { $0["check"] == .string("encoder") && $0["status"] == .string("ok") })
            #expect(!checks.contains { $0["check"] == .string("listen_port") }, "inside serve the engine holds its own port")
        }
    }
}
