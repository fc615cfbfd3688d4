import Foundation

/// Reads artist, album, year, format, quality, source and flags from a torrent title, in the
/// naming styles indexers use: scene (`Artist-Album-WEB-2022-GROUP`), Gazelle
/// (`Artist - Album (1997) [FLAC / Lossless / CD / Log (100%) / Cue]`) and ruTracker
/// (`(Rock) [CD] Artist - Album - 2017, FLAC (tracks + .cue), lossless`).
public enum ReleaseTitleParser {
    public static func parse(_ rawTitle: String) -> ReleaseInfo {
        var info = ReleaseInfo()
        let title = rawTitle.trimmingCharacters(in: .whitespacesAndNewlines)
        if let scene = SceneName(title) {
            info.style = .scene
            info.artist = scene.artist
            info.album = scene.album
            info.sceneGroup = scene.group
            info.year = scene.year
            ReleaseTags.read(scene.tags.joined(separator: " "), into: &info, tagContext: true)
            ReleaseTags.read(title.replacingOccurrences(of: "_", with: " "), into: &info, tagContext: false)
        } else {
            let names = NameParts(title)
            info.style = names.style
            info.artist = names.artist
            info.album = names.album
            info.year = names.year
            ReleaseTags.read(names.tagText, into: &info, tagContext: true)
            ReleaseTags.read(title, into: &info, tagContext: false)
        }
        if let artist = info.artist?.lowercased(), ["va", "v.a.", "various artists", "various", "сборник"].contains(artist) {
            info.variousArtists = true
            info.compilation = true
        }
        if let format = info.format, format.isLossless { info.lossless = true }
        return info
    }
}

/// `Artist-Album-(CAT01)-WEB-2022-GROUP`, `Artist_-_Album-2CD-FLAC-1997-GRP`: no spaces, dash-separated.
struct SceneName {
    var artist: String
    var album: String
    var year: Int?
    var group: String
    var tags: [String]

    init?(_ title: String) {
        guard !title.contains(" "), title.filter({ $0 == "-" }).count >= 2 else { return nil }
        var parts: [String]
        var artistPart: String
        if let range = title.range(of: "_-_") {
            artistPart = String(title[..<range.lowerBound])
            parts = title[range.upperBound...].split(separator: "-").map(String.init)
        } else {
            let all = title.split(separator: "-").map(String.init)
            artistPart = all[0]
            parts = Array(all.dropFirst())
        }
        guard parts.count >= 2 else { return nil }
        group = parts.removeLast()
        var albumWords: [String] = []
        var tags: [String] = []
        for part in parts {
            if let y = Int(part), (1900...2099).contains(y) {
                year = y
                tags.append(part)
            } else if !tags.isEmpty || ReleaseTags.isSceneTag(part) {
                tags.append(part)
            } else {
                albumWords.append(part)
            }
        }
        guard !albumWords.isEmpty else { return nil }
        artist = artistPart.replacingOccurrences(of: "_", with: " ")
        album = albumWords.joined(separator: "-").replacingOccurrences(of: "_", with: " ")
        self.tags = tags
    }
}

/// Artist and album of a spaced title, with its tag text (brackets, ruTracker's tail) set apart.
struct NameParts {
    var artist: String?
    var album: String?
    var year: Int?
    var tagText = ""
    var style = ReleaseInfo.Style.plain

