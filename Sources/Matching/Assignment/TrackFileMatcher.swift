import Basics
import Foundation
import Tickets

/// Maps a ticket's tracks to a candidate's audio files: the assignment with the least total cost,
/// where a pair's cost weighs title similarity, track/disc-number agreement and, when both are
/// known, duration agreement. A release that is one image + CUE sheet per disc maps to cue tracks.
public enum TrackFileMatcher {
    public struct Result: Sendable, Equatable {
        public var mappings: [TrackMapping]
        /// Tracks no file was assigned to (fewer audio files than tracks, or no plausible file).
        public var unmatchedTrackIds: [String]
        /// Audio files no track took (bonus tracks, other discs).
        public var unusedFiles: [String]
        /// Mean confidence over all tracks, unmatched ones counting 0.
        public var confidence: Double
        /// The mapping points into CUE images; `cueRead` says whether the sheets' titles were checked.
        public var imageCue = false
        public var cueRead = false
        /// Total playing time of the mapped files against the ticket's, when both are known.
        public var durations: DurationCheck?
    }

    /// The mapped files' total time against the tracks' total, and where the files' times came from.
    public struct DurationCheck: Sendable, Equatable {
        public var expectedSecs: Double
        public var foundSecs: Double
        /// "the file list" or "size × N kbps".
        public var source: String

        /// More than 3 % and more than 10 s apart: not the same recording (live, other edit, missing parts).
        public var mismatched: Bool {
            abs(foundSecs - expectedSecs) > max(10, 0.03 * expectedSecs)
        }
    }

    /// A CUE sheet's tracks, when its text could be read before downloading.
    public struct CueListing: Sendable, Equatable {
        public var titles: [String]
        public init(titles: [String]) { self.titles = titles }
    }

    /// The CUE sheets that describe an image among `files`: the ones worth fetching before a download.
    public static func imageCueSheets(_ files: [TorrentFileEntry]) -> [String] {
        let audio = files.filter { AudioFileEvidence.isAudio($0.path) }.map { AudioFileEvidence(path: $0.path, sizeBytes: $0.sizeBytes) }
        let images = CueImages(audio: audio, files: files)
        return images.paths.compactMap { path in audio.first { $0.path == path }.flatMap(images.sheet(for:)) }
    }

    /// Below this a pair is not a match at all, even if the assignment pairs it.
    public static let minimumConfidence = 0.35
    /// Each track's confidence when an image's cue sheet was not read: mapped by position only.
    public static let unreadCueConfidence = 0.6

    /// - Parameters:
    ///   - bitrateKbps: a constant bitrate the release states (MP3 320…): file durations are then
    ///     estimated from sizes when the list gives none.
    ///   - cueSheets: sheets read ahead of the download, by path.
    public static func map(
        _ tracks: [TicketTrack], files: [TorrentFileEntry], bitrateKbps: Int? = nil, cueSheets: [String: CueListing] = [:]
    ) -> Result {
        let audio = files.filter { AudioFileEvidence.isAudio($0.path) }.map { AudioFileEvidence(entry: $0, bitrateKbps: bitrateKbps) }
        guard !tracks.isEmpty, !audio.isEmpty else {
            return Result(mappings: [], unmatchedTrackIds: tracks.map(\.catalogTrackId), unusedFiles: audio.map(\.path), confidence: 0)
        }
        let images = CueImages(audio: audio, files: files)
        if !images.paths.isEmpty, audio.count - images.paths.count < tracks.count {
            return mapImages(tracks, images: images, audio: audio, cueSheets: cueSheets)
        }
        return assign(tracks, audio)
    }

