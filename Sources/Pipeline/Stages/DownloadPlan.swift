import Audio
import Foundation
import Matching
import Tickets
import Torrent

/// Which of a torrent's files a ticket needs, decided from the real file list: every mapped track,
/// the CUE sheet beside an image, the cover, and the rip logs beside the tracks (for verification).
/// Bonus discs, scans and videos stay undownloaded.
struct DownloadPlan {
    var wantedIndices: Set<Int>
    /// Catalog track id → path relative to the save path.
    var trackFiles: [String: String]
    var cueTracks: [String: Int]
    var coverFile: String?
    /// EAC/XLD logs (`.log`, at most 1 MiB) in the tracks' folders, relative to the save path.
    var ripLogs: [String] = []
    /// Tracks the release has no file for, with why (kept only when partial success is allowed).
    var missingTracks: [String: String] = [:]

    /// Uses the match's mapping when its paths are in the torrent (an indexer's list may omit the
    /// torrent's root folder, so a path may match as a suffix); otherwise maps again on the real list.
    init(ticket: Ticket, metadata: TorrentMetadata, mapping: [TrackMapping], allowMissing: Bool = false) throws {
        let files = metadata.files.filter { !$0.isPadding }
        func find(_ path: String) -> TorrentFile? {
            files.first { $0.path == path } ?? files.first { $0.path.hasSuffix("/" + path) }
        }
        var mappings = mapping
        let ticketIds = Set(ticket.tracks.map(\.catalogTrackId))
        if Set(mappings.map(\.catalogTrackId)) != ticketIds || mappings.contains(where: { find($0.torrentFilePath) == nil }) {
            let remapped = TrackFileMatcher.map(ticket.tracks, files: files.map { TorrentFileEntry(path: $0.path, sizeBytes: $0.size) })
            guard remapped.unmatchedTrackIds.isEmpty || (allowMissing && !remapped.mappings.isEmpty) else {
                throw StageError(
                    code: "unmapped_tracks",
                    message: "the release has no file for track(s) \(remapped.unmatchedTrackIds.joined(separator: ", ")) (\(files.count) files)",
                    retryable: false)
            }
            mappings = remapped.mappings
            for id in remapped.unmatchedTrackIds { missingTracks[id] = "the release has no file for this track" }
        }
        wantedIndices = []
        trackFiles = [:]
        cueTracks = [:]
        for entry in mappings {
            guard let file = find(entry.torrentFilePath) else { continue }
            wantedIndices.insert(file.index)
            trackFiles[entry.catalogTrackId] = file.path
            if let cue = entry.cueTrack {
                cueTracks[entry.catalogTrackId] = cue
                let folder = (file.path as NSString).deletingLastPathComponent
                for sheet in files
                where (sheet.path as NSString).pathExtension.lowercased() == "cue" && (sheet.path as NSString).deletingLastPathComponent == folder {
                    wantedIndices.insert(sheet.index)
                }
            }
        }
        let cover = Self.cover(among: files, ignoring: Self.titleWords(ticket))
        coverFile = cover?.path
        if let cover { wantedIndices.insert(cover.index) }
        let trackFolders = Set(trackFiles.values.map { ($0 as NSString).deletingLastPathComponent })
        for file in files
        where (file.path as NSString).pathExtension.lowercased() == "log" && file.size <= 1 << 20
            && trackFolders.contains((file.path as NSString).deletingLastPathComponent)
        {
            wantedIndices.insert(file.index)
            ripLogs.append(file.path)
        }
        wantedFiles = files.filter { wantedIndices.contains($0.index) }.map(\.path)
        fileByPath = Dictionary(files.filter { wantedIndices.contains($0.index) }.map { ($0.path, $0) }, uniquingKeysWith: { a, _ in a })
    }

    /// The wanted files by path, for their index and size.
    var fileByPath: [String: TorrentFile] = [:]

    /// libtorrent file priorities (1…7) for the wanted files: the cover and CUE sheets highest, then
    /// the tracks in order, so a track completes and can be converted while later ones download.
    var priorities: [Int: UInt8] {
        var result: [Int: UInt8] = [:]
        // Track files in path order ("01 - …", "CD1/…"), an image once for all its tracks: 6 down to 1.
        let ordered = Set(trackFiles.values).sorted()
        for (position, path) in ordered.enumerated() {
            guard let file = fileByPath[path] else { continue }
            result[file.index] = UInt8(max(1, 6 - position * 5 / ordered.count))
        }
        for file in fileByPath.values where result[file.index] == nil { result[file.index] = 7 }
        return result
    }

    /// The files a track needs on disk before it can be converted: its file (or image), the CUE
    /// sheets beside an image, and the cover that is embedded.
    func prerequisites(of trackId: String) -> [TorrentFile] {
        guard let path = trackFiles[trackId], let file = fileByPath[path] else { return [] }
        var needed = [file]
        if cueTracks[trackId] != nil {
            let folder = (path as NSString).deletingLastPathComponent
            needed += fileByPath.values.filter {
                ($0.path as NSString).pathExtension.lowercased() == "cue" && ($0.path as NSString).deletingLastPathComponent == folder
            }
        }
        if let cover = coverFile, let file = fileByPath[cover] { needed.append(file) }
        return needed
    }

    /// Every wanted file, relative to the save path.
    var wantedFiles: [String] = []

    /// What the integrity record calls a downloaded file.
    static func kind(of path: String) -> String {
        let ext = (path as NSString).pathExtension.lowercased()
        if AudioFileEvidence.isAudio(path) { return "audio" }
        if ext == "cue" { return "cue" }
        if ext == "log" { return "log" }
        if ["jpg", "jpeg", "png", "gif", "webp", "bmp"].contains(ext) { return "image" }
        return "other"
    }

    /// The release's cover by the same rule as a folder on disk (``CoverArt/rank(fileName:)``); nothing over 30 MB.
    static func cover(among files: [TorrentFile], ignoring: [[String]] = []) -> TorrentFile? {
        let ranked = files.compactMap { file in CoverArt.rank(fileName: file.path, ignoring: ignoring).map { (file, $0) } }.filter {
            $0.0.size <= 30 << 20
        }
        return ranked.max { ($0.1, $0.0.size) < ($1.1, $1.0.size) }?.0
    }

    /// The words of the album's artist and title, which a file name may repeat without describing
    /// the picture ("AC-DC - Back in Black - Front.jpg").
    static func titleWords(_ ticket: Ticket) -> [[String]] {
        [CoverArt.words(ticket.search.artist), CoverArt.words(ticket.search.album)]
    }

    func result(savePath: String, totalBytes: Int64) -> DownloadResult {
        func absolute(_ path: String) -> String { (savePath as NSString).appendingPathComponent(path) }
        return DownloadResult(
            directory: savePath, filesByTrackId: trackFiles.mapValues(absolute), cueTrackByTrackId: cueTracks,
            coverPath: coverFile.map(absolute), totalBytes: totalBytes, missingTracks: missingTracks, ripLogPaths: ripLogs.sorted().map(absolute))
    }
}
