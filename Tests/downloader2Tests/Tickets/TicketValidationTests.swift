import Foundation
import Testing
import Tickets

@Suite("Ticket validation")
struct TicketValidationTests {
    let dir = TemporaryDirectory()
    var root: String { dir.file("media") }
    var roots: MediaRoots { MediaRoots([root]) }

    init() throws {
        try FileManager.default.createDirectory(atPath: dir.file("media"), withIntermediateDirectories: true)
    }

    func refusal(_ change: (inout Ticket) -> Void) -> TicketValidationError? {
        var ticket = Fixtures.ticket(root: root)
        change(&ticket)
        do {
            try ticket.validate(mediaRoots: roots)
            return nil
        } catch {
            return error
        }
    }

    @Test("a well-formed ticket is accepted")
    func validTicket() throws {
        try Fixtures.ticket(root: root).validate(mediaRoots: roots)
        for format in AudioFormat.allCases {
            try Fixtures.ticket(root: root, format: format).validate(mediaRoots: roots)
        }
    }

    @Test("the design's example ticket (docs/ARCHITECTURE.md) decodes field for field")
    func seedExampleDecodes() throws {
        let json = """
            {"ticket_id":"uuid","created_at":"2024-12-24T10:00:00Z",
             "search":{"artist":"Radiohead","album":"OK Computer","year":1997,"label":"Parlophone","genres":["alternative rock","art rock"]},
             "tracks":[{"catalog_track_id":"t1","disc_number":1,"track_number":1,"name":"Airbag","duration_secs":284,"dest_path":"/media/albums/abc123/d1t01.ogg"}],
             "images":[{"catalog_image_id":"img1","type":"cover_front","dest_path":"/media/albums/abc123/cover.jpg"}],
             "constraints":{"format":"ogg_vorbis","bitrate_kbps":320,"sample_rate_hz":44100,"embed_metadata":true,"embed_cover":true},
             "metadata_to_embed":{"artist":"Radiohead","album":"OK Computer","year":1997,"genre":"Alternative Rock"}}
            """
        let ticket = try TicketJSON.decoder().decode(Ticket.self, from: Data(json.utf8))
        #expect(ticket.ticketId == "uuid")
        #expect(ticket.createdAt == Date(timeIntervalSince1970: 1_735_034_400))
        #expect(ticket.search.genres == ["alternative rock", "art rock"])
        #expect(ticket.tracks[0].durationSecs == 284 && ticket.tracks[0].destPath == "/media/albums/abc123/d1t01.ogg")
        #expect(ticket.images[0].type == "cover_front")
        #expect(ticket.constraints.format == .oggVorbis && ticket.constraints.bitrateKbps == 320)
        #expect(ticket.metadataToEmbed?.genre == "Alternative Rock")
    }

    @Test("each broken field is refused with its JSON path")
    func refusalsNameTheField() {
        #expect(refusal { $0.ticketId = "" }?.field == "ticket_id")
        #expect(refusal { $0.ticketId = "a b/c" }?.field == "ticket_id")
        #expect(refusal { $0.search.artist = "  " }?.field == "search.artist")
        #expect(refusal { $0.search.year = 97 }?.field == "search.year")
        #expect(refusal { $0.tracks = [] }?.field == "tracks")
        #expect(refusal { $0.tracks[1].catalogTrackId = "t1" }?.field == "tracks[1].catalog_track_id")
        #expect(refusal { $0.tracks[0].trackNumber = 0 }?.field == "tracks[0].track_number")
        #expect(refusal { $0.tracks[1].discNumber = 0 }?.field == "tracks[1].disc_number")
        #expect(refusal { $0.tracks[0].durationSecs = -3 }?.field == "tracks[0].duration_secs")
        #expect(refusal { $0.constraints.bitrateKbps = 5000 }?.field == "constraints.bitrate_kbps")
        #expect(refusal { $0.constraints.sampleRateHz = 100 }?.field == "constraints.sample_rate_hz")
        #expect(refusal { $0.images[0].destPath = root + "/abc/cover.gif" }?.field == "images[0].dest_path")
    }

    @Test("dest_path must stay inside a media root")
    func destinationsStayInsideRoots() throws {
        #expect(refusal { $0.tracks[0].destPath = "/etc/passwd.ogg" }?.message.contains("outside the media roots") == true)
        #expect(refusal { $0.tracks[0].destPath = root + "/../escape.ogg" }?.message.contains("'..'") == true)
        #expect(refusal { $0.tracks[0].destPath = "relative/a.ogg" }?.message.contains("not an absolute path") == true)
        #expect(refusal { $0.tracks[0].destPath = root + ".ogg" }?.field == "tracks[0].dest_path")
        // A sibling directory whose name merely starts with the root's name is outside.
        #expect(refusal { $0.tracks[0].destPath = root + "-other/a.ogg" }?.field == "tracks[0].dest_path")
        #expect(throws: TicketValidationError.self) { try Fixtures.ticket(root: root).validate(mediaRoots: MediaRoots([])) }
    }

    @Test("a symbolic link inside the root that points outside does not let a file out")
    func symlinkEscapeIsRefused() throws {
        let outside = dir.file("outside")
        try FileManager.default.createDirectory(atPath: outside, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: root + "/link", withDestinationPath: outside)
        let error = refusal { $0.tracks[0].destPath = root + "/link/new-dir/a.ogg" }
        #expect(error?.field == "tracks[0].dest_path")
        #expect(error?.message.contains(outside) == true)
        // A link that stays inside the root is fine.
        try FileManager.default.createDirectory(atPath: root + "/real", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: root + "/inner", withDestinationPath: root + "/real")
        #expect(refusal { $0.tracks[0].destPath = root + "/inner/a.ogg" } == nil)
    }

    @Test("two outputs with one destination are refused, also when only a link makes them equal")
    func duplicateDestinations() throws {
        let error = refusal { $0.tracks[1].destPath = $0.tracks[0].destPath }
        #expect(error?.field == "tracks[1].dest_path")
        #expect(error?.message.contains("tracks[0].dest_path") == true)
        try FileManager.default.createDirectory(atPath: root + "/abc", withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: root + "/alias", withDestinationPath: root + "/abc")
        #expect(refusal { $0.tracks[1].destPath = root + "/alias/d1t01.ogg" }?.field == "tracks[1].dest_path")
    }

    @Test("the file extension must fit the requested format")
    func extensionFitsFormat() {
        let error = refusal { $0.tracks[0].destPath = root + "/abc/d1t01.mp3" }
        #expect(error?.field == "tracks[0].dest_path")
        #expect(error?.message.contains("ogg_vorbis") == true)
    }
}
