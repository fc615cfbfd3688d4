import Audio
import Foundation
import Pipeline
import Storage
import Testing
import Tickets

/// Loudness measured while converting, written as each container's tags, read back by mutagen and
/// checked against ffmpeg's own `ebur128` filter measuring the same output files.
@Suite("Loudness tags (ReplayGain 2.0 / R128) against ffmpeg's ebur128")
struct LoudnessTagTests {
    let dir = TemporaryDirectory("downloader2-loudness")

    /// Three tracks of full-band pink noise and a tone at levels 6 dB apart (so the album gain differs
    /// from each track's, and no track sits at the album's relative gate, where a block more or less
    /// passing moves the result), FLAC 44.1 kHz stereo, with a cover beside them. Lossy encoders change
    /// the loudness of such noise by 0.1–0.15 LU: the tags must describe the file, not its source.
    func release() throws -> DownloadResult {
        let folder = dir.file("release")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        var files: [String: String] = [:]
        for (index, amplitude) in [0.5, 0.25, 0.125].enumerated() {
            let path = "\(folder)/0\(index + 1).flac"
            try ExternalTool.run(
                "ffmpeg",
                [
                    "-v", "error", "-y", "-f", "lavfi", "-i", "anoisesrc=color=pink:amplitude=\(amplitude):seed=\(index + 7):r=44100",
                    "-f", "lavfi", "-i", "sine=frequency=\(330 * (index + 1)):sample_rate=44100", "-filter_complex",
                    "[0:a][1:a]amix=inputs=2:weights='1 \(amplitude)',aformat=channel_layouts=stereo", "-t", "5", "-c:a", "flac", path,
                ])
            files["cat-\(index + 1)"] = path
        }
        try ExternalTool.run("ffmpeg", ["-v", "error", "-y", "-f", "lavfi", "-i", "color=c=red:s=64x64", "-frames:v", "1", "\(folder)/cover.jpg"])
        return DownloadResult(directory: folder, filesByTrackId: files, coverPath: "\(folder)/cover.jpg", totalBytes: 1)
    }

    func ticket(_ format: AudioFormat, id: String) -> Ticket {
        var ticket = PipelineEndToEndTests.ticket(id: id, media: dir.file("media"), seconds: 5)
        ticket.constraints = TicketConstraints(format: format, bitrateKbps: format.isLossless ? nil : 256)
        ticket.images = []
        for index in ticket.tracks.indices {
            ticket.tracks[index].destPath = (ticket.tracks[index].destPath as NSString).deletingPathExtension + "." + format.fileExtension
        }
        return ticket
    }

    /// Integrated loudness as ffmpeg's `ebur128` filter measures it (its metadata keeps three decimals;
    /// the summary prints one), over one file or several played one after the other.
    static func ffmpegLUFS(_ paths: [String], in dir: TemporaryDirectory) throws -> Double {
        let log = dir.file("ebur128-\(UUID().uuidString.prefix(8)).txt")
        let inputs = paths.flatMap { ["-i", $0] }
        let chain = "ebur128=metadata=1,ametadata=mode=print:key=lavfi.r128.I:file=\(log)"
        let filter =
            paths.count == 1
            ? chain : paths.indices.map { "[\($0):a]" }.joined() + "concat=n=\(paths.count):v=0:a=1," + chain
        try ExternalTool.run("ffmpeg", ["-v", "error", "-nostats"] + inputs + ["-filter_complex", filter, "-f", "null", "-"])
        let lines = try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n").filter { $0.hasPrefix("lavfi.r128.I=") }
        return try #require(lines.last.flatMap { Double($0.dropFirst("lavfi.r128.I=".count)) }, "no lavfi.r128.I in \(log)")
    }

    static func decibels(_ text: String?) -> Double? {
        guard let text, text.hasSuffix(" dB") else { return nil }
        return Double(text.dropLast(3))
    }

