extension TrackTags {
    /// Tags from `KEY=VALUE` strings, as `downloader2 convert --tag` takes them. Known keys: title,
    /// artist, album, album_artist, track, track_total, disc, disc_total, date, genre; `track` and
    /// `disc` also take `N/TOTAL`. Any other key becomes a custom tag.
    public init(assignments: [String]) throws {
        self.init()
        for assignment in assignments {
            guard let equals = assignment.firstIndex(of: "="), equals != assignment.startIndex else {
                throw AudioError.invalidRequest("tag '\(assignment)' is not KEY=VALUE")
            }
            let key = assignment[..<equals].lowercased()
            let value = String(assignment[assignment.index(after: equals)...])
            func number(_ text: Substring) throws -> Int {
                guard let n = Int(text.trimmingCharacters(in: .whitespaces)), n >= 0 else {
                    throw AudioError.invalidRequest("tag \(key) needs a number, got '\(value)'")
                }
                return n
            }
            let parts = value.split(separator: "/", maxSplits: 1)
            switch key {
            case "title": title = value
            case "artist": artist = value
            case "album": album = value
            case "album_artist", "albumartist": albumArtist = value
            case "track", "tracknumber":
                trackNumber = try number(parts.first ?? "")
                if parts.count == 2 { trackTotal = try number(parts[1]) }
            case "track_total", "tracktotal": trackTotal = try number(Substring(value))
            case "disc", "discnumber":
                discNumber = try number(parts.first ?? "")
                if parts.count == 2 { discTotal = try number(parts[1]) }
            case "disc_total", "disctotal": discTotal = try number(Substring(value))
            case "date", "year": date = value
            case "genre": genre = value
            default: custom[String(assignment[..<equals])] = value
            }
        }
    }
}
