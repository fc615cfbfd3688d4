import Audio
import Foundation
import Testing

/// CUE images split sample-accurately, with titles from sheets in the encodings rips actually use.
@Suite("Audio: CUE sheets and image splitting")
struct CueSplitTests {
    /// A 44.1 kHz image of three tones; track 2 has a 0.4 s pregap (INDEX 00) that stays with track 1.
    static let tones: [Double] = [440, 660, 880]
    static let starts: [Int64] = [0, 105_840, 220_500]  // 00:00:00, 00:02:30, 00:05:00 at 588 samples a frame
    static let totalSamples = 330_750  // 7.5 s

    static func sheet(fileName: String, titles: [String]) -> String {
        """
        REM GENRE "Test Tones"
        REM DATE 2024
        PERFORMER "Tone Ensemble"
        TITLE "Sine Waves"
        FILE "\(fileName)" WAVE
          TRACK 01 AUDIO
            TITLE "\(titles[0])"
            INDEX 01 00:00:00
          TRACK 02 AUDIO
            TITLE "\(titles[1])"
            PERFORMER "Guest Tone"
            INDEX 00 00:02:00
            INDEX 01 00:02:30
          TRACK 03 AUDIO
            TITLE "\(titles[2])"
            INDEX 01 00:05:00
        """
    }

    static func writeImage(_ dir: TemporaryDirectory, as name: String) throws {
        let segments = zip(starts, starts.dropFirst() + [Int64(totalSamples)]).enumerated().map { index, bounds in
            ToneAudio.Segment(frequency: tones[index], samples: Int(bounds.1 - bounds.0))
        }
        ToneAudio.writeWAV(dir.file("image.wav"), segments: segments)
        if name != "image.wav" { try ExternalTool.run("ffmpeg", ["-v", "error", "-i", dir.file("image.wav"), dir.file(name)]) }
    }

    @Test("Each track is cut at its INDEX 01, exactly, and carries its own tone", .system, arguments: ["image.flac", "image.wv"])
    func splitIsSampleAccurate(imageName: String) async throws {
        // Given an image and a sheet that names the rip's original WAV (a common mismatch)
        let dir = TemporaryDirectory("cue")
        try Self.writeImage(dir, as: imageName)
        try Self.sheet(fileName: "image.wav", titles: ["One", "Two", "Three"]).write(toFile: dir.file("album.cue"), atomically: true, encoding: .utf8)
        if imageName != "image.wav" { try FileManager.default.removeItem(atPath: dir.file("image.wav")) }

        // When the sheet is resolved and each track converted to FLAC
        let image = try CueImage(cuePath: dir.file("album.cue"))
        #expect(image.tracks.map(\.input) == Array(repeating: dir.file(imageName), count: 3))
        #expect(
            image.tracks.map(\.range) == [
                SampleRange(start: 0, end: 105_840), SampleRange(start: 105_840, end: 220_500), SampleRange(start: 220_500, end: nil),
            ])
        #expect(image.tracks[1].performer == "Guest Tone" && image.tracks[0].performer == "Tone Ensemble")
        let converter = AudioConverter(width: 2)
        for (index, track) in image.tracks.enumerated() {
            let output = dir.file("out/\(track.number).flac")
            let result = try await converter.convert(
                ConversionJob(
                    input: track.input, range: track.range, output: output, spec: OutputSpec(format: .flac),
                    tags: TrackTags(title: track.title, artist: track.performer, trackNumber: track.number)))
            #expect(result.method == .transcoded)
            // Then the lengths are exact to the sample and the tone is the track's own
            let end = index + 1 < Self.starts.count ? Self.starts[index + 1] : Int64(Self.totalSamples)
            #expect(try AudioCheck.decodedSamples(output) == Int(end - Self.starts[index]), "track \(track.number)")
            #expect(try AudioCheck.dominantFrequency(output, among: Self.tones) == Self.tones[index], "track \(track.number)")
            #expect(try AudioCheck.mutagen(output).first("title") == ["One", "Two", "Three"][index])
        }
    }

    @Test("Titles survive sheets written in CP1252, CP1251 and Shift-JIS", .system)
    func legacyEncodings() throws {
        let cases: [(encoding: String, titles: [String], expected: CueTextDecoder.Encoding)] = [
            ("cp1252", ["Café Noir", "Résumé", "Über Straße"], .cp1252),
            ("cp1251", ["Привет мир", "Тишина", "Звезда по имени Солнце"], .cp1251),
            ("shift_jis", ["こんにちは", "サクラ", "東京の夜"], .shiftJIS),
            ("utf-8", ["Ça va", "Ñandú", "Grüße"], .utf8),
        ]
        for item in cases {
            let dir = TemporaryDirectory("cue")
            let text = Self.sheet(fileName: "image.wav", titles: item.titles)
            // python3 writes the legacy bytes, so the encoding is not produced by the code under test
            try ExternalTool.run(
                "python3",
                ["-c", "import sys; open(sys.argv[1], 'wb').write(sys.argv[2].encode(sys.argv[3]))", dir.file("album.cue"), text, item.encoding])
            let sheet = try CueSheet.parse([UInt8](try Data(contentsOf: URL(fileURLWithPath: dir.file("album.cue")))))
            #expect(sheet.encoding == item.expected, "\(item.encoding)")
            #expect(sheet.tracks.map(\.title) == item.titles, "\(item.encoding)")
            #expect(sheet.performer == "Tone Ensemble" && sheet.date == "2024" && sheet.genre == "Test Tones")
        }
    }

    @Test("Sheets that cannot be split are refused with the line at fault")
    func invalidSheets() {
        let noIndex = "FILE \"a.wav\" WAVE\n  TRACK 01 AUDIO\n    TITLE \"x\"\n  TRACK 02 AUDIO\n    INDEX 01 00:10:00\n"
        let badTime = "FILE \"a.wav\" WAVE\n  TRACK 01 AUDIO\n    INDEX 01 00:61:00\n"
        let noFile = "TRACK 01 AUDIO\n  INDEX 01 00:00:00\n"
        let backwards = "FILE \"a.wav\" WAVE\n TRACK 01 AUDIO\n INDEX 01 00:20:00\n TRACK 02 AUDIO\n INDEX 01 00:10:00\n"
        for (text, fragment) in [
            (noIndex, "track 1 has no INDEX 01"), (badTime, "line 3"), (noFile, "before any FILE"), (backwards, "track 2 starts at"),
        ] {
            #expect {
                try CueSheet.parse(text: text)
            } throws: { error in
                (error as? AudioError)?.description.contains(fragment) == true
            }
        }
        #expect(throws: AudioError.self) { try CueSheet.parse(text: "REM nothing here\n") }
    }

    @Test("CUE times convert to samples exactly at CD and studio rates")
    func cueTimes() {
        let time = CueTime(minutes: 1, seconds: 2, frames: 3)
        #expect(time.samples(atRate: 44_100) == (62 * 75 + 3) * 588)
        #expect(time.samples(atRate: 48_000) == (62 * 75 + 3) * 640)
        #expect(time.description == "01:02:03")
    }
}
