import Audio
import Foundation
import Testing
import Tickets

/// Every target format, read back by programs that share no code with our writer.
@Suite("Audio conversion: every format, tags and cover, checked by ffprobe and mutagen")
struct ConversionTests {
    let converter = AudioConverter(width: 2)

    /// The names each container's reader (mutagen) uses for the fields we write.
    static func keys(_ format: AudioFormat) -> (title: String, artist: String, album: String, track: String, catalog: String) {
        switch format {
        case .oggVorbis, .opus, .flac: ("title", "artist", "album", "tracknumber", "catalog_track_id")
        case .mp3: ("tit2", "tpe1", "talb", "trck", "txxx:catalog_track_id")
        case .aac, .alac: ("©nam", "©art", "©alb", "trkn", "----:com.apple.itunes:catalog_track_id")
        }
    }

    /// Album artist, disc, date and genre under each container's own names.
    static func albumKeys(_ format: AudioFormat) -> [(String, String)] {
        switch format {
        case .oggVorbis, .opus, .flac: [("albumartist", "Test Artist"), ("discnumber", "1"), ("disctotal", "2"), ("date", "2024"), ("genre", "Test")]
        case .mp3: [("tpe2", "Test Artist"), ("tpos", "1/2"), ("tdrc", "2024"), ("tcon", "Test")]
        case .aac, .alac: [("aart", "Test Artist"), ("disk", "1/2"), ("©day", "2024"), ("©gen", "Test")]
        }
    }

    static let tags = TrackTags(
        title: "Tone Poem", artist: "Test Artist", album: "Generated Album", albumArtist: "Test Artist",
        trackNumber: 3, trackTotal: 12, discNumber: 1, discTotal: 2, date: "2024", genre: "Test", custom: ["CATALOG_TRACK_ID": "trk-42"])