    /// The least-cost assignment of tracks to (real or cue-track) files.
    static func assign(_ tracks: [TicketTrack], _ audio: [AudioFileEvidence], cueTracks: [Int?]? = nil) -> Result {
        let multiDisc = Set(tracks.map(\.discNumber)).count > 1
        let score = tracks.map { track in audio.map { pairScore(track, $0, multiDisc: multiDisc) } }
        // Hungarian needs rows ≤ columns: tracks as rows when there are enough files, else files.
        var pairs: [(track: Int, file: Int)] = []
        if tracks.count <= audio.count {
            let assigned = Hungarian.assign(score.map { $0.map { 1 - $0 } })
            pairs = assigned.enumerated().map { ($0.offset, $0.element) }
        } else {
            let transposed = audio.indices.map { f in tracks.indices.map { t in 1 - score[t][f] } }
            let assigned = Hungarian.assign(transposed)
            pairs = assigned.enumerated().map { ($0.element, $0.offset) }
        }
        var mappings: [TrackMapping] = []
        var matchedTracks = Set<Int>(), usedFiles = Set<Int>()
        var expected = 0.0, found = 0.0, source: String?
        var allTimed = true
        for (t, f) in pairs.sorted(by: { $0.track < $1.track }) where f >= 0 && t >= 0 && score[t][f] >= minimumConfidence {
            mappings.append(
                TrackMapping(
                    catalogTrackId: tracks[t].catalogTrackId, torrentFilePath: audio[f].path, cueTrack: cueTracks?[f],
                    confidence: (score[t][f] * 1000).rounded() / 1000))
            matchedTracks.insert(t)
            usedFiles.insert(f)
            if let want = tracks[t].durationSecs, let have = audio[f].durationSecs {
                expected += want
                found += have
                source = audio[f].durationSource
            } else {
                allTimed = false
            }
        }
        let total = mappings.reduce(0) { $0 + $1.confidence }
        return Result(
            mappings: mappings,
            unmatchedTrackIds: tracks.indices.filter { !matchedTracks.contains($0) }.map { tracks[$0].catalogTrackId },
            unusedFiles: audio.indices.filter { !usedFiles.contains($0) }.map { audio[$0].path },
            confidence: total / Double(tracks.count),
            durations: allTimed && !mappings.isEmpty ? source.map { DurationCheck(expectedSecs: expected, foundSecs: found, source: $0) } : nil)
    }

    /// Image + cue: each disc's tracks come from that disc's image. With the sheet read, its titles
    /// are matched like file names; without it, tracks are taken in order at a lower confidence.
    static func mapImages(_ tracks: [TicketTrack], images: CueImages, audio: [AudioFileEvidence], cueSheets: [String: CueListing]) -> Result {
        let discs = Set(tracks.map(\.discNumber)).sorted()
        let imageForDisc = images.byDisc(discs)
        var mappings: [TrackMapping] = []
        var unmatched: [String] = []
        var cueRead = true
        var expected = 0.0, found = 0.0, source: String?
        var timed = true
        for disc in discs {
            let discTracks = tracks.filter { $0.discNumber == disc }
            guard let image = imageForDisc[disc] else {
                unmatched += discTracks.map(\.catalogTrackId)
                continue
            }
            if let sheet = images.sheet(for: image).flatMap({ cueSheets[$0] }) {
                let pseudo = sheet.titles.enumerated().map {
                    AudioFileEvidence(path: image.path, sizeBytes: 0, track: $0.offset + 1, title: $0.element)
                }
                let result = assign(
                    discTracks.map {
                        var t = $0; t.discNumber = 1; return t
                    }, pseudo, cueTracks: pseudo.map(\.track))
                mappings += result.mappings
                unmatched += result.unmatchedTrackIds
            } else {
                cueRead = false
                for track in discTracks {
                    mappings.append(
                        TrackMapping(
                            catalogTrackId: track.catalogTrackId, torrentFilePath: image.path, cueTrack: track.trackNumber,
                            confidence: unreadCueConfidence))
                }
            }
            let discSecs = discTracks.compactMap(\.durationSecs)
            if discSecs.count == discTracks.count, let have = image.durationSecs {
                expected += discSecs.reduce(0, +)
                found += have
                source = image.durationSource
            } else {
                timed = false
            }
        }
        let used = Set(imageForDisc.values.map(\.path))
        let total = mappings.reduce(0) { $0 + $1.confidence }
        return Result(
            mappings: mappings, unmatchedTrackIds: unmatched,
            unusedFiles: audio.map(\.path).filter { !used.contains($0) },
            confidence: total / Double(tracks.count), imageCue: true, cueRead: cueRead,
            durations: timed && !mappings.isEmpty ? source.map { DurationCheck(expectedSecs: expected, foundSecs: found, source: $0) } : nil)
    }