    @Test(
        "every container gets its own loudness tags, within 0.1 LU of ffmpeg's measurement of the file; the album gain is gated over all tracks",
        .system,
        arguments: [AudioFormat.flac, .oggVorbis, .opus, .mp3, .aac, .alac])
    func tagsPerContainer(format: AudioFormat) async throws {
        let download = try release()
        let ticket = ticket(format, id: "lufs-\(format.rawValue)")
        let stored = try await AppDatabase.open(path: dir.file("db.sqlite")).storeTicket(ticket, in: .downloading)
        let stage = AudioConvertStage(converter: AudioConverter(width: 2), workRoot: dir.file("tmp"))
        let converted = try await stage.convert(stored, download: download, context: StageContext(ticketId: ticket.ticketId))
        let outputs = ticket.tracks.map { converted.outputsByTrackId[$0.catalogTrackId]! }
        let album = try Self.ffmpegLUFS(outputs, in: dir)
        var trackGains: [Double] = []
        for (track, output) in zip(ticket.tracks, outputs) {
            let tags = try AudioCheck.mutagen(output)
            let measured = try Self.ffmpegLUFS([output], in: dir)
            // What each container calls them: Vorbis comments, ID3 TXXX frames, iTunes freeform atoms.
            func value(_ name: String) -> String? {
                switch format {
                case .mp3: tags.first("txxx:" + name)
                case .aac, .alac: tags.first("----:com.apple.itunes:" + name)
                default: tags.first(name)
                }
            }
            #expect(tags.first(format == .mp3 ? "tit2" : format == .aac || format == .alac ? "©nam" : "title") == track.name, "\(tags.values)")
            #expect(tags.coverSHA256 != nil, "the cover survives the rewrite")
            if format == .opus {
                // RFC 7845: Q7.8 towards −23 LUFS; no REPLAYGAIN_* unless asked for.
                let track = try #require(value("r128_track_gain").flatMap(Int.init), "\(tags.values)")
                let albumGain = try #require(value("r128_album_gain").flatMap(Int.init))
                #expect(abs(Double(track) / 256 - (-23 - measured)) <= 0.1 + 1.0 / 512, "R128_TRACK_GAIN \(track) vs ffmpeg \(measured) LUFS")
                #expect(abs(Double(albumGain) / 256 - (-23 - album)) <= 0.1 + 1.0 / 512, "R128_ALBUM_GAIN \(albumGain) vs ffmpeg \(album) LUFS")
                #expect(value("replaygain_track_gain") == nil)
                trackGains.append(Double(track) / 256)
            } else {
                let gain = try #require(Self.decibels(value("replaygain_track_gain")), "\(tags.values)")
                let albumGain = try #require(Self.decibels(value("replaygain_album_gain")))
                #expect(abs(gain - (-18 - measured)) <= 0.105, "REPLAYGAIN_TRACK_GAIN \(gain) dB vs ffmpeg \(measured) LUFS")
                #expect(abs(albumGain - (-18 - album)) <= 0.105, "REPLAYGAIN_ALBUM_GAIN \(albumGain) dB vs ffmpeg \(album) LUFS (all tracks)")
                #expect(value("replaygain_track_gain")?.range(of: #"^-?\d+\.\d\d dB$"#, options: .regularExpression) != nil)
                let peak = try #require(value("replaygain_track_peak").flatMap(Double.init))
                let albumPeak = try #require(value("replaygain_album_peak").flatMap(Double.init))
                #expect(peak > 0 && peak <= albumPeak && albumPeak <= 1.0001, "peaks \(peak) ≤ \(albumPeak)")
                trackGains.append(gain)
            }
        }
        #expect(Set(trackGains.map { ($0 * 10).rounded() }).count == 3, "three levels, three gains: \(trackGains)")
    }

    @Test("a track kept from an earlier pass (no meter in memory) is measured from its file; the album gain still covers it", .system)
    func keptTrackMeasuredFromItsFile() async throws {
        let download = try release()
        let ticket = ticket(.oggVorbis, id: "lufs-kept")
        let database = try AppDatabase.open(path: dir.file("db.sqlite"))
        let stored = try await database.storeTicket(ticket, in: .downloading)
        // A first pass without loudness leaves converted tracks in the work folder, as a pause or an early conversion does.
        let plain = try await AudioConvertStage(converter: AudioConverter(width: 2), workRoot: dir.file("tmp"), replayGain: .off)
            .convert(stored, download: download, context: StageContext(ticketId: ticket.ticketId))
        var early = EarlyConversions()
        early.outputs["cat-1"] = plain.outputsByTrackId["cat-1"]
        #expect(try AudioCheck.mutagen(early.outputs["cat-1"]!).first("replaygain_track_gain") == nil)
        let converted = try await AudioConvertStage(converter: AudioConverter(width: 2), workRoot: dir.file("tmp"))
            .convert(stored, download: download, early: early, context: StageContext(ticketId: ticket.ticketId))
        let outputs = ticket.tracks.map { converted.outputsByTrackId[$0.catalogTrackId]! }
        #expect(outputs[0] == early.outputs["cat-1"], "the kept track is not converted again")
        let album = try Self.ffmpegLUFS(outputs, in: dir)
        let kept = try AudioCheck.mutagen(outputs[0])
        let gain = try #require(Self.decibels(kept.first("replaygain_track_gain")), "\(kept.values)")
        #expect(abs(gain - (-18 - (try Self.ffmpegLUFS([outputs[0]], in: dir)))) <= 0.105)
        #expect(abs((Self.decibels(kept.first("replaygain_album_gain")) ?? 99) - (-18 - album)) <= 0.105)
    }

