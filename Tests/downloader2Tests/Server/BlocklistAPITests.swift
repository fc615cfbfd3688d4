import Foundation
import HTTPTypes
import Hummingbird
import Server
import Storage
import Testing
import Tickets

@Suite("REST API: the blocklist")
struct BlocklistAPITests {
    let h = try! APIHarness()
    static let hash = String(repeating: "ab", count: 20)

    @Test("add (201), list newest first, scope by album, remove (204, then 404); bad hashes and bodies are named")
    func lifecycle() async throws {
        try await h.test { api in
            let empty = try await api.get("/api/v1/blocklist")
            #expect(empty.status == .ok && empty.json["count"] == .number(0) && empty.json["entries"] == .array([]))

            let added = try await api.post(
                "/api/v1/blocklist",
                #"{"info_hash": "\#(Self.hash.uppercased())", "reason": "fake: made from MP3", "album": "Sine Waves", "artist": "Tone Ensemble"}"#)
            #expect(added.status == .created, "\(added.json)")
            #expect(added.json["info_hash"] == .string(Self.hash), "stored in lower case")
            #expect(added.json["source"] == .string("operator") && added.json["album"] == .string("Sine Waves"))
            let global = String(repeating: "cd", count: 32)
            #expect(try await api.post("/api/v1/blocklist", #"{"info_hash": "\#(global)", "reason": "spam"}"#).status == .created)

            let listed = try await api.get("/api/v1/blocklist")
            #expect(listed.json["count"] == .number(2))
            guard case .array(let entries)? = listed.json["entries"] else { Issue.record("no entries: \(listed.json)"); return }
            #expect(entries.first?["info_hash"] == .string(global), "newest first")

            // Scope: the album entry applies to that album only (case and spacing aside); the global one everywhere.
            #expect(try await h.database.blockedHashes(artist: "TONE ensemble", album: "sine  waves") == [Self.hash, global])
            #expect(try await h.database.blockedHashes(artist: "Tone Ensemble", album: "Other Album") == [global])

            let badHash = try await api.post("/api/v1/blocklist", #"{"info_hash": "xyz", "reason": "r"}"#)
            #expect(badHash.status == .unprocessableContent && badHash.errorCode == "invalid_info_hash" && badHash.errorField == "info_hash")
            let noReason = try await api.post("/api/v1/blocklist", #"{"info_hash": "\#(Self.hash)", "reason": "  "}"#)
            #expect(noReason.status == .unprocessableContent && noReason.errorField == "reason")
            let missing = try await api.post("/api/v1/blocklist", #"{"reason": "r"}"#)
            #expect(missing.status == .unprocessableContent && missing.errorCode == "missing_field" && missing.errorField == "info_hash")
            let artistOnly = try await api.post("/api/v1/blocklist", #"{"info_hash": "\#(Self.hash)", "reason": "r", "artist": "A"}"#)
            #expect(artistOnly.status == .unprocessableContent && artistOnly.errorField == "album")
            #expect(try await api.post("/api/v1/blocklist", "{not json").status == .badRequest)

            #expect(try await api.send(.delete, "/api/v1/blocklist/\(Self.hash)").status == .noContent)
            let again = try await api.send(.delete, "/api/v1/blocklist/\(Self.hash)")
            #expect(again.status == .notFound && again.errorCode == "not_blocklisted")
            #expect(try await api.send(.delete, "/api/v1/blocklist/zz").status == .unprocessableContent)
            #expect(try await api.get("/api/v1/blocklist").json["count"] == .number(1))
            #expect(try await api.send(.get, "/api/v1/blocklist", token: nil).status == .unauthorized)
        }
    }
}
