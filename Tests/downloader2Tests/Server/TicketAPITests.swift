import Foundation
import Storage
import Testing
import Tickets

@Suite("REST API: tickets")
struct TicketAPITests {
    let h = try! APIHarness()

    func ticketJSON(_ id: String = "t-\(UUID().uuidString)", _ change: (inout Ticket) -> Void = { _ in }) -> String {
        var ticket = Fixtures.ticket(id: id, root: h.mediaRoot)
        change(&ticket)
        return Fixtures.json(ticket)
    }

    @Test("POST /ticket stores a ticket: 201 with its location, then the same ticket_id returns 200 and the stored ticket")
    func createIsIdempotent() async throws {
        let body = ticketJSON("idem-1")
        let other = ticketJSON("idem-1") { $0.search.album = "Kid A" }
        try await h.test { api in
            let created = try await api.post("/api/v1/ticket", body)
            #expect(created.status == .created)
            #expect(created.json["ticket_id"] == .string("idem-1"))
            #expect(created.json["state"] == .string("pending"))
            #expect(created.headers[.location] == "/api/v1/ticket/idem-1")
            let again = try await api.post("/api/v1/ticket", other)
            #expect(again.status == .ok)
            #expect(again.json["ticket"]?["search"]?["album"] == .string("OK Computer"))
        }
        #expect(try await h.database.tickets(limit: 10, offset: 0).total == 1)
        #expect(try await h.database.ticket(id: "idem-1")?.submittedJSON == body)
    }