    init(_ title: String) {
        var text = title
        var tags: [String] = []
        // ruTracker: "(Genre) [CD] Artist - Album - 2017, FLAC (tracks + .cue), lossless"
        if let range = text.range(of: #"\s[-–—]\s(19|20)\d\d(-(19|20)\d\d)?\s*,\s*"#, options: .regularExpression) {
            tags.append(String(text[range.upperBound...]))
            let yearText = text[range].filter { $0.isNumber }
            year = Int(yearText.prefix(4))
            text = String(text[..<range.lowerBound])
            style = .rutracker
        } else if let range = text.range(of: #",\s*(FLAC|MP3|APE|ALAC|WavPack|WV|AAC|DSD|WAV|OGG)\b"#, options: [.regularExpression, .caseInsensitive]) {
            tags.append(String(text[range.lowerBound...]))
            text = String(text[..<range.lowerBound])
            style = .rutracker
        }
        // Bracketed segments are tags, except a bracket that only holds the year.
        let bracket = #"\[[^\]]*\]|\([^)]*\)|\{[^}]*\}"#
        while let range = text.range(of: bracket, options: .regularExpression) {
            let inner = String(text[range].dropFirst().dropLast()).trimmingCharacters(in: .whitespaces)
            if let y = Int(inner), (1900...2099).contains(y) {
                // "Album (1997) MP3 320kbps [Scans]": what follows the year bracket is tags.
                year = year ?? y
                tags.append(String(text[range.upperBound...]))
                text = String(text[..<range.lowerBound])
                continue
            } else if inner.range(of: #"^(19|20)\d\d\s*[-–]\s*(19|20)\d\d$"#, options: .regularExpression) != nil {
                year = year ?? Int(inner.prefix(4))
                tags.append("discography-range")
            } else {
                tags.append(inner)
                if text[range].hasPrefix("[") && inner.contains("/") && style == .plain { style = .gazelle }
            }
            text.replaceSubrange(range, with: " ")
        }
        let pieces = text.components(separatedBy: CharacterSet(charactersIn: "-–—"))
            .map { $0.trimmingCharacters(in: .whitespaces) }
        // Only " - " separates artist from album; a hyphen inside a word ("Jay-Z", "AC-DC") does not.
        let separated = text.range(of: #"\s[-–—]\s"#, options: .regularExpression)
        var segments: [String]
        if let separated {
            let left = String(text[..<separated.lowerBound]).trimmingCharacters(in: .whitespaces)
            let right = String(text[separated.upperBound...])
            segments = [left] + right.components(separatedBy: #" - "#).map { $0.trimmingCharacters(in: .whitespaces) }
        } else {
            segments = [pieces.joined(separator: "-").trimmingCharacters(in: .whitespaces)]
        }
        segments = segments.filter { !$0.isEmpty }
        if var last = segments.last {
            // Unbracketed tags at the end ("… OK Computer FLAC 24bit") are tags, not album words.
            var words = last.split(separator: " ").map(String.init)
            while words.count > 1, let tail = words.last, ReleaseTags.isTrailingTag(tail) {
                tags.append(tail)
                words.removeLast()
            }
            last = words.joined(separator: " ")
            segments[segments.count - 1] = last
        }
        // A trailing segment that is only a year ("… - 2017") is the year.
        // With only "Artist - 1989", the number is the album.
        if let last = segments.last, let y = Int(last), (1900...2099).contains(y), segments.count > 2 {
            year = year ?? y
            segments.removeLast()
        }
        // A year glued to the album ("Album 1997") when no bracket gave one.
        if segments.count >= 2, year == nil,
           let range = segments[segments.count - 1].range(of: #"\s(19|20)\d\d$"#, options: .regularExpression) {
            year = Int(segments[segments.count - 1][range].trimmingCharacters(in: .whitespaces))
            segments[segments.count - 1].removeSubrange(range)
        }
        if segments.count >= 2 {
            artist = Self.clean(segments[0])
            album = Self.clean(segments[1...].joined(separator: " - "))
        } else if let only = segments.first {
            album = Self.clean(only)
        }
        tagText = tags.joined(separator: " | ")
        if style == .plain, tagText.contains(" / ") { style = .gazelle }
    }

    static func clean(_ text: String) -> String? {
        let collapsed = text.replacingOccurrences(of: #"\s+"#, with: " ", options: .regularExpression)
            .trimmingCharacters(in: CharacterSet.whitespaces.union(CharacterSet(charactersIn: ",")))
        return collapsed.isEmpty ? nil : collapsed
    }
}
