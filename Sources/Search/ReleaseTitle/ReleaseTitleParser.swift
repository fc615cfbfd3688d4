import Basics
import Foundation

/// Reads artist, album, year, format, quality, source and flags from a torrent title, in the
/// naming styles indexers use: scene (`Artist-Album-WEB-2022-GROUP`), Gazelle
/// (`Artist - Album (1997) [FLAC / Lossless / CD / Log (100%) / Cue]`) and ruTracker
/// (`(Rock) [CD] Artist - Album - 2017, FLAC (tracks + .cue), lossless`).
public enum ReleaseTitleParser {
    public static func parse(_ rawTitle: String) -> ReleaseInfo {
        var info = ReleaseInfo()
        let original = TitleNormalizer.decodeEntities(rawTitle.trimmingCharacters(in: .whitespacesAndNewlines))
        let title = TitleNormalizer.normalize(rawTitle)
        if let east = EastAsianTitle(original) {
            info.artist = east.artist
            info.album = east.album
            info.year = east.year
            ReleaseTags.read(east.tags.joined(separator: " | "), into: &info, tagContext: true)
            ReleaseTags.read(original, into: &info, tagContext: false)
        } else if let scene = SceneName(title, underscored: rawTitle.contains("_") && !rawTitle.contains(" ")) {
            info.style = .scene
            info.artist = scene.artist
            info.album = scene.album
            info.sceneGroup = scene.group
            info.year = scene.year
            ReleaseTags.read(scene.tags.joined(separator: " "), into: &info, tagContext: true)
            ReleaseTags.read(title, into: &info, tagContext: false)
        } else {
            let names = NameParts(title, unspaced: !rawTitle.trimmingCharacters(in: .whitespaces).contains(" "))
            info.style = names.style
            info.artist = names.artist
            info.album = names.album
            info.year = names.year
            ReleaseTags.read(names.tagText, into: &info, tagContext: true)
            ReleaseTags.read(original, into: &info, tagContext: false)
            // "24_bit", "24.bit": the separators read as spaces.
            if title != original { ReleaseTags.read(title, into: &info, tagContext: false) }
        }
        if let artist = info.artist?.lowercased(), ["va", "v.a.", "v a", "various artists", "various", "сборник"].contains(artist) {
            info.artist = "Various Artists"
            info.variousArtists = true
            info.compilation = true
        }
        // "Complete Discography", "Discografia Completa": a discography names no one album.
        if let album = info.album,
            album.regexRange(
                #"^(\d+\s*(cd|albums?)\s+)?(collection|коллекция)\b|^((the|complete|studio|full)\s+)*(discography|discografia|дискография)\b|^studio albums\b|^\d+\+?\s+(bootleg\s+|live\s+)?(titles|albums|releases)$"#,
                caseInsensitive: true) != nil
        {
            // A discography's year is the first of its range.
            if let range = album.regexRange(#"(?<![0-9])(19|20)\d\d(?![0-9])"#) { info.year = Int(album[range]) }
            info.album = nil
            info.discography = true
        }
        ReleaseTags.inferFormat(&info, from: original)
        if let format = info.format, format.isLossless { info.lossless = true }
        return info
    }
}

/// `Artist-Album-(CAT01)-WEB-2022-GROUP`, `Artist - Album-2CD-FLAC-1997-GRP` (from `Artist_-_Album`):
/// hyphen-joined parts, the last a release group, words inside a part spaced (underscores and dots
/// already turned into spaces).
struct SceneName {
    var artist: String
    var album: String
    var year: Int?
    var group: String
    var tags: [String]

    /// One hyphen-separated field, and whether the hyphen before it had spaces on both sides (an
    /// underscore title's `_-_`, which joins words inside a field rather than separating fields).
    struct Field {
        var text: String
        var spaced = false
    }