    @Test("replaygain = track writes track gains only; off writes none; Opus with opus_replaygain_tags carries both forms", .system)
    func modes() async throws {
        let download = try release()
        let database = try AppDatabase.open(path: dir.file("db.sqlite"))
        for (mode, format, opusReplayGain) in [(ReplayGainMode.track, AudioFormat.flac, false), (.off, .flac, false), (.album, .opus, true)] {
            let ticket = ticket(format, id: "mode-\(mode.rawValue)-\(format.rawValue)")
            let stored = try await database.storeTicket(ticket, in: .downloading)
            let stage = AudioConvertStage(
                converter: AudioConverter(width: 2), workRoot: dir.file("tmp"), replayGain: mode, opusReplayGain: opusReplayGain)
            let converted = try await stage.convert(stored, download: download, context: StageContext(ticketId: ticket.ticketId))
            let tags = try AudioCheck.mutagen(converted.outputsByTrackId["cat-1"]!)
            switch mode {
            case .track:
                #expect(tags.first("replaygain_track_gain") != nil && tags.first("replaygain_album_gain") == nil, "\(tags.values)")
            case .off:
                #expect(!tags.values.keys.contains { $0.contains("replaygain") || $0.contains("r128") }, "\(tags.values)")
            case .album:
                #expect(tags.first("r128_track_gain") != nil && tags.first("replaygain_track_gain") != nil, "\(tags.values)")
            }
        }
    }
}

/// MusicBrainz identifiers from the ticket, in each container under the names Picard writes.
@Suite("MusicBrainz identifiers in the tags")
struct MusicBrainzTagTests {
    let dir = TemporaryDirectory("downloader2-mbid")
    static let release = "5b11f4ce-a62d-471e-81fc-a69a8278c7da"
    static let group = "1b022e01-4da6-387b-8658-8678046e4cef"
    static let artist = "678d88b2-87b0-403b-b63d-5da7465aecc3"
    static let recording = "9e2ad5bc-c6f9-40d2-a36f-3122ee2072a3"
    static let releaseTrack = "29a4b5a6-0b6e-3c2a-a2bd-4b0a3f1f4d70"