    /// 0…1: how likely `file` holds `track`. Title similarity weighs most; a matching number
    /// (and disc, for multi-disc tickets) confirms it, a conflicting one counts against it; a
    /// duration far from the track's counts against it too.
    static func pairScore(_ track: TicketTrack, _ file: AudioFileEvidence, multiDisc: Bool) -> Double {
        let title = TextSimilarity.similarity(track.name, file.title)
        var number = 0.5
        if let n = file.track {
            let discAgrees = !multiDisc || file.disc == nil || file.disc == track.discNumber
            number = n == track.trackNumber && discAgrees ? 1 : 0
        }
        if multiDisc, let disc = file.disc, disc != track.discNumber { number = 0 }
        guard let want = track.durationSecs, want > 0, let have = file.durationSecs else {
            return 0.65 * title + 0.35 * number
        }
        // Full agreement within 2 % (or 3 s), none beyond 25 %.
        let off = max(0, abs(have - want) - max(3, 0.02 * want)) / want
        let duration = max(0, 1 - off / 0.23)
        return 0.55 * title + 0.3 * number + 0.15 * duration
    }
}

/// The audio files of a release that are CUE images: a `.cue` beside them with the same base name,
/// or the only audio file and the only sheet of their folder.
struct CueImages {
    let paths: [String]
    private let evidence: [String: AudioFileEvidence]
    private let sheets: [String: String]

    init(audio: [AudioFileEvidence], files: [TorrentFileEntry]) {
        func folder(_ path: String) -> String { (path as NSString).deletingLastPathComponent }
        func base(_ path: String) -> String { ((path as NSString).lastPathComponent as NSString).deletingPathExtension.lowercased() }
        let cues = files.map(\.path).filter { ($0 as NSString).pathExtension.lowercased() == "cue" }
        var sheets: [String: String] = [:]
        for file in audio {
            let sameFolder = cues.filter { folder($0) == folder(file.path) }
            if let named = sameFolder.first(where: { base($0) == base(file.path) }) {
                sheets[file.path] = named
            } else if sameFolder.count == 1, audio.filter({ folder($0.path) == folder(file.path) }).count == 1 {
                sheets[file.path] = sameFolder[0]
            }
        }
        self.sheets = sheets
        paths = audio.map(\.path).filter { sheets[$0] != nil }
        evidence = Dictionary(audio.map { ($0.path, $0) }, uniquingKeysWith: { a, _ in a })
    }

    func sheet(for image: AudioFileEvidence) -> String? { sheets[image.path] }

    /// Which image holds which disc: by a disc number in its name or folder, else in path order.
    func byDisc(_ discs: [Int]) -> [Int: AudioFileEvidence] {
        let images = paths.sorted().compactMap { evidence[$0] }
        if images.count == 1, discs.count == 1 { return [discs[0]: images[0]] }
        var result: [Int: AudioFileEvidence] = [:]
        for image in images {
            let name = (image.path as NSString).lastPathComponent
            let number = image.disc ?? name.regexRange(#"(?i)\b(cd|disc|disk)\s*[-_. ]?\s*(\d{1,2})\b"#).flatMap { Int(name[$0].filter(\.isNumber)) }
            if let number, discs.contains(number), result[number] == nil { result[number] = image }
        }
        if result.isEmpty, images.count == discs.count {
            for (disc, image) in zip(discs, images) { result[disc] = image }
        }
        return result
    }
}
