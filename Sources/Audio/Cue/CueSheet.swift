import Foundation

/// A parsed CUE sheet: the album's fields and its audio tracks, each with the file it lives in.
///
/// Split rule (used by `segments`): a track starts at its INDEX 01 and ends where the next track in
/// the same file starts (its INDEX 01), or at the end of its file. A pregap (the next track's INDEX 00)
/// therefore stays at the end of the track before it, as a CD player plays it; audio before a file's
/// first INDEX 01 (a hidden pregap, or "track 0") belongs to no track and is not written.
public struct CueSheet: Sendable, Equatable {
    public struct Track: Sendable, Equatable {
        public var number: Int
        public var title: String?
        public var performer: String?
        public var file: String
        public var pregap: CueTime?
        public var start: CueTime
    }

    public var title: String?
    public var performer: String?
    public var date: String?
    public var genre: String?
    public var tracks: [Track]
    /// The text encoding the sheet was read in (see `CueTextDecoder`).
    public var encoding: CueTextDecoder.Encoding

    /// Parses a sheet's raw bytes, whatever their encoding.
    public static func parse(_ bytes: [UInt8]) throws -> CueSheet {
        let (text, encoding) = CueTextDecoder.decode(bytes)
        return try parse(text: text, encoding: encoding)
    }

    public static func parse(text: String, encoding: CueTextDecoder.Encoding = .utf8) throws -> CueSheet {
        var sheet = CueSheet(tracks: [], encoding: encoding)
        var file: String? = nil
        var current: (number: Int, title: String?, performer: String?, file: String, pregap: CueTime?, start: CueTime?, isAudio: Bool)? = nil
        func closeTrack(line: Int) throws {
            guard let track = current else { return }
            current = nil
            guard track.isAudio else { return }
            guard let start = track.start else { throw AudioError.invalidCueSheet("track \(track.number) has no INDEX 01 (before line \(line))") }
            sheet.tracks.append(
                Track(number: track.number, title: track.title, performer: track.performer, file: track.file, pregap: track.pregap, start: start))
        }
        for (offset, rawLine) in text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).enumerated() {
            let line = offset + 1
            let words = CueLineLexer.words(of: rawLine)
            guard let command = words.first?.uppercased() else { continue }
            let arguments = Array(words.dropFirst())
            switch command {
            case "FILE":
                guard let name = arguments.first else { throw AudioError.invalidCueSheet("line \(line): FILE without a name") }
                try closeTrack(line: line)
                file = name
            case "TRACK":
                try closeTrack(line: line)
                guard let number = arguments.first.flatMap({ Int($0) }) else {
                    throw AudioError.invalidCueSheet("line \(line): TRACK without a number")
                }
                guard let file else { throw AudioError.invalidCueSheet("line \(line): TRACK \(number) comes before any FILE") }
                let isAudio = (arguments.dropFirst().first ?? "AUDIO").uppercased() == "AUDIO"
                current = (number, nil, nil, file, nil, nil, isAudio)
            case "INDEX":
                guard current != nil else { throw AudioError.invalidCueSheet("line \(line): INDEX outside a TRACK") }
                guard arguments.count >= 2, let index = Int(arguments[0]) else {
                    throw AudioError.invalidCueSheet("line \(line): INDEX needs a number and a time")
                }
                let time = try CueTime(parsing: arguments[1], line: line)
                if index == 0 { current?.pregap = time }
                if index == 1 { current?.start = time }
            case "TITLE":
                if current != nil { current?.title = arguments.first } else { sheet.title = arguments.first }
            case "PERFORMER":
                if current != nil { current?.performer = arguments.first } else { sheet.performer = arguments.first }
            case "REM":
                switch arguments.first?.uppercased() {
                case "DATE": sheet.date = arguments.dropFirst().first
                case "GENRE": sheet.genre = arguments.dropFirst().joined(separator: " ")
                default: break
                }
            default:
                continue  // CATALOG, ISRC, FLAGS, PREGAP, POSTGAP, SONGWRITER…: nothing to split by
            }
        }
        try closeTrack(line: Int.max)
        guard !sheet.tracks.isEmpty else { throw AudioError.invalidCueSheet("no audio tracks") }
        for (previous, next) in zip(sheet.tracks, sheet.tracks.dropFirst()) where previous.file == next.file && next.start <= previous.start {
            throw AudioError.invalidCueSheet("track \(next.number) starts at \(next.start) but track \(previous.number) starts at \(previous.start)")
        }
        return sheet
    }

    /// The sample range of every track in its file at `sampleRate` (75 CUE frames per second).
    public func segments(sampleRate: Int) -> [(track: Track, range: SampleRange)] {
        tracks.enumerated().map { position, track in
            let next = tracks.dropFirst(position + 1).first
            let end = next.flatMap { $0.file == track.file ? $0.start.samples(atRate: sampleRate) : nil }
            return (track, SampleRange(start: track.start.samples(atRate: sampleRate), end: end))
        }
    }
}

/// A CUE position: minutes, seconds and frames of 1/75 s.
public struct CueTime: Sendable, Equatable, Comparable, CustomStringConvertible {
    public var frames: Int64

    public init(minutes: Int, seconds: Int, frames: Int) {
        self.frames = Int64((minutes * 60 + seconds) * 75 + frames)
    }

    init(parsing text: String, line: Int) throws {
        let parts = text.split(separator: ":").map { Int($0) }
        guard parts.count == 3, let m = parts[0], let s = parts[1], let f = parts[2], m >= 0, (0..<60).contains(s), (0..<75).contains(f) else {
            throw AudioError.invalidCueSheet("line \(line): '\(text)' is not a mm:ss:ff time")
        }
        self.init(minutes: m, seconds: s, frames: f)
    }

    /// Exact at the CD rate (588 samples a frame at 44.1 kHz) and at every rate divisible by 75.
    public func samples(atRate rate: Int) -> Int64 { frames * Int64(rate) / 75 }

    public var description: String { String(format: "%02lld:%02lld:%02lld", frames / 75 / 60, frames / 75 % 60, frames % 75) }

    public static func < (lhs: CueTime, rhs: CueTime) -> Bool { lhs.frames < rhs.frames }
}

/// Splits a CUE line into words; a double-quoted string is one word.
enum CueLineLexer {
    static func words(of line: Substring) -> [String] {
        var words: [String] = []
        var word = ""
        var quoted = false
        var hasWord = false
        for character in line {
            if character == "\"" {
                quoted.toggle()
                hasWord = true
            } else if character.isWhitespace && !quoted {
                if hasWord { words.append(word) }
                word = ""
                hasWord = false
            } else {
                word.append(character)
                hasWord = true
            }
        }
        if hasWord { words.append(word) }
        return words
    }
}