    @Test(
        "release, release group, album artist, recording and release track ids land in FLAC, Opus, MP3 and M4A", .system,
        arguments: [
            AudioFormat.flac, .opus, .mp3, .aac,
        ])
    func idsInTags(format: AudioFormat) async throws {
        let helper = LoudnessTagTests()
        let download = try helper.release()
        var ticket = helper.ticket(format, id: "mbid-\(format.rawValue)")
        ticket.metadataToEmbed?.musicbrainzReleaseId = Self.release
        ticket.metadataToEmbed?.musicbrainzReleaseGroupId = Self.group
        ticket.metadataToEmbed?.musicbrainzAlbumArtistId = Self.artist.uppercased()
        ticket.tracks[0].musicbrainzRecordingId = Self.recording
        ticket.tracks[0].musicbrainzTrackId = Self.releaseTrack
        let stored = try await AppDatabase.open(path: dir.file("db.sqlite")).storeTicket(ticket, in: .downloading)
        let stage = AudioConvertStage(converter: AudioConverter(width: 2), workRoot: dir.file("tmp"))
        let converted = try await stage.convert(stored, download: download, context: StageContext(ticketId: ticket.ticketId))
        let tags = try AudioCheck.mutagen(converted.outputsByTrackId["cat-1"]!)
        let expected: [String: String]
        switch format {
        case .mp3:
            expected = [
                "txxx:musicbrainz album id": Self.release, "txxx:musicbrainz release group id": Self.group,
                "txxx:musicbrainz album artist id": Self.artist, "txxx:musicbrainz release track id": Self.releaseTrack,
                "ufid:http://musicbrainz.org": Self.recording,
            ]
        case .aac:
            let atom = "----:com.apple.itunes:"
            expected = [
                atom + "musicbrainz album id": Self.release, atom + "musicbrainz release group id": Self.group,
                atom + "musicbrainz album artist id": Self.artist, atom + "musicbrainz track id": Self.recording,
                atom + "musicbrainz release track id": Self.releaseTrack,
            ]
        default:
            expected = [
                "musicbrainz_albumid": Self.release, "musicbrainz_releasegroupid": Self.group, "musicbrainz_albumartistid": Self.artist,
                "musicbrainz_trackid": Self.recording, "musicbrainz_releasetrackid": Self.releaseTrack,
            ]
        }
        for (key, value) in expected { #expect(tags.first(key) == value, "\(key) in \(tags.values)") }
        // The second track has no track-level ids: only the album's.
        let second = try AudioCheck.mutagen(converted.outputsByTrackId["cat-2"]!)
        let trackLevel = expected.filter { $0.value == Self.recording || $0.value == Self.releaseTrack }.keys
        #expect(!trackLevel.isEmpty && trackLevel.allSatisfy { second.first($0) == nil }, "\(second.values)")
        #expect(second.first(expected.first { $0.value == Self.release }!.key) == Self.release)
    }

    @Test(
        "a cover that came after the conversion is embedded with the loudness tags; MP4 keeps its freeform atoms", .system,
        arguments: [AudioFormat.aac, .mp3, .flac])
    func lateCover(format: AudioFormat) throws {
        let ext = format == .aac ? "m4a" : format.rawValue
        let path = dir.file("late.\(ext)")
        try ExternalTool.run(
            "ffmpeg", ["-v", "error", "-y", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=44100", "-t", "2", "-ac", "2", path])
        try ToneAudio.writeCover(dir.file("late.jpg"), size: 80, color: "blue")
        var tags = TrackTags()
        tags.title = "Late"
        tags.musicBrainz.releaseId = Self.release
        let spec = OutputSpec(format: format, bitrateKbps: format.isLossless ? nil : 192)
        let gains = ReplayGainTags(track: TrackLoudness(integratedLUFS: -16, samplePeak: 0.5), album: nil)
        try ReplayGainWriter.write(gains, to: path, spec: spec, tags: tags, cover: try CoverArt(contentsOf: dir.file("late.jpg")))
        let read = try AudioCheck.mutagen(path)
        #expect(read.coverSHA256 == (try AudioCheck.sha256(dir.file("late.jpg"))), "the cover embedded: \(read.values)")
        let (gain, album) =
            switch format {
            case .aac: ("----:com.apple.itunes:replaygain_track_gain", "----:com.apple.itunes:musicbrainz album id")
            case .mp3: ("txxx:replaygain_track_gain", "txxx:musicbrainz album id")
            default: ("replaygain_track_gain", "musicbrainz_albumid")
            }
        #expect(read.first(gain) == "-2.00 dB" && read.first(album) == Self.release, "\(read.values)")
    }

    @Test("a malformed id is a 422 naming its field; a ticket without ids is valid as before")
    func validation() throws {
        let roots = MediaRoots([dir.file("media")])
        var ticket = PipelineEndToEndTests.ticket(id: "mbid-bad", media: dir.file("media"))
        try ticket.validate(mediaRoots: roots)
        ticket.tracks[1].musicbrainzRecordingId = "not-a-uuid"
        #expect(throws: TicketValidationError.self) { try ticket.validate(mediaRoots: roots) }
        do {
            try ticket.validate(mediaRoots: roots)
        } catch {
            #expect(error.field == "tracks[1].musicbrainz_recording_id" && error.message.contains("not-a-uuid"), "\(error)")
        }
        ticket.tracks[1].musicbrainzRecordingId = nil
        ticket.metadataToEmbed?.musicbrainzReleaseGroupId = "5b11f4ce-a62d-471e-81fc-a69a8278c7dz"
        do {
            try ticket.validate(mediaRoots: roots)
            Issue.record("accepted a release group id with a 'z'")
        } catch {
            #expect(error.field == "metadata_to_embed.musicbrainz_release_group_id", "\(error)")
        }
    }
}
