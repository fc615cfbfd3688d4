import Audio
import Foundation
import Testing

/// The small pieces around conversion: tag arguments, cover files, the CLI, and a full disk.
@Suite("Audio: tags, covers, CLI and full disks")
struct AudioPartsTests {
    @Test("--tag KEY=VALUE arguments become tags; malformed ones are refused by name")
    func tagAssignments() throws {
        let tags = try TrackTags(assignments: ["title=A = B", "track=3/12", "disc=2", "album_artist=Various", "CATALOG_TRACK_ID=x1"])
        #expect(tags.title == "A = B")
        #expect(tags.trackNumber == 3 && tags.trackTotal == 12 && tags.discNumber == 2)
        #expect(tags.albumArtist == "Various")
        #expect(tags.custom == ["CATALOG_TRACK_ID": "x1"])
        #expect { try TrackTags(assignments: ["notag"]) } throws: { "\($0)".contains("'notag' is not KEY=VALUE") }
        #expect { try TrackTags(assignments: ["track=three"]) } throws: { "\($0)".contains("track needs a number") }
    }

    @Test("Cover images: sizes read from PNG and JPEG headers, anything else refused, best file in a folder wins", .system)
    func covers() throws {
        let dir = TemporaryDirectory("covers")
        try ToneAudio.writeCover(dir.file("small cover.jpg"), size: 32)
        try ExternalTool.run("ffmpeg", ["-v", "error", "-f", "lavfi", "-i", "color=c=green:s=120x90", "-frames:v", "1", dir.file("Front.png")])
        try FileManager.default.createDirectory(atPath: dir.file("scans"), withIntermediateDirectories: true)
        try ExternalTool.run("ffmpeg", ["-v", "error", "-f", "lavfi", "-i", "testsrc=s=640x640", "-frames:v", "1", dir.file("scans/back.jpg")])
        let png = try CoverArt(contentsOf: dir.file("Front.png"))
        #expect(png.kind == .png && png.width == 120 && png.height == 90)
        let jpeg = try CoverArt(contentsOf: dir.file("small cover.jpg"))
        #expect(jpeg.kind == .jpeg && jpeg.width == 32 && jpeg.height == 32)
        #expect(throws: AudioError.self) { try CoverArt(data: Array("GIF89a....".utf8)) }
        // The back scan is larger, but a name saying front/cover/folder ranks first; among those the largest wins.
        #expect(CoverArt.find(inFolder: dir.path) == dir.file("Front.png"))
        // Word by word: a back cover, an inlay, a disc or a booklet page is no front cover, whatever else its name says
        for name in [
            "Back Cover.jpg", "back.jpg", "Inlay.png", "CD1.jpg", "disc 2.jpg", "Booklet-01.jpg", "cover_back.jpg", "Tray.jpg", "obi.jpg",
            "CoverBack.jpg", "Booklet/03.jpg", "cover (back).jpg",
        ] {
            #expect(CoverArt.rank(fileName: "Scans/\(name)") == nil, "\(name)")
        }
        for name in [
            "Front.jpg", "cover.png", "folder.jpg", "AlbumArtLarge.jpg", "01 - Cover (Front).jpeg", "Artist - Album - front.jpg", "CD Front.jpg",
            "cd-front.jpg", "Front (CD).jpg", "CoverFront.jpg", "AlbumArt_{3F2504E0-46CD-11D3-9A0C-0305E82C3301}_Large.jpg",
        ] {
            #expect(CoverArt.rank(fileName: name) == 2, "\(name)")
        }
        for name in ["scan001.jpg", "artwork.png", "Discography.jpg", "cdrom.jpg", "Artwork/01.jpg"] {
            #expect(CoverArt.rank(fileName: name) == 1, "\(name)")
        }
        // Words of the album's artist and title say nothing about the picture
        let title = [CoverArt.words("AC/DC"), CoverArt.words("Back in Black")]
        #expect(CoverArt.rank(fileName: "00-ac_dc-back_in_black-cover.jpg", ignoring: title) == 2)
        #expect(CoverArt.rank(fileName: "00-ac_dc-back_in_black-cover.jpg") == nil, "without them, 'back' reads as a back cover")
        #expect(CoverArt.rank(fileName: "Back Cover.jpg", ignoring: title) == nil, "the title's words are left out, not every 'back'")
        #expect(CoverArt.rank(fileName: "cover.gif") == nil && CoverArt.rank(fileName: "cover.txt") == nil)
        // The picture block Vorbis comments carry: type 3, MIME, then the image itself at the end.
        let block = png.flacPictureBlock
        #expect(Array(block.prefix(4)) == [0, 0, 0, 3])
        #expect(Array(block.suffix(png.data.count)) == png.data)
    }

    @Test("downloader2 probe and convert: JSON out, clear errors, exit codes", .system)
    func commandLine() throws {
        let dir = TemporaryDirectory("audio-cli")
        ToneAudio.writeWAV(dir.file("tone.wav"), frequency: 440, seconds: 1)
        let binary = ProcessTests.binary
        let converted = try ExternalTool.run(
            binary,
            ["convert", dir.file("tone.wav"), dir.file("tone.ogg"), "--format", "ogg_vorbis", "--bitrate", "192", "--tag", "title=CLI", "--json"])
        let result = try JSONSerialization.jsonObject(with: converted.stdout) as? [String: Any]
        #expect(result?["method"] as? String == "transcoded")
        let probed = try ExternalTool.run(binary, ["probe", dir.file("tone.ogg")])
        let info = try JSONSerialization.jsonObject(with: probed.stdout) as? [String: Any]
        #expect(info?["codec"] as? String == "vorbis")
        #expect(info?["sample_rate"] as? Int == 44_100)
        #expect((info?["tags"] as? [String: String])?["TITLE"] == "CLI")

        #expect {
            try ExternalTool.run(binary, ["convert", dir.file("tone.wav"), dir.file("x.ogg"), "--format", "wma"])
        } throws: { error in
            guard let failure = error as? ExternalTool.ToolFailure else { return false }
            return failure.output.status != 0 && failure.output.stderr.contains("unknown --format 'wma'")
        }
        #expect {
            try ExternalTool.run(binary, ["probe", dir.file("missing.flac")])
        } throws: { error in
            guard let failure = error as? ExternalTool.ToolFailure else { return false }
            return failure.output.status == 1 && failure.output.stderr.contains("cannot read audio file")
        }
    }

    @Test("A full disk fails the track with the reason and leaves no partial file", .system)
    func fullDisk() async throws {
        let dir = TemporaryDirectory("audio-full")
        ToneAudio.writeWAV(dir.file("tone.wav"), frequency: 440, seconds: 20)
        let disk = try SmallFileSystem(at: dir.file("small"), size: "256k")
        defer { withExtendedLifetime(disk) {} }
        let mountPoint = disk.path
        do {
            _ = try await AudioConverter(width: 1).convert(
                ConversionJob(input: dir.file("tone.wav"), output: "\(mountPoint)/tone.flac", spec: OutputSpec(format: .flac)))
            Issue.record("a 20 s FLAC fitted in 256 KiB")
        } catch let error as AudioError {
            // Classified from libav's code (AVERROR(ENOSPC)), not from its message.
            guard case .diskFull(let path) = error else { Issue.record("expected diskFull, got \(error)"); return }
            #expect(path.hasPrefix(mountPoint), "\(path)")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: mountPoint).isEmpty)
    }
}
