import Foundation
import Tickets

/// One candidate of a case, and (for a right one) which file or cue track holds each ticket track.
struct Release {
    var candidate: TorrentCandidate
    /// catalog_track_id → (file path, cue track for an image).
    var expected: [String: (path: String, cueTrack: Int?)]
}

/// How a release names its files, in the styles torrents really use.
enum Layout {
    /// `01 - Title.flac`
    case numbered
    /// `01 Title.flac`
    case bare
    /// `01. Artist - Title.flac`
    case dotted
    /// `Artist - Album - 01 - Title.mp3`
    case long
    /// `01-artist-title.flac` (scene: lowercase, underscores)
    case scene
    /// `A1. Title.flac` (vinyl sides)
    case vinyl
    /// `CD1/01 - Title.flac`, the folder name from the format ("CD%d", "Disc %d")
    case discFolders(String)
    /// `1-01 Title.flac`
    case discPrefix
    /// `d1t01 - Title.flac`
    case taper
    /// one `Artist - Album.flac` + `.cue` per disc
    case image
}

/// Builds candidates from a catalog album: which tracks, in which layout, format and size.
struct ReleaseBuilder {
    let album: CatalogAlbum

    /// A size that varies per track the way FLAC sizes do (±25 %), deterministic.
    static func jitter(_ text: String) -> Double {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return 0.75 + Double(hash % 1000) / 2000
    }

    static func size(secs: Double, ext: String, kbps: Int?, name: String) -> Int64 {
        if let kbps, ["mp3", "m4a", "ogg", "opus"].contains(ext) { return Int64(secs * Double(kbps) * 125) + 4096 }
        let bytesPerSecond = ext == "dsf" ? 705_600.0 : 110_000.0
        return Int64(secs * bytesPerSecond * jitter(name))
    }

    static func infoHash(_ text: String) -> String {
        var a: UInt64 = 1469598103934665603, b: UInt64 = 0x9e37_79b9_7f4a_7c15
        for byte in text.utf8 {
            a = (a ^ UInt64(byte)) &* 1099511628211
            b = (b &+ UInt64(byte)) &* 0xff51_afd7_ed55_8ccd
        }
        return String(format: "%016llx%016llx%08x", a, b, UInt32(truncatingIfNeeded: a ^ b))
    }

    func fileName(_ layout: Layout, disc: Int, number: Int, side: String, name rawName: String, ext: String) -> String {
        // What file systems refuse in a name, replaced the way rippers do.
        let name = rawName.replacingOccurrences(of: "/", with: "-").replacingOccurrences(of: ":", with: "-")
        let nn = String(format: "%02d", number)
        switch layout {
        case .numbered, .discFolders: return "\(nn) - \(name).\(ext)"
        case .bare: return "\(nn) \(name).\(ext)"
        case .dotted: return "\(nn). \(album.artist) - \(name).\(ext)"
        case .long: return "\(album.artist) - \(album.title) - \(nn) - \(name).\(ext)"
        case .scene:
            let slug = { (s: String) in
                s.lowercased().replacingOccurrences(of: #"[^\p{L}\p{N}]+"#, with: "_", options: .regularExpression).trimmingCharacters(
                    in: CharacterSet(charactersIn: "_"))
            }
            return "\(nn)-\(slug(album.artist))-\(slug(name)).\(ext)"
        case .vinyl: return "\(side). \(name).\(ext)"
        case .discPrefix: return "\(disc)-\(nn) \(name).\(ext)"
        case .taper: return "d\(disc)t\(nn) - \(name).\(ext)"
        case .image: return ""
        }
    }

    /// - Parameters:
    ///   - keep: indices into `album.tracks` present in the release (nil: all).
    ///   - rename: a different file title for a track index (typos, transliteration).
    ///   - bonus: extra tracks after the album's, per release.
    ///   - stretch: how much longer each track runs (a live recording).
    ///   - listed: false when the indexer gave no file list and none could be fetched.
    func release(
        _ title: String, seeders: Int = 25, layout: Layout = .numbered, ext: String = "flac", kbps: Int? = nil,
        keep: [Int]? = nil, rename: [Int: String] = [:], bonus: [(String, Double)] = [], stretch: Double = 1,
        listed: Bool = true, extras: [String] = ["cover.jpg"], root: String? = nil
    ) -> Release {
        let folder = root ?? title.replacingOccurrences(of: "/", with: "-")
        let all = album.tracks
        let kept = (keep ?? Array(all.indices)).map { index in (index: index, track: all[index]) }
        var rows: [(index: Int?, disc: Int, name: String, secs: Double)] = kept.map {
            ($0.index, $0.track.disc, rename[$0.index] ?? $0.track.name, $0.track.secs * stretch)
        }
        let lastDisc = album.discs.count
        rows += bonus.map { (nil, lastDisc, $0.0, $0.1) }
        let multiDisc = album.discs.count > 1
        var files: [TorrentFileEntry] = []
        var expected: [String: (path: String, cueTrack: Int?)] = [:]

        if case .image = layout {
            for disc in Set(rows.map(\.disc)).sorted() {
                let discRows = rows.filter { $0.disc == disc }
                let base = "\(album.artist) - \(album.title)" + (multiDisc ? " CD\(disc)" : "")
                let path = "\(folder)/\(base).\(ext)"
                let secs = discRows.reduce(0) { $0 + $1.secs }
                files.append(TorrentFileEntry(path: path, sizeBytes: Self.size(secs: secs, ext: ext, kbps: kbps, name: base)))
                files.append(TorrentFileEntry(path: "\(folder)/\(base).cue", sizeBytes: 1_800))
                files.append(TorrentFileEntry(path: "\(folder)/\(base).log", sizeBytes: 5_200))
                for (position, row) in discRows.enumerated() {
                    if let index = row.index {
                        let track = all[index]
                        expected[CatalogAlbum.trackId(disc: track.disc, number: track.number)] = (path, position + 1)
                    }
                }
            }
        } else {
            var numberOnDisc: [Int: Int] = [:]
            let perSide = max(1, (rows.count + 1) / 2)
            for (position, row) in rows.enumerated() {
                numberOnDisc[row.disc, default: 0] += 1
                let number = numberOnDisc[row.disc]!
                let side = "\(position < perSide ? "A" : "B")\(position < perSide ? position + 1 : position - perSide + 1)"
                var effective = layout
                if multiDisc, case .numbered = layout { effective = .discFolders("CD%d") }
                var path = folder + "/"
                if case .discFolders(let format) = effective { path += String(format: format, row.disc) + "/" }
                path += fileName(effective, disc: row.disc, number: number, side: side, name: row.name, ext: ext)
                files.append(TorrentFileEntry(path: path, sizeBytes: Self.size(secs: row.secs, ext: ext, kbps: kbps, name: row.name)))
                if let index = row.index {
                    let track = all[index]
                    expected[CatalogAlbum.trackId(disc: track.disc, number: track.number)] = (path, nil)
                }
            }
        }
        files += extras.map { TorrentFileEntry(path: "\(folder)/\($0)", sizeBytes: $0.hasSuffix(".jpg") ? 850_000 : 3_000) }
        let total = files.reduce(Int64(0)) { $0 + $1.sizeBytes }
        let candidate = TorrentCandidate(
            title: title, indexer: "fixture", infoHash: Self.infoHash(title + "\(seeders)\(files.count)\(total)"), sizeBytes: total,
            seeders: seeders, leechers: seeders / 3, files: listed ? files : nil)
        return Release(candidate: candidate, expected: expected)
    }
}

extension CatalogAlbum {
    var releases: ReleaseBuilder { ReleaseBuilder(album: self) }
}