    /// `underscored`: the title used underscores for spaces, so " - " came from `_-_`.
    init?(_ title: String, underscored: Bool = false) {
        // Scene names never carry square or curly brackets; a hyphen inside "[2017-Web-FLAC]" is a tag's.
        guard !title.contains(where: { "[]{}".contains($0) }) else { return nil }
        var artistPart: String
        var parts: [Field]
        if let double = title.range(of: "--"), !title[..<double.lowerBound].contains("-") {
            // "Gilles_Peterson--BBC_Radio_6_Music-…", "Luke_EP--Wildstyle_-_Sump_Ting-…": the double hyphen ends the artist.
            artistPart = String(title[..<double.lowerBound])
            parts = Self.fields(String(title[double.upperBound...]))
            guard parts.count >= 2 else { return nil }
        } else if !underscored, let spaced = title.range(of: " - ") {
            let right = String(title[spaced.upperBound...])
            guard !right.contains(" - ") else { return nil }
            artistPart = String(title[..<spaced.lowerBound])
            parts = Self.fields(right)
            guard parts.count >= 3 else { return nil }
        } else {
            var all = Self.fields(title)
            guard all.count >= 3, all.allSatisfy({ !$0.text.isEmpty }) else { return nil }
            // "Ringnes-Ronny_-_Nato_2020-…": two single words before the first `_-_` are one hyphenated name.
            if underscored, all.count >= 4, all[2].spaced, !all[1].spaced, !all[0].text.contains(" "), !all[1].text.contains(" ") {
                all[0].text += "-" + all.remove(at: 1).text
            }
            Self.joinHyphenatedNames(&all)
            guard all.count >= 2 else { return nil }
            artistPart = all[0].text
            parts = Array(all.dropFirst())
            parts[0].spaced = false
        }
        // The group: one word, or one and an "INT" (`GROUP_INT`).
        // "SKGTV English": a group and the language of the release.
        if let last = parts.last?.text, let space = last.firstIndex(of: " "),
            ["english", "german", "french", "spanish", "italian", "dutch", "russian", "japanese"].contains(
                last[last.index(after: space)...].lowercased())
        {
            parts[parts.count - 1].text = String(last[..<space])
        }
        guard let last = parts.last?.text, !last.isEmpty, last.count <= 24, last.split(separator: " ").count <= 3,
            !last.contains(" ") || last.lowercased().hasSuffix(" int"),
            Int(last) == nil || parts.count >= 3 || (1900...2099).contains(Int(last)!)
        else { return nil }
        group = parts.removeLast().text
        var tags: [String] = []
        if ["320", "256", "192", "128"].contains(group) { tags.append(group) }
        // A name that ends in its year has no group ("Tribulation-Melancholia-CDEP-2016").
        if let y = Int(group), (1900...2099).contains(y) { year = y }
        var albumWords: [Field] = []
        var yearParts: [String] = []
        for field in parts {
            let part = Self.withoutFeaturing(field.text)
            if part.isEmpty, let y = field.text.regexRange(#"^\((19|20)\d\d\)$"#).map({ Int(field.text[$0].dropFirst().dropLast()) }) {
                year = year ?? y
                tags.append(field.text)
                continue
            }
            guard !part.isEmpty else { continue }
            if field.spaced, !albumWords.isEmpty, tags.isEmpty {
                // "Discography_1998_-_2001": after an underscore title's `_-_` the name goes on.
                albumWords.append(Field(text: part, spaced: true))
            } else if let y = Int(part), (1900...2099).contains(y) {
                // A year straight after the artist ("Brother Ali-2007-The Undisputed Truth-FTD") comes before the album.
                year = year ?? y
                yearParts.append(part)
                tags.append(part)
                if albumWords.isEmpty { continue }
            } else if let date = part.regexRange(#"^\d{1,2}(st|nd|rd|th)? [A-Za-z]+ ((19|20)\d\d)$"#) {
                // "9th January 2001": a broadcast's date.
                year = year ?? Int(part[date].suffix(4))
                tags.append(part)
            } else if !tags.isEmpty && !albumWords.isEmpty || ReleaseTags.isSceneTag(part) || Self.isTagPart(part) && !albumWords.isEmpty
                || (!albumWords.isEmpty && part.count <= 5 && part == part.uppercased() && part.allSatisfy(\.isLetter))
            {
                tags.append(part)
            } else if tags.allSatisfy({ Int($0) != nil }) {
                albumWords.append(Field(text: part, spaced: field.spaced))
            } else {
                tags.append(part)
            }
        }
        // "1994-1994-(EP)-2008-FNT": an album named by a year, the release's year after it.
        if albumWords.isEmpty, yearParts.count >= 2 {
            albumWords = [Field(text: yearParts[0])]
            year = Int(yearParts[1])
        }
        // Only a name with a year or a scene tag among its parts is a scene name.
        guard !albumWords.isEmpty, !tags.isEmpty || year != nil, !artistPart.isEmpty else { return nil }
        // A year inside a tag ("WEB2009", "CD2003") when no part was one.
        if year == nil,
            let y = tags.lazy.compactMap({ tag in
                tag.regexRange(#"(19|20)\d\d$"#).flatMap { Int(tag[$0]) }
            }).first
        {
            year = y
        }
        func joined(_ fields: some Collection<Field>) -> String {
            fields.enumerated().map { index, field in index == 0 ? field.text : (field.spaced ? " - " : "-") + field.text }.joined()
        }
        // Catalogue numbers among the fields ("CERT18CD009", "(AAR002)"): they only matter with two name fields.
        let catalogues =
            albumWords.count < 2
            ? []
            : parts.map { $0.text.trimmingCharacters(in: CharacterSet(charactersIn: "() ")) }
                .filter { $0.regexRange(#"^[A-Za-z][A-Za-z0-9]*[A-Za-z]\d{2,}$|^[A-Za-z]{2,}\d{2,}$"#) != nil }
        if albumWords.count >= 2, !artistPart.contains(" "),
            catalogues.contains(where: { $0.count > artistPart.count + 1 && $0.lowercased().hasPrefix(artistPart.lowercased()) })
        {
            // "Cert18-Klute-Fear_Of_People-CERT18CD009-2000": a label first, the prefix of its own catalogue number.
            artistPart = albumWords.removeFirst().text
        } else if albumWords.count >= 2, let series = albumWords.last?.text, let number = series.regexRange(#"\s\d{2,4}$"#) {
            // "Voiron-Botine-Acid_Avengers_002-(AAR002)": the album is the label's series that the catalogue number
            // abbreviates ("Acid Avengers" → "AA…", 002), so the fields before it all belong to the artist.
            let initials = series[..<number.lowerBound].split(separator: " ").compactMap(\.first).map { $0.lowercased() }.joined()
            let value = Int(series[number].trimmingCharacters(in: .whitespaces))
            if initials.count >= 2,
                catalogues.contains(where: { catalogue in
                    let letters = catalogue.prefix { $0.isLetter }.lowercased()
                    return letters.hasPrefix(initials) && Int(catalogue.drop { $0.isLetter }) == value
                })
            {
                artistPart += "-" + joined(albumWords.dropLast())
                albumWords = [Field(text: series)]
            }
        }
        // "Dire.Straits.FLAC.collection.by.Spybird.standards.Dire.Straits-…": an uploader's collection around the artist's name.
        artistPart = Self.withoutCollector(artistPart)
        artist = artistPart.trimmingCharacters(in: .whitespaces)
        // "Double_Down_Radio_083__Incl_Masta_Monk_and_DJ_Montone_Guestmix": the guests a show includes are not its name.
        album = AlbumName.clean(joined(albumWords)).regexReplacing(#"(?<=\S)\s+incl\.?\s.+$"#, with: "", caseInsensitive: true)
        self.tags = tags
    }

    /// The title's fields: split at hyphens outside parentheses ("(DRR-20-1 CD-M)", "(feat … T-Pain)" stay whole).
    static func fields(_ text: String) -> [Field] {
        var fields: [Field] = []
        var current = ""
        var depth = 0
        var spaced = false
        let characters = Array(text)
        // Parentheses protect their hyphens only when they are balanced.
        let balanced = characters.filter { $0 == "(" }.count == characters.filter { $0 == ")" }.count
        for (index, character) in characters.enumerated() {
            if character == "(" { depth += 1 }
            if character == ")" { depth = max(0, depth - 1) }
            if character == "-", depth == 0 || !balanced {
                fields.append(Field(text: current.trimmingCharacters(in: .whitespaces), spaced: spaced))
                spaced = index > 0 && characters[index - 1] == " " && index + 1 < characters.count && characters[index + 1] == " "
                current = ""
            } else {
                current.append(character)
            }
        }
        fields.append(Field(text: current.trimmingCharacters(in: .whitespaces), spaced: spaced))
        return fields
    }

    /// "Dire Straits FLAC collection by Spybird standards Dire Straits" → "Dire Straits": an uploader's
    /// collection named around the artist's name, which comes again at its end.
    static func withoutCollector(_ artist: String) -> String {
        artist.regexMatches(#"^(\S+(?:\s\S+)?)\s.*\b(flac|mp3|collection)\b.*\s\1$"#, caseInsensitive: true).first.flatMap { $0[1] } ?? artist
    }

    /// Words a hyphenated name joins in the middle ("Capone-N-Noreaga", "Bone Thugs-n-Harmony").
    static let connectors: Set<String> = ["n", "da", "of", "de", "o", "a", "y"]

    /// Joins the pieces of hyphenated names that the field split tore apart: "T-Pain", "Jay-Z", "Static-X",
    /// "11-5", "KRS-One", "Capone-N-Noreaga", "Ex-Girlfriend", "Melo-G", "3-2-1". A piece of one or two
    /// letters or digits (not a release word) is glued to its neighbour, but only within the name, before
    /// the first tag, and never so that no album is left.
    static func joinHyphenatedNames(_ fields: inout [Field]) {
        func isGlue(_ field: Field) -> Bool {
            let text = field.text
            return !field.spaced && text.count <= 2 && text.allSatisfy({ $0.isLetter || $0.isNumber }) && !ReleaseTags.isSceneTag(text)
                && !isTagPart(text) && !["va"].contains(text.lowercased())
        }
        func isTag(_ field: Field) -> Bool {
            ReleaseTags.isSceneTag(field.text) || isTagPart(field.text) || (Int(field.text).map { (1900...2099).contains($0) } ?? false)
        }
        let original = fields
        // "KRS-One": three capitals before a short word; "Blak Jak Feat T-Pain": a name ending in one letter.
        if fields.count >= 4, !fields[1].spaced, !fields[1].text.contains(" "), !isTag(fields[1]) {
            let head = fields[0].text
            let lastWord = head.split(separator: " ").last.map(String.init) ?? head
            if (head.count == 3 && head == head.uppercased() && head.allSatisfy(\.isLetter) && fields[1].text.count <= 4)
                || (head.contains(" ") && lastWord.count == 1 && lastWord.first!.isUppercase)
            {
                fields[0].text += "-" + fields.remove(at: 1).text
            }
        }
        // The name ends at the first tag, or at a short capitalised word after the album began ("-FM-", "-ZA-").
        let nameEnd =
            fields.indices.first { index in
                isTag(fields[index]) || index >= 2 && (2...5).contains(fields[index].text.count) && fields[index].text.allSatisfy { $0.isUppercase }
            } ?? fields.count - 1
        var index = 0
        var end = nameEnd
        while index < min(end, fields.count) {
            guard isGlue(fields[index]) else { index += 1; continue }
            let hasNext = index + 1 < end && !fields[index + 1].spaced
            let next = hasNext ? fields[index + 1] : nil
            let previous = index > 0 ? fields[index - 1] : nil
            if index == 0 || next.map(isGlue) == true {
                guard let next else { index += 1; continue }
                fields[index].text += "-" + next.text
                fields.remove(at: index + 1)
                end -= 1
                continue
            }
            guard let previous else { index += 1; continue }
            if let next, !next.text.contains(" "), connectors.contains(fields[index].text.lowercased()), !previous.text.contains(" ") {
                fields[index - 1].text += "-" + fields[index].text + "-" + next.text
                fields.removeSubrange(index...(index + 1))
                end -= 2
            } else if let next, !next.text.contains(" "), previous.text.contains(" ") {
                fields[index].text += "-" + next.text
                fields.remove(at: index + 1)
                end -= 1
            } else {
                fields[index - 1].text += "-" + fields[index].text
                fields.remove(at: index)
                end -= 1
            }
        }
        // Never glue away the album: an artist and at least one name field must stay before the tags.
        if (fields.firstIndex(where: isTag) ?? fields.count) < 2 { fields = original }
    }

    /// A part made only of release words: "JP Retail", "Proper", "Ltd Ed", "BONUS TRACKS".
    static func isTagPart(_ part: String) -> Bool {
        let words = part.lowercased().split(separator: " ").map(String.init)
        let release: Set<String> = [
            "jp", "de", "us", "uk", "eu", "proper", "retail", "promo", "advance", "adv", "adv.", "ltd", "ltd.", "ed", "ed.", "limited", "edition",
            "bonus", "tracks", "explicit", "repack", "dirfix", "nfofix", "readnfo", "reissue", "remastered", "deluxe", "digipak", "boxset", "sat",
            "cable", "dvb",
            "inch", "vl", "vls", "pl", "fr", "it", "es", "nl",
        ]
        return !words.isEmpty && words.allSatisfy { release.contains($0) || ReleaseTags.isSceneTag($0) || TailTags.weak.contains($0) }
    }

    /// "Across the Line (feat Mikey Shyne)" → "Across the Line": guests, catalogue numbers and
    /// release words in parentheses ("(Cd Single)", "(Adv. Promo)") are not part of a name.
    static func withoutFeaturing(_ part: String) -> String {
        var kept = part
        var searchFrom = kept.startIndex
        while let range = kept.regexRange(#"\(([^()]*)\)"#, in: searchFrom..<kept.endIndex) {
            let inner = String(kept[range].dropFirst().dropLast())
            let words = inner.lowercased().split(whereSeparator: { $0 == " " || $0 == "." }).map(String.init)
            if !words.isEmpty,
                words.allSatisfy({
                    ReleaseTags.isSceneTag($0) || TailTags.weak.contains($0)
                        || ["single", "promo", "adv", "advance", "ep", "cd", "vinyl", "maxi"].contains($0)
                })
            {
                kept.removeSubrange(range)
                searchFrom = kept.startIndex
            } else {
                searchFrom = range.upperBound
            }
        }
        return kept.regexReplacing(#"\s*\((feat|ft|featuring|incl)\.?\s[^)]*\)"#, with: "", caseInsensitive: true)
            // A catalogue number in parentheses ("(APOC 001)", "(NRG112)") is the label's, not the name's.
            .regexReplacing(#"\s*\([A-Za-z]{2,}[\s-]?\d{2,}[^)]*\)"#, with: "")
            .trimmingCharacters(in: .whitespaces)
    }
}

/// The album's real name from what a title leaves: edition words at its end go to the tags.
enum AlbumName {
    static func clean(_ text: String) -> String {
        var out = text.trimmingCharacters(in: .whitespaces).regexReplacing(#"(\s+-)+$"#, with: "")
        // Edition words: "Deluxe", "Remastered" alone; "Special", "Standard", "Limited", "New" only with "Edition".
        let edition =
            #"\s*[-(~]?\s*\b((deluxe|expanded|collector'?s|anniversary|remastered|bonus track|super deluxe|\d+(st|nd|rd|th) anniversary)(\s+(edition|version|ed\.?))?|(premier|special|limited|standard|new)\s+(edition|version|ed\.?))\s*\)?\s*$"#
        // Release words a scene name leaves at the album's end: "Explicit", "PROMO single", "12 Inch".
        let release = #"\s+(explicit|promo|single|\d{1,2} ?inch)$"#
        // "© 2019": a reissue's copyright year.
        let copyright = #"\s*©\s*(19|20)\d\d$"#
        while let range = out.regexRange(edition, caseInsensitive: true) ?? out.regexRange(release, caseInsensitive: true)
            ?? out.regexRange(copyright),
            range.lowerBound != out.startIndex
        {
            out = String(out[..<range.lowerBound]).trimmingCharacters(in: .whitespaces)
        }
        // "02-12-99 Portland Maine": a concert's date before its place.
        if let range = out.regexRange(#"^\d{1,2}-\d{1,2}-\d{2,4}\s+(?=\S)"#) { out.removeSubrange(range) }
        return out
    }
}

/// Artist and album of a spaced title, with its tag text (brackets, ruTracker's tail) set apart.
struct NameParts {
    var artist: String?
    var album: String?
    var year: Int?
    var tagText = ""
    var style = ReleaseInfo.Style.plain

    /// `unspaced`: the title had no spaces (underscores, dots or plus signs stood for them).
    init(_ title: String, unspaced: Bool = false) {
        var text = title
        var tags: [String] = []
        // ruTracker: "(Genre) [CD] Artist - Album - 2017, FLAC (tracks + .cue), lossless"
        if let range = text.regexRange(#"\s[-–—]\s(19|20)(\d\d|xx)(\s*[-–/]\s*(19|20)\d\d)?(\s*\((19|20)\d\d\))?\s*,\s*"#, caseInsensitive: true) {
            tags.append(String(text[range.upperBound...]))
            // "- 2016 (1996)," and "- 1962 (2022),": a reissue; the original is the earlier year. "- 1993-2013 (2018),":
            // a range, whose first year counts. "- 19xx,": no year.
            let matched = String(text[range])
            let years = matched.regexMatches(#"(19|20)\d\d"#).compactMap { $0[0].flatMap { Int($0) } }
            if matched.regexRange(#"(19|20)\d\d\s*[-–/]\s*(19|20)\d\d"#) != nil {
                year = years.first
            } else {
                year = years.min()
            }
            text = String(text[..<range.lowerBound])
            style = .rutracker
        } else if let range = text.regexRange(#",\s*(FLAC|MP3|APE|ALAC|WavPack|WV|AAC|DSD|WAV|OGG)\b"#, caseInsensitive: true) {
            tags.append(String(text[range.lowerBound...]))
            text = String(text[..<range.lowerBound])
            style = .rutracker
        }
        // ruTracker's soundtracks: "Русское название / UHF (Original Motion Picture Soundtrack) (by “Weird Al”
        // Yankovic) - 1989/2017": the composer or performer in "(by …)", the album the name after the slash.
        if let by = text.regexRange(#"\(by\s+[^()]+\)"#), text[..<by.lowerBound].regexRange(#"\s[-–—]\s"#) == nil,
            let composer = Self.clean(String(text[by].dropFirst(4).dropLast()))
        {
            var name = String(text[..<by.lowerBound])
            if let leading = name.regexRange(#"^(\s*\[[^\]]*\])+"#) {
                tags.append(String(name[leading]))
                name.removeSubrange(leading)
            }
            if let slash = name.range(of: " / ") { name = String(name[slash.upperBound...]) }
            let rest = String(text[by.upperBound...])
            tags.append(rest)
            if year == nil, let range = rest.regexRange(#"(?<![0-9])(19|20)\d\d(?![0-9])"#) { year = Int(rest[range]) }
            artist = composer
            album = Self.clean(name)
            style = .rutracker
            tagText = tags.joined(separator: " | ")
            return
        }
        // "Big Mama Thornton - Ball 'N' Chain (1968), The Way It Is (1969), FLAC": several albums, each with its year.
        if let separator = text.range(of: " - "), text[separator.upperBound...].regexRange(#"\((19|20)\d\d\)\s*,\s*[^,]+\((19|20)\d\d\)"#) != nil {
            let albums = String(text[separator.upperBound...])
            artist = Self.clean(String(text[..<separator.lowerBound]))
            year = year ?? albums.regexRange(#"(19|20)\d\d"#).flatMap { Int(albums[$0]) }
            tags.append("discography")
            tagText = tags.joined(separator: " | ")
            return
        }
        // Bracketed segments are tags, except a bracket that only holds the year.
        let bracket = #"\[[^\]]*\]|\([^)]*\)|\{[^}]*\}"#
        var sawTagBracket = false
        // "(Genre) [CD] Artist (Alias) - …": brackets before any name do not count as tags after the name.
        let leadingBrackets = style == .rutracker ? text.regexRange(#"^(\s*(\[[^\]]*\]|\([^)]*\)|\{[^}]*\}))+"#)?.upperBound : nil
        while let range = text.regexRange(bracket) {
            let inner = String(text[range].dropFirst().dropLast()).trimmingCharacters(in: .whitespaces)
            if let y = Int(inner), (1900...2099).contains(y) {
                // "Album (1997) MP3 320kbps [Scans]": what follows the year bracket is tags.
                year = year ?? y
                tags.append(String(text[range.upperBound...]))
                text = String(text[..<range.lowerBound])
                continue
            } else if text[range].hasPrefix("["), inner.regexRange(#"^\d{1,2}\.\d{2}$"#) != nil, text[..<range.lowerBound].contains(" - ") {
                // "VA - The Official UK Top 40 Singles Chart [16.03] (2018)": a weekly chart's day and month name its edition.
                text.replaceSubrange(range, with: "⟨" + inner + "⟩")
                continue
            } else if inner.regexRange(#"^(19|20)\d\d\s*[-–]\s*(19|20)\d\d$"#) != nil {
                year = year ?? Int(inner.prefix(4))
                tags.append("discography-range")
            } else if text[range].hasPrefix("("), !sawTagBracket, Self.isNamePart(inner), Self.keepsParenthesis(text, at: range, style: style) {
                // "(The Remix)", "(2nd Version)", "(Audien Remix)": part of the album's name; kept aside until the name is read.
                text.replaceSubrange(range, with: "⟨" + inner + "⟩")
                continue
            } else {
                if leadingBrackets.map({ range.lowerBound >= $0 }) ?? true { sawTagBracket = true }
                tags.append(inner)
                // "TruAnt (FLAC) DRONE": one capitalised word after a tag bracket at the end is an uploader's.
                let after = text[range.upperBound...].trimmingCharacters(in: .whitespaces)
                if !after.isEmpty, after.count <= 12, !after.contains(" "), after == after.uppercased(),
                    after.allSatisfy({ $0.isLetter || $0.isNumber }),
                    text[..<range.lowerBound].contains(" - ")
                {
                    tags.append(after)
                    text.removeSubrange(range.upperBound...)
                }
                if text[range].hasPrefix("[") && inner.contains("/") && style == .plain { style = .gazelle }
            }
            text.replaceSubrange(range, with: " ")
        }
        text = text.regexReplacing(#"(?<![0-9])(\d)-CD\b"#, with: "$1CD", caseInsensitive: true)
        let pieces = text.components(separatedBy: CharacterSet(charactersIn: "-–—"))
            .map { $0.trimmingCharacters(in: .whitespaces) }
        // Only " - " separates artist from album; a hyphen inside a word ("Jay-Z", "AC-DC") does not.
        // Without one, a hyphen spaced on one side only ("Slowdive- Souvlaki") does.
        let separated =
            text.regexRange(#"\s[-–—]\s"#) ?? text.regexRange(#"(?<=\S)\s\?\s(?=\S)"#)
            ?? text.regexRange(#"(?<=[^\s-])[-–—]\s|\s[-–—](?=[^\s\d-])"#)
        var segments: [String]
        // "Green_Day-Father_Of_All_FLAC_M4A_24_bit_Lossless": in a title written without spaces, one hyphen.
        var single =
            separated == nil && unspaced && text.filter({ $0 == "-" }).count == 1
                && text.split(separator: " ").contains(where: { TailTags.isStrong(String($0)) }) ? text.firstIndex(of: "-") : nil
        // "of Montreal-Hissing Fauna, Are You The Destroyer? 2007": one bare hyphen after a name of two or three words.
        if separated == nil, single == nil, text.filter({ $0 == "-" }).count == 1, let hyphen = text.firstIndex(of: "-") {
            let left = text[..<hyphen].split(separator: " "), right = text[text.index(after: hyphen)...].split(separator: " ")
            if (2...3).contains(left.count), right.count >= 2, text[text.index(before: hyphen)] != " " { single = hyphen }
        }
        if let single {
            segments = [
                String(text[..<single]).trimmingCharacters(in: .whitespaces),
                String(text[text.index(after: single)...]).trimmingCharacters(in: .whitespaces),
            ]
        } else if let separated {
            let left = String(text[..<separated.lowerBound]).trimmingCharacters(in: .whitespaces)
            let right = String(text[separated.upperBound...])
            segments = [left] + right.components(separatedBy: #" - "#).map { $0.trimmingCharacters(in: .whitespaces) }
        } else {
            segments = [pieces.joined(separator: "-").trimmingCharacters(in: .whitespaces)]
        }
        segments = segments.filter { !$0.isEmpty }
        // A segment that is only a year ("of Montreal - 2007 - Hissing Fauna") is the year, not a name.
        if segments.count > 2, let index = segments.dropFirst().dropLast().firstIndex(where: { Int($0).map { (1900...2099).contains($0) } ?? false })
        {
            year = year ?? Int(segments[index])
            if index >= 2 {
                // "Ария - Ночь короче дня - 1995 - ремастер by Zvezdopad": what follows the year is about the release.
                tags.append(contentsOf: segments[(index + 1)...])
                segments.removeSubrange(index...)
            } else {
                segments.remove(at: index)
            }
        }
        // An artist with the year glued to it ("Roberta Flack 2006 - The Very Best of").
        if segments.count >= 2, let range = segments[0].regexRange(#"\s(19|20)\d\d$"#) {
            year = year ?? Int(segments[0][range].trimmingCharacters(in: .whitespaces))
            segments[0].removeSubrange(range)
        }
        // Trailing segments made only of tags ("… - lossless FLAC Tracks - CDrip", "… - Ogg-Vorbis Q10").
        while segments.count > 2, let last = segments.last,
            last.split(whereSeparator: { $0 == " " || $0 == "-" }).allSatisfy({
                TailTags.isStrong(String($0)) || TailTags.weak.contains($0.lowercased())
            })
        {
            tags.append(last)
            segments.removeLast()
        }
        if segments.count >= 2 {
            // A scene tail glued to the album ("Rastaman Vibration -2002-RNS", "Urban Dance Vol.15-2016").
            let last = segments[segments.count - 1]
            if let range = last.regexRange(#"(?<!(19|20)\d\d)\s*-((19|20)\d\d)(\.\d)?(-[^\s-]+)?$"#) {
                let tail = String(last[range])
                if year == nil, let y = tail.regexRange(#"(19|20)\d\d"#).flatMap({ Int(tail[$0]) }) { year = y }
                tags.append(tail)
                segments[segments.count - 1] = String(last[..<range.lowerBound])
            }
            // A year before the album's name ("2010 7th Symphony").
            if year == nil, let range = segments[segments.count - 1].regexRange(#"^(19|20)\d\d\s+(?=\S)"#) {
                year = Int(segments[segments.count - 1][range].trimmingCharacters(in: .whitespaces))
                segments[segments.count - 1].removeSubrange(range)
            }
        }
        if let last = segments.last {
            // Unbracketed tags at the end ("… OK Computer 1997 FLAC 24bit", "… Love Album 2016 mp3 320 Kbps") are tags.
            let words = last.split(separator: " ").map(String.init)
            var (kept, tail) = TailTags.split(words)
            // Years alone after a name whose year a bracket already gave are part of the name
            // ("OK Computer OKNOTOK 1997 2017 (2017)").
            let onlyYears = !tail.isEmpty && tail.allSatisfy({ Int($0).map { (1900...2099).contains($0) } ?? false })
            if year != nil, onlyYears {
                kept = words
                tail = []
            } else if onlyYears, tail.count == 1, segments.count >= 2,
                ["va", "v.a.", "various artists", "various"].contains(segments[0].lowercased())
            {
                // A compilation's year is part of its name ("VA - NRJ Winter Hits 2016"), and its year too.
                year = Int(tail[0])
                kept = words
                tail = []
            }
            tags.append(contentsOf: tail)
            if year == nil, let y = tail.lazy.compactMap({ Int($0) }).first(where: { (1900...2099).contains($0) }) { year = y }
            segments[segments.count - 1] = kept.joined(separator: " ")
        }
        // "Chuck Berry Discography": the artist's discography, no album.
        if segments.count == 1,
            let range = segments[0].regexRange(#"\s(complete\s+|studio\s+)?(discography|discografia|дискография)\b"#, caseInsensitive: true)
        {
            artist = Self.clean(String(segments[0][..<range.lowerBound]))
            tags.append("discography")
            segments = []
        }
        // A trailing segment that is only a year ("… - 2017") is the year.
        // With only "Artist - 1989", the number is the album.
        if let last = segments.last, let y = Int(last), (1900...2099).contains(y), segments.count > 2 {
            year = year ?? y
            segments.removeLast()
        }
        // "MP3 NEW RELEASES 2018 WEEK 10", "2018 - New Album Releases 16-03-2018": a week's pack of many albums.
        if segments.count == 1 || segments.first.flatMap({ Int($0) }) != nil,
            segments.joined(separator: " ").regexRange(#"\bnew (album )?(releases|albums)\b"#, caseInsensitive: true) != nil
        {
            if year == nil, let y = segments.joined(separator: " ").regexRange(#"(?<![0-9])(19|20)\d\d(?![0-9])"#) {
                year = Int(segments.joined(separator: " ")[y])
            }
            tags.append("compilation")
            segments = []
        }
        if let first = segments.first, first.regexRange(#"^label\s*:"#, caseInsensitive: true) != nil {
            // "Label: KDK Records: …": a label's catalogue, no one album.
            tags.append("compilation")
            segments = []
        }
        // "Lady Gaga Born This Way", "ADELE 25": no separator; a performer's name known from the charts at its start.
        if segments.count == 1, style == .plain, let known = KnownArtists.split(segments[0]) {
            segments = [known.artist, known.rest]
        }
        if segments.count >= 2 {
            artist = Self.clean(SceneName.withoutCollector(segments[0]))
            album = Self.clean(AlbumName.clean(segments[1...].joined(separator: " - ")))
        } else if let only = segments.first {
            album = Self.clean(AlbumName.clean(only))
        }
        // A year among the bracketed tags ("[2008/FLAC/Lossless]", "(Single 2014)", "{2013-Album}") when the name gave none.
        if year == nil {
            for tag in tags {
                if let range = tag.regexRange(#"(?<![0-9])(19|20)\d\d(?![0-9])"#) {
                    year = Int(tag[range])
                    break
                }
            }
        }
        if year == nil, let album, album.regexRange(#"^(19|20)\d\d$"#) == nil,
            let range = album.regexRange(#"(?<![0-9])(19|20)\d\d(?![0-9])"#)
        {
            year = Int(album[range])
        }
        tagText = tags.joined(separator: " | ")
        if style == .plain, tagText.contains(" / ") { style = .gazelle }
    }

    /// Where a name's own parenthesis may stand: after the artist in plain titles ("Album (The
    /// Remix)"); in ruTracker titles only beside the artist ("Artist (Alias) - Album"), since the
    /// parentheses after a ruTracker album hold the label or catalogue number.
    static func keepsParenthesis(_ text: String, at range: Range<String.Index>, style: ReleaseInfo.Style) -> Bool {
        let before = text[..<range.lowerBound]
        let separatorBefore = before.regexRange(#"\s[-–—]\s"#) != nil
        // "OMD (Orchestral Manoeuvres In The Dark) - Album", "Tim Grimm (& The Family Band) - …": an artist's alias or band.
        let beforeName = before.regexReplacing(#"^(\s*(\[[^\]]*\]|\([^)]*\)|\{[^}]*\}))+"#, with: "").trimmingCharacters(in: .whitespaces)
        if !separatorBefore, !beforeName.isEmpty, before.hasSuffix(" "), text[range.upperBound...].regexRange(#"^\s*[-–—]\s"#) != nil { return true }
        // "Lady Gaga Born This Way (The Remix) 2011": no separator, but a known performer's name at the start.
        if style == .plain, !separatorBefore, text.regexRange(#"\s[-–—]\s"#) == nil, KnownArtists.split(String(before)) != nil { return true }
        if style == .rutracker {
            let leading = before.trimmingCharacters(in: .whitespaces).isEmpty || before.hasSuffix("]") || before.hasSuffix(") ")
            // "КВАТРО (KVATRO) - …" keeps the alias; "Bumblebee(Shmely, AntiVirus) - …", written against the name, does not.
            return !separatorBefore && !leading && before.hasSuffix(" ") && text[range.upperBound...].regexRange(#"\s[-–—]\s"#) != nil
        }
        return separatorBefore
    }

    /// Whether a parenthesis after the album holds words of its name rather than release facts.
    static func isNamePart(_ inner: String) -> Bool {
        var probe = ReleaseInfo()
        ReleaseTags.read(inner, into: &probe, tagContext: true)
        let facts =
            probe.format != nil || probe.source != nil || probe.bitrate != nil || probe.bitDepth != nil || !probe.editions.isEmpty
            || probe.live || probe.single || probe.ep || probe.bootleg || probe.discography || probe.compilation || probe.hasLog || probe.hasCue
            || probe.scans
        let release =
            #"(?i)^\d{6,}$|\b(19|20)\d\d\b|\b(japan|japanese|russia|import|exclusive|explicit|clean|original mix|feat|ft|featuring|incl|bonus|(deluxe|special|standard|expanded|explicit|clean|extended) version|edition|album|us|uk|eu|jp|promo|advance|retail|ost|soundtrack|by)\b|[/%@]"#
        return !facts && inner.regexRange(release) == nil && !inner.isEmpty
    }

    static func clean(_ text: String) -> String? {
        let collapsed = text.replacingOccurrences(of: "⟨", with: "(").replacingOccurrences(of: "⟩", with: ")")
            .regexReplacing(#"(\s+-)+$|^(-\s+)+"#, with: "")
            .regexReplacing(#"\s+"#, with: " ")
            .trimmingCharacters(in: CharacterSet.whitespaces.union(CharacterSet(charactersIn: ",")))
        return collapsed.isEmpty ? nil : collapsed
    }
}

/// The tags a spaced title carries unbracketed at its end: formats, bitrates, years, sources and
/// the noise around them ("Album", "Download", "RIP", a group's name after them).
enum TailTags {
    static let weak: Set<String> = [
        "rip", "download", "tracks", "cdrip", "perfect", "int", "proper", "retail", "kbps", "kbit", "kb/s", "2cd", "3cd", "4cd", "cd", "lp",
        "web", "lossless", "album", "vbr", "cbr", "eac", "log", "cue", "scans", "ogg", "vorbis", "itunes", "plus", "m4a", "hq",
        "bit", "bits", "single", "explicit", "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ]

    /// Whether `word` alone says something about the release, not its name.
    static func isStrong(_ word: String) -> Bool {
        let w = word.lowercased().trimmingCharacters(in: CharacterSet(charactersIn: ",;:@"))
        if let y = Int(w), (1900...2099).contains(y) { return true }
        if ["320", "256", "224", "192", "160", "128"].contains(w) { return true }
        // "2018-seedpool": the year and the uploader glued.
        if w.regexRange(#"^(19|20)\d\d-[a-z][a-z0-9]*$"#) != nil { return true }
        // "FLAC+CUE", "MP3+LOG": tags joined by plus signs.
        if w.contains("+"), w.split(separator: "+").allSatisfy({ isStrong(String($0)) || weak.contains(String($0)) }) { return true }
        return ReleaseTags.isTrailingTag(w)
            || w.regexRange(
                #"^\d{3}(kbps|k)$|^(web)?flac(16|24)?(bits?)?$|^q\d{1,2}$|^(16|24|32)(bits?)?$|^\d{2}bits?$|^\d{2,3}([.,]\d)?khz$|^\d?cd[rsm]?\d*$|^(2|3|4)cd$"#
            ) != nil
    }

    static func split(_ words: [String]) -> (kept: [String], tail: [String]) {
        guard words.count > 1 else { return (words, []) }
        var cut = words.count
        var sawStrong = false
        var index = words.count - 1
        var trailingNames = 0
        var onlyWeak = true
        while index >= 1 {
            let word = words[index]
            let lower = word.lowercased()
            if isStrong(word) {
                sawStrong = true
                onlyWeak = false
                cut = index
            } else if weak.contains(lower) {
                // "The Album 1977" keeps its name; "Love Album 2016" loses the noise word.
                if lower == "album", index > 0, words[index - 1].lowercased() == "the" { break }
                if sawStrong || onlyWeak { cut = sawStrong ? index : cut } else { break }
            } else if sawStrong, index >= 2,
                (1...2).contains(where: { back in
                    words[index - back + 1...index].allSatisfy { $0.first?.isUppercase == true && $0.count <= 10 }
                        && Int(words[index - back]).map { (1900...2099).contains($0) } == true
                })
            {
                // "… 2011 Hip Hop 320kbps MP3": a genre between the year and the format.
                cut = index
                onlyWeak = false
            } else if !sawStrong, trailingNames < 2, word.count <= 12, word.allSatisfy({ $0.isLetter || $0.isNumber }),
                word == word.uppercased() || word.first?.isLowercase == true && word.dropFirst().contains(where: \.isUppercase)
                    || word.contains(where: \.isNumber) && word.dropFirst().contains(where: \.isUppercase) && word.contains(where: \.isLowercase)
            {
                // A group or uploader after the tags ("… FLAC 2015 PERFECT", "… UNDERTONE iNT").
                trailingNames += 1
            } else {
                break
            }
            index -= 1
        }
        guard sawStrong, cut < words.count else { return (words, []) }
        return (Array(words[..<cut]), Array(words[cut...]))
    }
}