    @Test("invalid tickets get 422 naming the field, and nothing is stored")
    func invalidTicketsAre422() async throws {
        let cases: [(String, String, String)] = [
            (#"{"ticket_id":"x","search":{"artist":"A","album":"B"},"constraints":{"format":"flac"}}"#, "missing_field", "tracks"),
            (ticketJSON("bad-1") { $0.tracks[0].destPath = "/etc/evil.ogg" }, "invalid_ticket", "tracks[0].dest_path"),
            (ticketJSON("bad-2") { $0.tracks[1].destPath = h.mediaRoot + "/../x.ogg" }, "invalid_ticket", "tracks[1].dest_path"),
            (ticketJSON("bad-3") { $0.tracks[1].destPath = $0.tracks[0].destPath }, "invalid_ticket", "tracks[1].dest_path"),
            (ticketJSON("bad-4").replacingOccurrences(of: "\"ogg_vorbis\"", with: "\"wma\""), "invalid_field", "constraints.format"),
            (
                ticketJSON("bad-5").replacingOccurrences(of: "\"track_number\":2", with: "\"track_number\":\"two\""), "invalid_field",
                "tracks[1].track_number"
            ),
            (ticketJSON("bad-6").replacingOccurrences(of: "\"name\":\"Airbag\"", with: "\"name\":null"), "invalid_field", "tracks[0].name"),
            (ticketJSON("bad-7") { $0.search.artist = "" }, "invalid_ticket", "search.artist"),
        ]
        try await h.test { api in
            for (body, code, field) in cases {
                let answer = try await api.post("/api/v1/ticket", body)
                #expect(answer.status == .unprocessableContent, "\(field)")
                #expect(answer.errorCode == code, "\(field): \(answer.json)")
                #expect(answer.errorField == field, "\(answer.json)")
                #expect(answer.error?["message"]?.stringValue?.isEmpty == false)
            }
        }
        #expect(try await h.database.tickets(limit: 10, offset: 0).total == 0)
    }

    @Test("malformed JSON is 400 naming the problem; a body over the limit is 413; both in the error shape")
    func malformedAndOversized() async throws {
        let small = try APIHarness { $0.server.maxBodyBytes = 2048 }
        try await small.test { api in
            let broken = try await api.post("/api/v1/ticket", #"{"ticket_id": "x", "#)
            #expect(broken.status == .badRequest && broken.errorCode == "invalid_json")
            #expect(broken.error?["message"]?.stringValue?.contains("not valid JSON") == true)
            let notObject = try await api.post("/api/v1/ticket", "[1,2]")
            #expect(notObject.status == .badRequest && notObject.errorCode == "invalid_json")
            let empty = try await api.post("/api/v1/ticket", "")
            #expect(empty.status == .badRequest && empty.errorCode == "invalid_json")
            let huge = try await api.post("/api/v1/ticket", "{\"pad\":\"" + String(repeating: "x", count: 4096) + "\"}")
            #expect(huge.status == .contentTooLarge && huge.errorCode == "payload_too_large")
        }
        #expect(try await small.database.tickets(limit: 10, offset: 0).total == 0)
    }

    @Test("GET /ticket/{id} shows state, details and history; unknown ids are 404")
    func getOne() async throws {
        try await h.database.storeTicket(Fixtures.ticket(id: "shown", root: h.mediaRoot), in: .needsApproval)
        try await h.test { api in
            let answer = try await api.get("/api/v1/ticket/shown")
            #expect(answer.status == .ok)
            #expect(answer.json["state"] == .string("needs_approval"))
            #expect(answer.json["state_details"]?["recommended_idx"] == .number(0))
            #expect(answer.json["state_details"]?["reason"]?["kind"] == .string("low_confidence"))
            guard case .array(let history) = answer.json["history"] else { Issue.record("no history"); return }
            #expect(history.map { $0["type"]?.stringValue } == ["created", "state_change", "state_change", "state_change", "needs_approval"])
            let missing = try await api.get("/api/v1/ticket/nope")
            #expect(missing.status == .notFound && missing.errorCode == "ticket_not_found")
        }
    }

    @Test("GET /ticket/{id} answers from its rendered copy only while no ticket changed: a new state or event shows at once")
    func getOneAfterChanges() async throws {
        try await h.database.storeTicket(Fixtures.ticket(id: "moving", root: h.mediaRoot), in: .downloading)
        try await h.database.storeTicket(Fixtures.ticket(id: "other", root: h.mediaRoot))
        try await h.test { api in
            let first = try await api.get("/api/v1/ticket/moving")
            #expect(first.json["state"] == .string("downloading"))
            let again = try await api.get("/api/v1/ticket/moving")
            #expect(again.json == first.json, "nothing changed: the same answer")
            let before = h.database.ticketGeneration
            // An event recorded by the pipeline (not through the API) is in the next answer.
            _ = try await h.database.recordEvent(
                ticketId: "moving", type: .progress, payload: .object(["percent": .number(42)]), whileIn: .downloading)
            #expect(h.database.ticketGeneration > before)
            let withEvent = try await api.get("/api/v1/ticket/moving")
            guard case .array(let history) = withEvent.json["history"] else { Issue.record("no history"); return }
            #expect(history.last?["type"] == .string("progress"))
            // So is a state change, and a change to another ticket does not hide one to this ticket.
            _ = try await h.database.updateTicket(id: "moving") { _ in TicketUpdate(state: Fixtures.state(.converting)) }
            _ = try await api.get("/api/v1/ticket/other")
            #expect(try await api.get("/api/v1/ticket/moving").json["state"] == .string("converting"))
            // A transaction that rolls back changes nothing and does not count.
            let settled = h.database.ticketGeneration
            await #expect(throws: (any Error).self) {
                _ = try await h.database.updateTicket(id: "moving") { _ in throw CancellationError() }
            }
            #expect(h.database.ticketGeneration == settled)
            #expect(try await api.get("/api/v1/ticket/moving").json["state"] == .string("converting"))
        }
    }

    @Test("GET /tickets filters by state, pages with limit/offset and reports the total; bad queries are 400")
    func list() async throws {
        for i in 0..<5 { try await h.database.storeTicket(Fixtures.ticket(id: "p\(i)", root: h.mediaRoot)) }
        try await h.database.storeTicket(Fixtures.ticket(id: "f", root: h.mediaRoot), in: .failed)
        try await h.test { api in
            let page = try await api.get("/api/v1/tickets?state=pending&limit=2&offset=1")
            #expect(page.status == .ok)
            #expect(page.json["total"] == .number(5) && page.json["limit"] == .number(2) && page.json["offset"] == .number(1))
            guard case .array(let items) = page.json["tickets"] else { Issue.record("no tickets"); return }
            #expect(items.count == 2 && items.allSatisfy { $0["state"] == .string("pending") })
            let two = try await api.get("/api/v1/tickets?state=failed,pending")
            #expect(two.json["total"] == .number(6))
            let all = try await api.get("/api/v1/tickets")
            #expect(all.json["total"] == .number(6) && all.json["limit"] == .number(50))
            for bad in ["limit=501", "limit=0", "limit=x", "offset=-1", "state=sleeping"] {
                let answer = try await api.get("/api/v1/tickets?\(bad)")
                #expect(answer.status == .badRequest, "\(bad)")
                #expect(answer.errorCode == "invalid_query" && answer.errorField == String(bad.prefix { $0 != "=" }), "\(bad)")
            }
        }
    }

    @Test("DELETE cancels a live ticket; a finished one is 409; an unknown one 404")
    func deleteCancels() async throws {
        try await h.database.storeTicket(Fixtures.ticket(id: "live", root: h.mediaRoot), in: .downloading)
        try await h.database.storeTicket(Fixtures.ticket(id: "done", root: h.mediaRoot), in: .completed)
        try await h.test { api in
            let cancelled = try await api.send(.delete, "/api/v1/ticket/live")
            #expect(cancelled.status == .ok && cancelled.json["state"] == .string("cancelled"))
            #expect(cancelled.json["state_details"]?["cancelled_at_state"] == .string("downloading"))
            let again = try await api.send(.delete, "/api/v1/ticket/live")
            #expect(again.status == .conflict && again.errorCode == "illegal_transition")
            let done = try await api.send(.delete, "/api/v1/ticket/done")
            #expect(done.status == .conflict)
            #expect(done.error?["message"]?.stringValue?.contains("completed") == true)
            #expect(try await api.send(.delete, "/api/v1/ticket/ghost").status == .notFound)
        }
        #expect(try await h.database.ticket(id: "done")?.state.name == .completed)
    }

    @Test("GET /ticket/{id}/events?since=SEQ returns only later events, in order")
    func eventsSince() async throws {
        try await h.database.storeTicket(Fixtures.ticket(id: "ev", root: h.mediaRoot), in: .matching)
        try await h.test { api in
            let all = try await api.get("/api/v1/ticket/ev/events")
            guard case .array(let events) = all.json["events"] else { Issue.record("no events"); return }
            #expect(events.map { $0["seq"] } == [.number(1), .number(2), .number(3)])
            let later = try await api.get("/api/v1/ticket/ev/events?since=2")
            guard case .array(let tail) = later.json["events"] else { Issue.record("no events"); return }
            #expect(tail.count == 1 && tail[0]["payload"]?["new_state"] == .string("matching"))
            #expect(try await api.get("/api/v1/ticket/ev/events?since=-1").status == .badRequest)
            #expect(try await api.get("/api/v1/ticket/nope/events").status == .notFound)
        }
    }
}
