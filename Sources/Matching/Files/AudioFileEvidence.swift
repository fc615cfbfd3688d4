import Basics
import Foundation
import Tickets

/// What a torrent file's path says about the track it holds: disc, track number, title.
public struct AudioFileEvidence: Sendable, Equatable {
    public var path: String
    public var sizeBytes: Int64
    public var disc: Int?
    public var track: Int?
    /// The file name without number, artist prefix and extension.
    public var title: String
    /// Playing time: from the file list, or estimated from the size at a stated constant bitrate.
    public var durationSecs: Double?
    /// "the file list" or "size × N kbps".
    public var durationSource: String?

    public static let audioExtensions: Set<String> = [
        "flac", "mp3", "m4a", "alac", "ape", "wv", "wav", "aiff", "aif", "ogg", "oga", "opus", "dsf", "dff", "aac",
    ]

    public static func isAudio(_ path: String) -> Bool {
        audioExtensions.contains((path as NSString).pathExtension.lowercased())
    }

    /// Extensions that only lossless audio uses (`.m4a` may be ALAC or AAC, so it is not one).
    public static let losslessExtensions: Set<String> = ["flac", "wav", "aiff", "aif", "ape", "wv", "tta", "tak", "dsf", "dff"]

    /// Whether the name says lossless audio.
    public static func isLosslessName(_ path: String) -> Bool {
        losslessExtensions.contains((path as NSString).pathExtension.lowercased())
    }

    /// A file as a candidate lists it; its duration from the list, or from its size when the
    /// release states a constant bitrate.
    public init(entry: TorrentFileEntry, bitrateKbps: Int?) {
        self.init(path: entry.path, sizeBytes: entry.sizeBytes)
        if let listed = entry.durationSecs {
            durationSecs = listed
            durationSource = "the file list"
        } else if let kbps = bitrateKbps, kbps > 0, entry.sizeBytes > 0 {
            durationSecs = Double(entry.sizeBytes) * 8 / Double(kbps * 1000)
            durationSource = "size × \(kbps) kbps"
        }
    }

    /// Evidence stated outright (a CUE sheet's track): nothing to read from a path.
    init(path: String, sizeBytes: Int64, track: Int, title: String) {
        self.path = path
        self.sizeBytes = sizeBytes
        self.track = track
        self.title = title
    }

    /// Reads `CD2/03 - Title.flac`, `Disc 1/01. Title.mp3`, `1-03 Title.flac`, `d2t05 Title.flac`,
    /// `03 Artist - Title.flac`, `Artist - Album - 03 - Title.flac`.
    public init(path: String, sizeBytes: Int64) {
        self.path = path
        self.sizeBytes = sizeBytes
        let components = path.split(separator: "/").map(String.init)
        var name = ((components.last ?? path) as NSString).deletingPathExtension
        for folder in components.dropLast().reversed() {
            if let match = folder.regexRange(#"(?i)\b(cd|disc|disk|d)\s*[-_. ]?\s*(\d{1,2})\b"#) {
                disc = Int(folder[match].filter(\.isNumber))
                break
            }
        }
        if let match = name.regexRange(#"(?i)^d(\d{1,2})t(\d{1,3})\b"#) {
            let numbers = name[match].split { !$0.isNumber }.compactMap { Int($0) }
            disc = disc ?? numbers.first
            track = numbers.last
            name.removeSubrange(match)
        } else if let match = name.regexRange(#"^(\d)[-.](\d{2})\b"#) {
            let numbers = name[match].split { !$0.isNumber }.compactMap { Int($0) }
            disc = disc ?? numbers.first
            track = numbers.last
            name.removeSubrange(match)
        } else if let match = name.regexRange(#"^\(?(\d{1,3})\)?(?=[\s._-])"#) {
            track = Int(name[match].filter(\.isNumber))
            name.removeSubrange(match)
        } else if let match = name.regexRange(#"\s-\s(\d{1,3})\s-\s"#) {
            // "Artist - Album - 03 - Title": what follows the number is the title.
            track = Int(name[match].filter(\.isNumber))
            name = String(name[match.upperBound...])
        }
        title = name.trimmingCharacters(in: CharacterSet(charactersIn: " ._-–"))
    }
}
