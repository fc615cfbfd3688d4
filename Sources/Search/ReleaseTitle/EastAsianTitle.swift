import Basics
import Foundation

/// Titles in Japanese or Chinese script, whose shapes the Latin rules do not know:
/// - anime music (nyaa, dmhy, tsdm): `[170607] TVアニメ「Show」OPテーマ「Song」／Artist [FLAC+CUE+BK]`,
///   the song in the last 「」 before `／Artist`; an OST names no artist (`TVアニメ「Show」オリジナルサウンドトラック`);
/// - Chinese album folders: `歌手-《2002-专辑》[WAV 分轨]`, `歌手.-.[专辑].专辑.(APE)`, `1999歌手 - 专辑(单曲)`,
///   `赵传2014-专辑 3CD[WAV+CUE]`, `2002-专辑` (no artist), `歌手(专辑)专辑`.
/// Full-width brackets count as ASCII ones; a leading `[uploader]`, `[date]` or `【…】` is a tag.
struct EastAsianTitle {
    var artist: String?
    var album: String?
    var year: Int?
    var tags: [String] = []

    static func containsCJK(_ text: String) -> Bool { text.regexRange(#"[\p{Han}\p{Hiragana}\p{Katakana}]"#) != nil }

    init?(_ raw: String) {
        guard Self.containsCJK(raw) else { return nil }
        var text = raw.replacingOccurrences(of: "（", with: "(").replacingOccurrences(of: "）", with: ")")
            .replacingOccurrences(of: "【", with: "[").replacingOccurrences(of: "】", with: "]")
            .regexReplacing(#"\.(zip|rar|7z)$"#, with: "", caseInsensitive: true)
            .regexReplacing(#"^\d{1,3}、"#, with: "")
            .trimmingCharacters(in: .whitespaces)
        // Leading brackets: an uploader, a label, a date ("[170607]", "[2021.11.24]", "[2013]").
        while let range = text.regexRange(#"^\[[^\]]*\]\s*(-\s+)?"#) {
            let inner = String(text[range]).trimmingCharacters(in: CharacterSet(charactersIn: " -")).dropFirst().dropLast()
            if year == nil { year = Self.dateYear(String(inner)) }
            tags.append(String(inner))
            text = String(text[range.upperBound...]).trimmingCharacters(in: .whitespaces)
        }
        guard !text.isEmpty else { return nil }
        guard readAnime(text) || readBookTitle(text) || readHits(text) || readGlued(text) || readSpaced(text) || readRomanized(text) || readBare(text)
        else { return nil }
        // A year among the words after the name ("《专辑》2004 DSD", "专辑 2020 [FLAC]").
        if year == nil, let y = tags.joined(separator: " ").regexMatches(#"(?<![0-9])((19|20)\d\d)(?![0-9])"#).first { year = Int(y[1] ?? "") }
    }

    /// `SHIN KIMAGURE ORANGE★ROAD … Image Album 新きまぐれオレンジ★ロード… FLAC`: a romanised name, then the
    /// name in its own script, which is the one kept.
    private mutating func readRomanized(_ text: String) -> Bool {
        guard !text.contains(" - "),
            let m = text.regexMatches(#"^([^\p{Han}\p{Hiragana}\p{Katakana}]+?)\s+([\p{Han}\p{Hiragana}\p{Katakana}].*)$"#).first,
            (m[1] ?? "").split(separator: " ").count >= 3
        else { return false }
        tags.append(m[1] ?? "")
        album = Self.cleanAlbum(m[2] ?? "", tags: &tags)
        return album != nil
    }

    /// A singer's "best of" named after them: `林子祥精选集`, `张国荣好精选(SACD)`: the name before
    /// 精选集 / 精選 / 金曲集 ("selected songs", "golden songs") is the artist's, and the whole is the album's.
    private mutating func readHits(_ text: String) -> Bool {
        let (cut, rest) = Self.cutAtBracket(text)
        let name = cut.regexReplacing(#"\s*\([^()]*\)\s*$"#, with: "")
        guard let m = name.regexMatches(#"^(\p{Han}{2,4}?)(好|最佳)?(精[选選]集?|精[选選]辑|金曲集?)$"#).first, let who = m[1] else { return false }
        artist = who
        album = name
        tags.append(String(cut.dropFirst(name.count)) + rest)
        return true
    }

    /// A bare name after a date bracket ("[2013]天使與魔鬼的對話").
    private mutating func readBare(_ text: String) -> Bool {
        guard year != nil, !text.contains(" - "), Self.containsCJK(text) else { return false }
        album = Self.cleanAlbum(text, tags: &tags)
        return album != nil
    }

    /// The year of a date written `170607`, `2021.11.24`, `1994-03` or `2013`.
    static func dateYear(_ text: String) -> Int? {
        if let m = text.regexMatches(#"^(\d{2})(\d{2})(\d{2})$"#).first, let yy = Int(m[1] ?? ""), let mm = Int(m[2] ?? ""), (1...12).contains(mm) {
            return yy > 60 ? 1900 + yy : 2000 + yy
        }
        if let m = text.regexMatches(#"^((19|20)\d\d)([.\-/]\d{1,2}){0,2}$"#).first { return Int(m[1] ?? "") }
        return nil
    }

    /// `…「Song」／Artist [tags]`, or an OST's `TVアニメ「Show」オリジナルサウンドトラック [tags]`.
    private mutating func readAnime(_ text: String) -> Bool {
        let quoted = #"[「『]([^「」『』]+)[」』]"#
        let (name, rest) = Self.cutAtBracket(text)
        if let m = name.regexMatches(quoted + #"\s*[／/]\s*(.+)$"#).last, let song = m[1], let who = m[2] {
            artist = who.trimmingCharacters(in: .whitespaces)
            album = song.trimmingCharacters(in: .whitespaces)
        } else if let m = name.regexMatches(quoted + #"([^「」『』]*)$"#).last, let title = m[1] {
            album = (title + " " + (m[2] ?? "")).trimmingCharacters(in: .whitespaces)
        } else {
            return false
        }
        tags.append(rest)
        return true
    }

    /// `歌手-《2002-专辑》[tags]`, `[收藏]歌手《专辑》VOL.1[tags]`, `东升魔音唱片 歌手 第九张专辑《专辑》WAV+CUE`.
    private mutating func readBookTitle(_ text: String) -> Bool {
        guard let m = text.regexMatches(#"^(.*?)《([^》]*)》(.*)$"#).first else { return false }
        var before = (m[1] ?? "").trimmingCharacters(in: CharacterSet(charactersIn: " -.")), inner = m[2] ?? ""
        if before.isEmpty, let open = inner.firstIndex(of: "[") {
            // "《韩宝仪[1993-男女对唱歌集》": the artist inside.
            before = String(inner[..<open])
            inner = String(inner[inner.index(after: open)...])
        }
        if let y = inner.regexMatches(#"^((19|20)\d\d)\s*-\s*(.+)$"#).first {
            year = year ?? Int(y[1] ?? "")
            inner = y[3] ?? inner
        }
        // The words before the title: a label, the artist, "the ninth album"; the artist is the one that is a name.
        var words = before.split(separator: " ").map(String.init).filter { $0.regexRange(#"(专辑|專輯|唱片|收藏)$"#) == nil && $0 != "-" }
        if words.count > 1, let y = Self.dateYear(words[0]) {
            year = year ?? y
            words.removeFirst()
        }
        if let name = words.last { readArtist(name) }
        album = Self.cleanAlbum(inner, tags: &tags)
        tags.append(m[3] ?? "")
        return album != nil
    }

    /// `1994-03郭富城 - AK-47(港首版+华星)`, `1999郭富城 - 歌`, `赵传2014-歌声传情 3CD[…]`, `2002-坚持到底`, `蔡琴(你的眼神)专辑`.
    private mutating func readGlued(_ text: String) -> Bool {
        if let m = text.regexMatches(#"^((19|20)\d\d)(-\d{1,2})?\s*(\p{Han}[^\s\-]*)\s+-\s+(.+)$"#).first {
            year = year ?? Int(m[1] ?? "")
            artist = m[4]
            album = Self.cleanAlbum(m[5] ?? "", tags: &tags)
        } else if let m = text.regexMatches(#"^(\p{Han}+)((19|20)\d\d)\s*-\s*(.+)$"#).first {
            artist = m[1]
            year = year ?? Int(m[2] ?? "")
            album = Self.cleanAlbum(m[4] ?? "", tags: &tags)
        } else if let m = text.regexMatches(#"^((19|20)\d\d)\s*-\s*(?=[\p{Han}\d])(.+)$"#).first {
            year = year ?? Int(m[1] ?? "")
            album = Self.cleanAlbum(m[3] ?? "", tags: &tags)
        } else if let m = text.regexMatches(#"^(\p{Han}+)\((\p{Han}+)\)(专辑|專輯)?$"#).first {
            artist = m[1]
            album = m[2]
        } else {
            return false
        }
        return album != nil
    }

    /// `歌手 - 专辑 - 16-44`, `歌手.-.[专辑].专辑.(APE)`, `蔡琴 - [(1983) 昨夜之灯] (FLAC)`, `歌手 - 专辑 2020 [FLAC24bit48Khz]`.
    private mutating func readSpaced(_ text: String) -> Bool {
        let spaced = text.regexReplacing(#"^([^\s.]+)\.-\."#, with: "$1 - ").regexReplacing(#"\]\.(\S+)\.\("#, with: "] $1 (")
        var parts = spaced.components(separatedBy: " - ").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        if let first = parts.first, let y = Self.dateYear(first), parts.count >= 3 {
            year = year ?? y
            parts.removeFirst()
        }
        while parts.count > 2, let last = parts.last,
            last.split(separator: " ").allSatisfy({ TailTags.isStrong(String($0)) || Self.isQualityPair(String($0)) })
        {
            tags.append(last)
            parts.removeLast()
        }
        guard parts.count >= 2, Self.containsCJK(parts[0]) || Self.containsCJK(parts[1]) else { return false }
        readArtist(parts[0])
        var rest = parts[1...].joined(separator: " - ")
        // "[(1983) 昨夜之灯] (FLAC)", "[寂寞让我如此美丽] 专辑 (APE)": the album in the bracket.
        if let m = rest.regexMatches(#"^\[([^\]]+)\](.*)$"#).first, let inner = m[1], Self.containsCJK(inner) {
            var name = inner
            if let y = name.regexMatches(#"^\(((19|20)\d\d)\)\s*(.+)$"#).first {
                year = year ?? Int(y[1] ?? "")
                name = y[3] ?? name
            }
            tags.append(m[2] ?? "")
            rest = name
        }
        album = Self.cleanAlbum(rest, tags: &tags)
        // A year among the words after the album ("是但求其爱 2020", "Bored 1997").
        if year == nil, let y = tags.joined(separator: " ").regexMatches(#"(?<![0-9])((19|20)\d\d)(?![0-9])"#).first { year = Int(y[1] ?? "") }
        return album != nil
    }

    /// An artist written with a date or year glued before it ("1994-03郭富城").
    private mutating func readArtist(_ text: String) {
        var name = text.trimmingCharacters(in: .whitespaces)
        if let m = name.regexMatches(#"^((19|20)\d\d)([.\-]\d{1,2}){0,2}\s*(.+)$"#).first {
            year = year ?? Int(m[1] ?? "")
            name = m[4] ?? name
        }
        artist = name.isEmpty ? nil : name
    }

    /// `16-44`, `24-96`, `1644`: bit depth and sample rate.
    static func isQualityPair(_ word: String) -> Bool { word.regexRange(#"^(16|24)-?(44|48|88|96|176|192)$"#) != nil }

    /// The album's name from what follows it: brackets and parentheses of release facts, edition
    /// words ("珍藏版", "第一版"), disc counts and trailing quality or year words go to the tags.
    static func cleanAlbum(_ text: String, tags: inout [String]) -> String? {
        var (name, rest) = cutAtBracket(text)
        tags.append(rest)
        while let range = name.regexRange(#"\(([^()]*)\)"#) {
            let inner = String(name[range].dropFirst().dropLast())
            // A parenthesis of release facts (edition, source, label); "(1)" of a name stays.
            guard inner.regexRange(#"版|CD|首|\+|SACD|HQ|单曲|單曲|华纳|星|LP|APE|FLAC|WAV"#, caseInsensitive: true) != nil else { break }
            tags.append(inner)
            name.removeSubrange(range)
        }
        var words = name.split(separator: " ").map(String.init)
        while words.count > 1, let last = words.last,
            TailTags.isStrong(last) || isQualityPair(last) || last.regexRange(#"^\d?CD\d*$|^VOL\.?\d+$"#, caseInsensitive: true) != nil
        {
            tags.append(last)
            words.removeLast()
        }
        name = words.joined(separator: " ").regexReplacing(#"\s*(珍藏|限量|纪念|紀念|首|第.|黄色|红色)版$"#, with: "")
        let cleaned = name.trimmingCharacters(in: CharacterSet(charactersIn: " -.,"))
        return cleaned.isEmpty ? nil : cleaned
    }

    /// The text before its first `[`, and the rest.
    static func cutAtBracket(_ text: String) -> (String, String) {
        guard let open = text.firstIndex(of: "[") else { return (text.trimmingCharacters(in: .whitespaces), "") }
        return (String(text[..<open]).trimmingCharacters(in: .whitespaces), String(text[open...]))
    }
}
