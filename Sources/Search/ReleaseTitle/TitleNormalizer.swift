import Basics
import Foundation

/// What a title looks like once the noise around it is gone: HTML entities decoded, a site's or
/// uploader's bracket before it and a tracker's tag after it removed, and `.`, `_` or `+` used as
/// word separators turned into spaces (a name's own punctuation such as "A.C.E" only matters to
/// people, who compare names without it).
enum TitleNormalizer {
    static func normalize(_ raw: String) -> String {
        var title = decodeEntities(raw).trimmingCharacters(in: .whitespacesAndNewlines)
        title = postSubject(title)
        title = stripWrappers(title)
        title = spaceSeparators(title)
        // "Lady Gaga   Born This Way (The Remix) (2011) FLAC": with no hyphen between them, a wide gap
        // (three spaces or more, where a " - " was lost) separates the artist from the album.
        if title.regexRange(#"\s[-–—]\s"#) == nil, let gap = title.regexRange(#"(?<=\S) {3,}(?=\S)"#) {
            title.replaceSubrange(gap, with: " - ")
        }
        // "VA-Urban Dance Vol.15-2016", "va - dj sounds": a compilation's artist, then its name.
        if let range = title.regexRange(#"^(va|v\.a\.|various artists)\s*-(?!\s*-)\s*"#, caseInsensitive: true),
            !title[range].contains(" - ")
        {
            title = "VA - " + title[range.upperBound...]
        }
        return title.regexReplacing(#"\s+"#, with: " ").trimmingCharacters(in: .whitespaces)
    }

    /// `&amp;`, `&quot;`, `&apos;`, `&#39;`, `&#x26;` …, as indexers' feeds leave them in titles.
    static func decodeEntities(_ text: String) -> String {
        guard text.contains("&") else { return text }
        var out = text
        for (entity, value) in [("&amp;", "&"), ("&quot;", "\""), ("&apos;", "'"), ("&lt;", "<"), ("&gt;", ">"), ("&nbsp;", " ")] {
            out = out.replacingOccurrences(of: entity, with: value, options: .caseInsensitive)
        }
        while let range = out.regexRange(#"&#(x[0-9a-fA-F]+|[0-9]+);"#) {
            let body = out[range].dropFirst(2).dropLast()
            let code = body.hasPrefix("x") || body.hasPrefix("X") ? UInt32(body.dropFirst(), radix: 16) : UInt32(body)
            out.replaceSubrange(range, with: code.flatMap(Unicode.Scalar.init).map { String(Character($0)) } ?? "")
        }
        // A second pass: "&amp;#39;" decodes to "&#39;" first.
        return out.contains("&#") || out.contains("&amp;") ? decodeEntities(out) : out
    }

    /// A usenet post subject or a single file's name, down to the release it belongs to:
    /// `Album [01/18] - "01. Song.flac" yEnc`, `[54342]-[FULL]-[#a.b.flac@EFNet]-[ Scene-Name ]-[11/21]`,
    /// `Artist - Album - 14 - Artist - Song.mp3`; and a title wholly inside one bracket.
    static func postSubject(_ text: String) -> String {
        var out = text
        // "[54342]-[FULL]-[#a.b.flac@EFNet]-[ Fall_Out_Boy-…-FORSAKEN ]-…": the release is the bracket after the group's.
        if let range = out.regexRange(#"^\[\d+\]-\[[A-Za-z]+\]-\[#[^\]]+\]-\[\s*[^\]]+?\s*\]"#) {
            let inner = out[range].split(separator: "[").last.map { String($0.dropLast()) } ?? ""
            out = inner.trimmingCharacters(in: .whitespaces)
        }
        let ext = #"\.(mp3|flac|m4a|ogg|opus|wav|ape|wv|jpg|png|nfo|sfv|par2|nzb)"#
        for pattern in [
            #"\s*-?\s*yEnc\s*$"#, #"\s*[\[(]\d+/\d+[\])]\s*$"#, #"\s*-?\s*"[^"]*"# + ext + #""\s*$"#,
        ] {
            while let range = out.regexRange(pattern, caseInsensitive: true), range.lowerBound != out.startIndex { out.removeSubrange(range) }
        }
        // A last " - " part that is a file's name, and the track number before it.
        var parts = out.components(separatedBy: " - ")
        if parts.count >= 3, let index = parts.lastIndex(where: { $0.regexRange(ext + #"(\s*\[\d+/\d+\])?\s*$"#, caseInsensitive: true) != nil }),
            index >= 2
        {
            // "… - 26 - American Beauty Rose [1958].mp3": the year the file's name gives stays with the release.
            let fileYear = parts[index].regexRange(#"[\[(](19|20)\d\d[\])]"#).map { String(parts[index][$0].dropFirst().dropLast()) }
            parts.removeSubrange(index...)
            if parts.count >= 3, let last = parts.last, last.regexRange(#"^\d{1,3}$"#) != nil { parts.removeLast() }
            // "… - 14 - Jerry Keller - Song.mp3": the number and the artist repeated before the song.
            if parts.count >= 4, let n = parts.lastIndex(where: { $0.regexRange(#"^\d{1,3}$"#) != nil }), n >= 2 { parts.removeSubrange(n...) }
            out = parts.joined(separator: " - ") + (fileYear.map { " (" + $0 + ")" } ?? "")
        }
        // "[R.E.M - Lifes Rich Pageant(1986) [24bit 2016 Remaster]LOSSLESS FLAC]": one bracket around it all.
        if out.hasPrefix("["), out.hasSuffix("]"), Self.closingBracket(of: out) == out.index(before: out.endIndex) {
            out = String(out.dropFirst().dropLast()).trimmingCharacters(in: .whitespaces)
        }
        // "100-va_-_polonaise…", "00-va-…": a scene file's number before a compilation's name.
        if let range = out.regexRange(#"^\d{1,3}-(?=va[-_ ])"#, caseInsensitive: true) { out.removeSubrange(range) }
        return out
    }

    /// Where the bracket opening `text` closes, nested brackets counted.
    static func closingBracket(of text: String) -> String.Index? {
        var depth = 0
        for index in text.indices {
            if text[index] == "[" { depth += 1 }
            if text[index] == "]" {
                depth -= 1
                if depth == 0 { return index }
            }
        }
        return nil
    }

    /// Tracker and site tags around a title: `[ www.Site.com ] - `, `[scnzbefnet][509103] `,
    /// a trailing `[GloDLS]`, `[eztv]-[rarbg.com]`, `- [GloDLS]`.
    static func stripWrappers(_ text: String) -> String {
        var out = text
        let site = #"(www\.)?[A-Za-z0-9-]+\.(com|org|net|to|me|ru|cc|info|ws|se|is|li|tv|xyz)"#
        let trackers = #"(glodls|eztv|ettv|rarbg|tgx|torrentgalaxy|kat|1337x|trfkad|scnzbefnet|miok|wwrg|torrent9( [a-z]{2,4})?)"#
        // A usenet post number ("[509103]") only leads a title; a trailing "(2016)" is a year.
        let leading = #"^\s*[\[\(]\s*("# + site + "|" + trackers + #"|[0-9]{5,})\s*[\]\)]\s*[-–]?\s*"#
        let trailing = #"\s*[-–]?\s*[\[\(]\s*("# + site + "|" + trackers + #")\s*[\]\)]\s*$"#
        // An indexer's hash or id after a scene name: "…-WEB-2024-PTC [f984c5f9e] [6872b1942]".
        let hashes = #"(?<=[-\s][A-Za-z0-9_]{2,20})(\s*\[[A-Za-z0-9]{6,12}\])+\s*$"#
        // A downloader's mark before a name: "(incomplete)-Artist-Album-…".
        let marks = #"^\((incomplete|complete|repack|proper|nuked)\)\s*-?\s*"#
        for pattern in [leading, trailing, hashes, marks] {
            while let range = out.regexRange(pattern, caseInsensitive: true), range.lowerBound != range.upperBound {
                let rest = out.replacingCharacters(in: range, with: " ").trimmingCharacters(in: .whitespaces)
                guard !rest.isEmpty else { break }
                out = rest
            }
        }
        return out
    }

    /// `Robbie.Williams.-.Under.the.Radar.Vol.2.2017.MP3`, `Counting+Crows+-+2003+-+Films`,
    /// `Phil_Collins_The_Essential_Going_Back`: the separators become spaces. A title with spaces
    /// keeps its dots ("Vol. 2", "Mr. Mister"), and hyphens always stay (scene names use them).
    static func spaceSeparators(_ text: String) -> String {
        var out = text
        let spaces = out.filter { $0 == " " }.count
        if out.filter({ $0 == "+" }).count >= 2, spaces <= 1 { out = out.replacingOccurrences(of: "+", with: " ") }
        if out.contains("_") { out = out.replacingOccurrences(of: "_", with: " ") }
        let dots = out.filter { $0 == "." }.count
        if dots >= 2, spaces == 0 {
            // Dots between words are separators; a dot inside a number ("44.1") is not.
            out = out.regexReplacing(#"(?<![0-9])\.|\.(?![0-9])"#, with: " ")
        }
        return out
    }
}
