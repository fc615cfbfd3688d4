import Tickets

/// Maps a ticket's tracks to a candidate's audio files: the assignment with the least total cost,
/// where a pair's cost weighs title similarity and track/disc-number agreement.
public enum TrackFileMatcher {
    public struct Result: Sendable, Equatable {
        public var mappings: [TrackMapping]
        /// Tracks no file was assigned to (fewer audio files than tracks, or no plausible file).
        public var unmatchedTrackIds: [String]
        /// Audio files no track took (bonus tracks, other discs).
        public var unusedFiles: [String]
        /// Mean confidence over all tracks, unmatched ones counting 0.
        public var confidence: Double
    }

    /// Below this a pair is not a match at all, even if the assignment pairs it.
    public static let minimumConfidence = 0.35

    public static func map(_ tracks: [TicketTrack], files: [TorrentFileEntry]) -> Result {
        let audio = files.filter { AudioFileEvidence.isAudio($0.path) }.map { AudioFileEvidence(path: $0.path, sizeBytes: $0.sizeBytes) }
        guard !tracks.isEmpty, !audio.isEmpty else {
            return Result(mappings: [], unmatchedTrackIds: tracks.map(\.catalogTrackId), unusedFiles: audio.map(\.path), confidence: 0)
        }
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
        for (t, f) in pairs where f >= 0 && t >= 0 && score[t][f] >= minimumConfidence {
            mappings.append(TrackMapping(catalogTrackId: tracks[t].catalogTrackId, torrentFilePath: audio[f].path, confidence: (score[t][f] * 1000).rounded() / 1000))
            matchedTracks.insert(t)
            usedFiles.insert(f)
        }
        mappings.sort { a, b in
            tracks.firstIndex { $0.catalogTrackId == a.catalogTrackId }! < tracks.firstIndex { $0.catalogTrackId == b.catalogTrackId }!
        }
        let total = mappings.reduce(0) { $0 + $1.confidence }
        return Result(
            mappings: mappings,
            unmatchedTrackIds: tracks.indices.filter { !matchedTracks.contains($0) }.map { tracks[$0].catalogTrackId },
            unusedFiles: audio.indices.filter { !usedFiles.contains($0) }.map { audio[$0].path },
            confidence: total / Double(tracks.count))
    }

    /// 0…1: how likely `file` holds `track`. Title similarity weighs most; a matching number
    /// (and disc, for multi-disc tickets) confirms it, a conflicting one counts against it.
    static func pairScore(_ track: TicketTrack, _ file: AudioFileEvidence, multiDisc: Bool) -> Double {
        let title = TextSimilarity.similarity(track.name, file.title)
        var number = 0.5
        if let n = file.track {
            let discAgrees = !multiDisc || file.disc == nil || file.disc == track.discNumber
            number = n == track.trackNumber && discAgrees ? 1 : 0
        }
        if multiDisc, let disc = file.disc, disc != track.discNumber { number = 0 }
        return 0.65 * title + 0.35 * number
    }
}
