import Foundation
import Search
import Server
import Storage
import Testing
import Tickets

/// `GET /search`, `GET /ticket/{id}/search`, approving a release from it, and the indexers in `/metrics`:
/// against a q-only tracker's Torznab feed and Jackett with a failing tracker behind it.
@Suite("Interactive search over the API")
struct SearchAPITests {
    static func harness(_ base: String) throws -> APIHarness {
        try APIHarness { config in
            config.jackett.url = base
            config.jackett.apiKey = IndexerBehaviourTests.apiKey
            config.torznab.indexers = [
                AppConfig.TorznabIndexer(
                    url: "\(base)/api/v2.0/indexers/tonetracker/results/torznab/api", apiKey: IndexerBehaviourTests.apiKey, name: "tonetracker")
            ]
        }
    }

    static func trackers() -> [CardigannTracker] {
        let jackett = CardigannTracker(id: "jackettside", name: "JackettSide", releases: [IndexerBehaviourTests.album] + CardigannTracker.latest)
        jackett.trackerError.withLock { $0 = "Jackett.Common.IndexerException: Exception (brokentracker): Login failed" }
        return [CardigannTracker(releases: [IndexerBehaviourTests.album] + CardigannTracker.latest), jackett]
    }

    @Test(
        "GET /search: each indexer's answer, time and error; each release parsed, scored, explained, with its tracker's rules; blocklisted ones marked"
    )
    func search() async throws {
        try await IndexerBehaviourTests.serve(Self.trackers()) { base in
            let harness = try Self.harness(base)
            try await harness.test { api in
                let answer = try await api.get("/api/v1/search?artist=Radiohead&album=OK%20Computer&year=1997")
                #expect(answer.status == .ok, "\(answer.json)")
                guard case .array(let reports)? = answer.json["indexers"], case .array(let releases)? = answer.json["releases"] else {
                    Issue.record("\(answer.json)")
                    return
                }
                #expect(Set(reports.compactMap { $0["indexer"]?.stringValue }) == ["jackett", "tonetracker"])
                let jackett = try #require(reports.first { $0["indexer"]?.stringValue == "jackett" })
                #expect(jackett["errors"]?[0]?["indexer"]?.stringValue == "jackett/BrokenTracker", "\(jackett)")
                #expect(jackett["errors"]?[0]?["kind"]?.stringValue == "failed")
                #expect(reports.allSatisfy { ($0["seconds"]?.doubleValue ?? -1) >= 0 })
                // One release, found by both (the same info-hash), unrelated latest releases not found.
                #expect(releases.count == 1, "\(releases.map { $0["title"] ?? .null })")
                let release = try #require(releases.first)
                #expect(release["title"]?.stringValue == IndexerBehaviourTests.album.title)
                #expect(release["parsed"]?["artist"]?.stringValue == "Radiohead" && release["parsed"]?["year"]?.intValue == 1997)
                #expect((release["score"]?.doubleValue ?? 0) > 0 && release["reasoning"]?.stringValue?.isEmpty == false)
                #expect(release["freeleech"] == .bool(true) && release["minimum_seed_time_secs"]?.intValue == 172_800)
                #expect(release["blocked"] == .bool(false) && release["candidate"]?["torrent"]?["info_hash"] != nil)
                let text = String(decoding: try JSONEncoder().encode(answer.json), as: UTF8.self)
                #expect(!text.contains(IndexerBehaviourTests.apiKey), "the links' keys are redacted: \(text.prefix(600))")

                _ = try await api.post(
                    "/api/v1/blocklist",
                    #"{"info_hash":"\#(IndexerBehaviourTests.album.infoHash!)","reason":"fake","artist":"Radiohead","album":"OK Computer"}"#)
                let again = try await api.get("/api/v1/search?artist=Radiohead&album=OK%20Computer&indexer=tonetracker")
                #expect(again.json["releases"]?[0]?["blocked"] == .bool(true))
                guard case .array(let only)? = again.json["indexers"] else { Issue.record("\(again.json)"); return }
                #expect(only.allSatisfy { $0["indexer"]?.stringValue == "tonetracker" }, "--indexer limits the search")

                // The failures count in /metrics, per indexer (the tracker behind Jackett apart).
                let metrics = try await api.client.execute(uri: "/metrics", method: .get) { String(buffer: $0.body) }
                #expect(metrics.contains(#"downloader2_indexer_failures_total{indexer="jackett/BrokenTracker"}"#), "\(metrics.suffix(2000))")
                #expect(metrics.contains(#"downloader2_indexer_paused{indexer="tonetracker"} 0"#))
            }
        }
    }

    @Test("bad searches name the problem: no album, an unknown indexer (the configured ones listed), a year that is not one, no such ticket")
    func badRequests() async throws {
        try await IndexerBehaviourTests.serve(Self.trackers()) { base in
            try await Self.harness(base).test { api in
                let noAlbum = try await api.get("/api/v1/search?artist=Radiohead")
                #expect(noAlbum.status == .unprocessableContent && noAlbum.errorField == "album")
                let unknown = try await api.get("/api/v1/search?artist=Radiohead&album=OK%20Computer&indexer=nope")
                #expect(unknown.errorCode == "unknown_indexer" && unknown.error?["message"]?.stringValue?.contains("'tonetracker'") == true)
                let year = try await api.get("/api/v1/search?artist=Radiohead&album=OK%20Computer&year=97")
                #expect(year.status == .unprocessableContent && year.errorField == "year")
                let missing = try await api.get("/api/v1/ticket/nope/search")
                #expect(missing.status == .notFound)
                let open = try await api.send(.get, "/api/v1/search?artist=a&album=b", token: nil)
                #expect(open.status == .unauthorized)
            }
        }
    }

    @Test("a ticket's search, then the chosen release approved through the approve path; not from a state that cannot take it")
    func approveFromSearch() async throws {
        try await IndexerBehaviourTests.serve(Self.trackers()) { base in
            let harness = try Self.harness(base)
            let waiting = try await harness.database.storeTicket(Fixtures.ticket(id: "pick", root: harness.mediaRoot), in: .needsApproval)
            _ = try await harness.database.storeTicket(Fixtures.ticket(id: "busy", root: harness.mediaRoot), in: .downloading)
            try await harness.test { api in
                let answer = try await api.get("/api/v1/ticket/\(waiting.id)/search")
                #expect(
                    answer.status == .ok && answer.json["ticket_id"]?.stringValue == "pick" && answer.json["state"]?.stringValue == "needs_approval")
                let candidate = try #require(answer.json["releases"]?[0]?["candidate"])
                let body = String(decoding: try TicketJSON.encoder().encode(JSONValue.object(["release": candidate])), as: UTF8.self)
                let approved = try await api.post("/api/v1/ticket/pick/approve", body)
                #expect(approved.status == .ok, "\(approved.json)")
                #expect(approved.json["state"]?.stringValue == "approved")
                let stored = try #require(try await harness.database.ticket(id: "pick"))
                #expect(stored.approval?.selectedCandidate?.torrent.infoHash == IndexerBehaviourTests.album.infoHash)
                #expect(stored.approval?.selectedCandidate?.reasoning.contains("interactive search") == true)

                let refused = try await api.post("/api/v1/ticket/busy/approve", body)
                #expect(refused.status == .conflict, "\(refused.json)")
                let both = try await api.post(
                    "/api/v1/ticket/pick/approve",
                    String(
                        decoding: try TicketJSON.encoder().encode(JSONValue.object(["release": candidate, "candidate_idx": .number(0)])),
                        as: UTF8.self))
                #expect(both.status == .unprocessableContent && both.errorField == "release")
            }
        }
    }
}