    @Test("WAV → each format: codec, rate, channels, length, tone, tags and cover as asked", .system, arguments: AudioFormat.allCases)
    func everyFormat(format: AudioFormat) async throws {
        // Given a 3 s 440 Hz stereo WAV and a JPEG cover
        let dir = TemporaryDirectory("audio")
        ToneAudio.writeWAV(dir.file("source.wav"), frequency: 440, seconds: 3)
        try ToneAudio.writeCover(dir.file("cover.jpg"))
        let cover = try CoverArt(contentsOf: dir.file("cover.jpg"))
        let output = dir.file("out/03 Tone Poem.\(format.fileExtension)")

        // When it is converted
        let result = try await converter.convert(
            ConversionJob(
                input: dir.file("source.wav"), output: output,
                spec: OutputSpec(format: format, bitrateKbps: format.isLossless ? nil : 192), tags: Self.tags, cover: cover,
                expectedDurationSecs: 3))

        // Then an independent reader sees exactly what was asked for
        #expect(result.method == .transcoded)
        let probe = try AudioCheck.ffprobe(output)
        #expect(probe.codec == OutputSpec(format: format).codecName)
        let rate = format == .opus ? 48_000 : 44_100
        #expect(probe.sampleRate == rate)
        #expect(probe.channels == 2)
        let decoded = try AudioCheck.decodedSamples(output)
        // Priming and padding are declared in the file, so a player trims them: the length is the source's.
        #expect(abs(decoded - 3 * rate) <= 1_152, "decoded \(decoded) samples, expected \(3 * rate)")
        #expect(try AudioCheck.dominantFrequency(output, among: [220, 330, 440, 550, 660]) == 440)

        let tags = try AudioCheck.mutagen(output)
        let keys = Self.keys(format)
        #expect(tags.first(keys.title) == "Tone Poem", "\(tags.values)")
        #expect(tags.first(keys.artist) == "Test Artist")
        #expect(tags.first(keys.album) == "Generated Album")
        #expect(tags.first(keys.track) == (keys.track == "tracknumber" ? "3" : "3/12"))
        #expect(tags.first(keys.catalog) == "trk-42", "\(tags.values)")
        for (key, value) in Self.albumKeys(format) { #expect(tags.first(key) == value, "\(format): \(key) in \(tags.values)") }
        #expect(tags.coverSHA256 == (try AudioCheck.sha256(dir.file("cover.jpg"))), "cover must be embedded byte-identical")
        // Nothing else is left beside the output
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.file("out")) == ["03 Tone Poem.\(format.fileExtension)"])
    }

    @Test(
        "The same source, tags and cover convert to the same bytes every time (a re-run after a crash finds its own file identical)", .system,
        arguments: AudioFormat.allCases)
    func reproducible(format: AudioFormat) async throws {
        let dir = TemporaryDirectory("audio-same")
        ToneAudio.writeWAV(dir.file("source.wav"), frequency: 440, seconds: 2)
        try ToneAudio.writeCover(dir.file("cover.jpg"))
        let cover = try CoverArt(contentsOf: dir.file("cover.jpg"))
        var digests: [String] = []
        for run in 0..<2 {
            let output = dir.file("out\(run)/track.\(format.fileExtension)")
            _ = try await converter.convert(
                ConversionJob(
                    input: dir.file("source.wav"), output: output,
                    spec: OutputSpec(format: format, bitrateKbps: format.isLossless ? nil : 192), tags: Self.tags, cover: cover))
            digests.append(try AudioCheck.sha256(output))
        }
        #expect(digests[0] == digests[1], "\(format): two conversions differ")
    }

    @Test("Sources in every codec libav reads here become the right tone at the right length", .system)
    func everySourceCodec() async throws {
        let dir = TemporaryDirectory("audio")
        ToneAudio.writeWAV(dir.file("tone.wav"), frequency: 550, seconds: 2)
        // Given the same tone encoded by ffmpeg's command line into each codec torrents carry
        let sources: [(name: String, arguments: [String])] = [
            ("tone.flac", ["-c:a", "flac"]), ("tone-alac.m4a", ["-c:a", "alac"]), ("tone.wv", ["-c:a", "wavpack"]),
            ("tone.aiff", []), ("tone.tta", ["-c:a", "tta"]), ("tone.mp3", ["-c:a", "libmp3lame", "-b:a", "192k"]),
            ("tone-aac.m4a", ["-c:a", "aac"]), ("tone.ogg", ["-c:a", "libvorbis"]), ("tone.opus", ["-c:a", "libopus"]),
            ("tone-24.flac", ["-c:a", "flac", "-sample_fmt", "s32", "-ar", "96000"]),
        ]
        print("ConversionTests: APE sources are not covered: Debian's ffmpeg decodes Monkey's Audio but cannot encode a test file")
        for source in sources {
            try ExternalTool.run("ffmpeg", ["-v", "error", "-y", "-i", dir.file("tone.wav")] + source.arguments + [dir.file(source.name)])
            // When each is converted to Ogg Vorbis
            let output = dir.file("out/\(source.name).ogg")
            try await converter.convert(
                ConversionJob(input: dir.file(source.name), output: output, spec: OutputSpec(format: .oggVorbis, bitrateKbps: 160)))
            // Then the tone and the length survive
            #expect(try AudioCheck.dominantFrequency(output, among: [440, 550, 660]) == 550, "\(source.name)")
            let probe = try AudioCheck.ffprobe(output)
            #expect(abs(probe.durationSecs - 2) < 0.05, "\(source.name) lasts \(probe.durationSecs) s")
        }
        // DSD: a 1-bit DSF written by the test, decoded at 352.8 kHz and brought down to 44.1 kHz
        ToneAudio.writeDSF(dir.file("tone.dsf"), frequency: 550, seconds: 2)
        try await converter.convert(ConversionJob(input: dir.file("tone.dsf"), output: dir.file("out/dsf.flac"), spec: OutputSpec(format: .flac)))
        #expect(try AudioCheck.dominantFrequency(dir.file("out/dsf.flac"), among: [440, 550, 660]) == 550)
        let dsf = try AudioCheck.ffprobe(dir.file("out/dsf.flac"))
        #expect(abs(dsf.durationSecs - 2) < 0.05)
        #expect(dsf.sampleRate == 88_200 && dsf.bitsPerRawSample == 24, "DSD64 becomes 24-bit 88.2 kHz PCM")
    }

    @Test("Channel layouts, bit depths and sample rates follow the source or the request", .system)
    func layoutsDepthsAndRates() async throws {
        let dir = TemporaryDirectory("audio")
        ToneAudio.writeWAV(dir.file("mono.wav"), frequency: 440, seconds: 1, channels: 1)
        ToneAudio.writeWAV(dir.file("surround.wav"), frequency: 440, seconds: 1, rate: 48_000, channels: 6)
        ToneAudio.writeWAV(dir.file("hires.wav"), frequency: 440, seconds: 1, rate: 96_000, channels: 2, bits: 24)
        func convert(_ input: String, _ format: AudioFormat, rate: Int? = nil) async throws -> AudioCheck.Probe {
            let output = dir.file("out/\(input)-\(format.rawValue)-\(rate ?? 0).\(format.fileExtension)")
            try await converter.convert(
                ConversionJob(input: dir.file(input), output: output, spec: OutputSpec(format: format, bitrateKbps: 192, sampleRateHz: rate)))
            return try AudioCheck.ffprobe(output)
        }
        #expect(try await convert("mono.wav", .mp3).channels == 1)
        #expect(try await convert("surround.wav", .flac).channels == 6)
        #expect(try await convert("surround.wav", .oggVorbis).channels == 6)
        #expect(try await convert("surround.wav", .mp3).channels == 2, "LAME takes mono or stereo: 5.1 is downmixed")
        let hiresFLAC = try await convert("hires.wav", .flac)
        #expect(hiresFLAC.sampleRate == 96_000)
        #expect(hiresFLAC.bitsPerRawSample == 24, "24-bit stays 24-bit in a lossless target")
        #expect(try await convert("hires.wav", .alac).sampleRate == 96_000)
        #expect(try await convert("hires.wav", .mp3).sampleRate == 48_000, "MP3 tops out at 48 kHz")
        #expect(try await convert("hires.wav", .opus).sampleRate == 48_000)
        #expect(try await convert("hires.wav", .oggVorbis, rate: 44_100).sampleRate == 44_100)
    }

    @Test("A source that already is what was asked for is remuxed: same audio, new tags", .system)
    func remux() async throws {
        let dir = TemporaryDirectory("audio")
        ToneAudio.writeWAV(dir.file("tone.wav"), frequency: 660, seconds: 2)
        try ExternalTool.run("ffmpeg", ["-v", "error", "-i", dir.file("tone.wav"), "-c:a", "flac", dir.file("tone.flac")])
        try ExternalTool.run("ffmpeg", ["-v", "error", "-i", dir.file("tone.wav"), "-c:a", "libmp3lame", "-b:a", "320k", dir.file("tone.mp3")])

        let flac = try await converter.convert(
            ConversionJob(input: dir.file("tone.flac"), output: dir.file("out.flac"), spec: OutputSpec(format: .flac), tags: Self.tags))
        #expect(flac.method == .remuxed, "\(flac.reason)")
        let pcm = { (path: String) in try ExternalTool.run("ffmpeg", ["-v", "error", "-i", path, "-f", "s16le", "-"]).stdout }
        #expect(try pcm(dir.file("out.flac")) == pcm(dir.file("tone.flac")), "remuxed audio is bit-identical")
        #expect(try AudioCheck.mutagen(dir.file("out.flac")).first("title") == "Tone Poem")

        let same = try await converter.convert(
            ConversionJob(input: dir.file("tone.mp3"), output: dir.file("same.mp3"), spec: OutputSpec(format: .mp3, bitrateKbps: 320)))
        #expect(same.method == .remuxed, "\(same.reason)")
        let smaller = try await converter.convert(
            ConversionJob(input: dir.file("tone.mp3"), output: dir.file("small.mp3"), spec: OutputSpec(format: .mp3, bitrateKbps: 128)))
        #expect(smaller.method == .transcoded, "\(smaller.reason)")
        let forced = try await converter.convert(
            ConversionJob(input: dir.file("tone.flac"), output: dir.file("forced.flac"), spec: OutputSpec(format: .flac), allowRemux: false))
        #expect(forced.method == .transcoded)
    }

    @Test("A lossy source is refused for a lossless target, and nothing is written", .system)
    func lossyToLossless() async throws {
        let dir = TemporaryDirectory("audio")
        ToneAudio.writeWAV(dir.file("tone.wav"), frequency: 440, seconds: 1)
        try ExternalTool.run("ffmpeg", ["-v", "error", "-i", dir.file("tone.wav"), "-c:a", "libmp3lame", dir.file("tone.mp3")])
        await #expect(throws: AudioError.self) {
            try await converter.convert(
                ConversionJob(input: dir.file("tone.mp3"), output: dir.file("out/tone.flac"), spec: OutputSpec(format: .flac)))
        }
        #expect(!FileManager.default.fileExists(atPath: dir.file("out/tone.flac")))
    }

    @Test("The source's own picture is embedded when asked and no cover is given", .system)
    func sourceCover() async throws {
        let dir = TemporaryDirectory("audio")
        ToneAudio.writeWAV(dir.file("tone.wav"), frequency: 440, seconds: 1)
        try ToneAudio.writeCover(dir.file("art.jpg"), size: 48, color: "blue")
        try await converter.convert(
            ConversionJob(
                input: dir.file("tone.wav"), output: dir.file("tagged.flac"), spec: OutputSpec(format: .flac),
                cover: try CoverArt(contentsOf: dir.file("art.jpg"))))
        try await converter.convert(
            ConversionJob(
                input: dir.file("tagged.flac"), output: dir.file("copy.opus"), spec: OutputSpec(format: .opus), embedSourceCover: true))
        #expect(try AudioCheck.mutagen(dir.file("copy.opus")).coverSHA256 == (try AudioCheck.sha256(dir.file("art.jpg"))))
    }
}
