import Basics
import Foundation

/// Keyword rules over a title's text. Each field is set at most once: the tag text (brackets,
/// scene tags, ruTracker's tail) is read first, then the whole title, so tags win.
enum ReleaseTags {
    private static func has(_ pattern: String, _ text: String) -> Bool {
        text.regexRange(pattern, caseInsensitive: true) != nil
    }

    private static func first(_ pattern: String, _ text: String) -> String? {
        text.regexRange(pattern, caseInsensitive: true).map { String(text[$0]) }
    }

    /// Word boundaries that treat `_`, `.` and `+` as separators too (scene names, "tracks+.cue").
    private static func word(_ w: String) -> String { #"(?<![A-Za-z0-9])"# + w + #"(?![A-Za-z0-9])"# }

    static let formats: [(ReleaseInfo.Format, String)] = [
        (.wavpack, word("(wavpack|wv)")),
        (.flac, word("(web)?flac(16|24)?(bits?)?")),
        (.alac, word("alac")),
        (.ape, word("(ape|monkey'?s audio)")),
        (.dsd, word("(dsd(64|128|256)?|dsf|dff)")),
        (.wav, word("wav")),
        (.opus, word("opus")),
        (.oggVorbis, word("(ogg( vorbis)?|vorbis)")),
        (.aac, word("(aac|m4a)")),
        (.mp3, word("(mp3|lame)")),
    ]

    static let sources: [(ReleaseInfo.Source, String)] = [
        (.sacd, word("sacd(-?r)?")),
        (.bluray, word("(blu-?ray|bdrip|bd)")),
        (.vinyl, word("(vinyl|lp|vinyl ?rip|24-96 vinyl)")),
        (.cassette, word("(cassette|tape|mc)")),
        (.web, word("(web|web-?dl|webrip|itunes|bandcamp|qobuz|tidal|deezer)")),
        (.cd, word("([0-9]?cd|cdda|cd-?rip|cdr|cds)")),
    ]

    /// Tokens that end a scene name's album part: sources, formats, editions, catalog numbers, years.
    static func isSceneTag(_ token: String) -> Bool {
        let known: Set<String> = [
            "web", "cd", "cdda", "cdr", "cds", "cdm", "vinyl", "vls", "lp", "sacd", "tape", "dvd", "bd", "flac", "mp3", "ep",
            "single", "bootleg", "live", "remastered", "remaster", "deluxe", "advance", "promo", "retail", "bonus", "24bit", "16bit",
            "siriusxm", "sirius", "dvbs", "dvb", "sat", "fm",
        ]
        let t = token.lowercased()
        if known.contains(t) || (t.hasPrefix("(") && t.hasSuffix(")")) { return true }
        // "Deluxe Edition" is a tag; "Wisconsin Death Trip Premier Edition" is an album (its edition words go later).
        if t.split(separator: " ").count <= 3,
            ["deluxe", "edition", "remaster", "expanded", "anniversary", "reissue"].contains(where: { t.contains($0) })
        {
            return true
        }
        if ["webflac", "web-flac", "flac24", "hires", "hi-res", "bonus", "int"].contains(t) { return true }
        if t.regexRange(#"^(\d+ ?inch|\d*x?vinyl|\d*x?vls|(19|20)\dx|(19|20)xx|\d*cdep|\d*(vls|cds|cdm|lp|ep)(19|20)\d\d)$"#) != nil { return true }
        return t.regexRange(
            #"^(\d+cds?|cds?\d*|cdm\d*|(19|20)\d\d|\d{3}(kbps)?|v[0-2]|16|24|32|44|48|88|96|176|[a-z]{2,}\d{2,}[a-z0-9]*|\(?[a-z]{2,5}\d{2,}\)?)$"#)
            != nil
    }

    /// The format a title implies without naming a codec: a bare bitrate (320, 256, V0) means MP3,
    /// as the scene and Lidarr read it; `[TR24]`, 24-bit or Hi-Res means FLAC.
    static func inferFormat(_ info: inout ReleaseInfo, from title: String) {
        if has(word("tr24"), title) {
            if info.bitDepth == nil { info.bitDepth = 24 }
            if info.format == nil { info.format = .flac }
        }
        guard info.format == nil else { return }
        if let bitrate = info.bitrate, !bitrate.hasPrefix("Q") {
            info.format = .mp3
        } else if info.bitDepth == 24 || has(word("hi-?res"), title) {
            info.format = .flac
        }
    }

    /// A word at the end of a spaced title that is a tag: a format, bitrate, bit depth or source.
    static func isTrailingTag(_ token: String) -> Bool {
        let t = token.lowercased()
        if formats.contains(where: { has("^" + $0.1 + "$", t) }) { return true }
        return has(#"^((320|256|192|128)\s*(kbps|k)?|v[0-2]|(16|24)-?bits?|(16|24)/\d+|web|cd|vinyl|lossless|hi-?res)$"#, t)
    }

    static func read(_ text: String, into info: inout ReleaseInfo, tagContext: Bool) {
        guard !text.isEmpty else { return }
        if info.format == nil { info.format = formats.first { has($0.1, text) }?.0 }
        if info.source == nil { info.source = sources.first { has($0.1, text) }?.0 }
        readQuality(text, into: &info, tagContext: tagContext)
        if has(word("lossless"), text) { info.lossless = true }
        if has(word("(discography|discografia|дискография|complete (albums|discography|studio albums)|box ?set|collection|anthology)"), text) {
            info.discography = true
        }
        if has(word("(discography-range)"), text) { info.discography = true }
        if has(word("(compilation|various artists|сборник|greatest hits|best of|anthology|sampler)"), text) || has("精选|精選|金藏集", text) {
            info.compilation = true
        }
        if has(word("various artists"), text) { info.variousArtists = true }
        for edition in [
            "deluxe", "expanded", "remaster(ed)?", "anniversary", "reissue", "special edition", "limited edition", "collector'?s edition",
            "super deluxe",
        ] {
            if let found = first(word(edition), text)?.lowercased(), !info.editions.contains(found) { info.editions.append(found) }
        }
        if has(word("ремастер"), text), !info.editions.contains(where: { $0.contains("remaster") }) { info.editions.append("remastered") }
        if has(word("(live|concert|unplugged)"), text) { info.live = true }
        if has(word("(single|\\d?cds\\d*|cdm\\d*|\\d{1,2} ?inch|\\d*vls\\d*)"), text) || has("シングル|单曲|單曲", text) { info.single = true }
        if has(word("(ep|cdep|\\d?cdep)"), text) { info.ep = true }
        if has(word("(bootleg|boot)"), text) { info.bootleg = true }
        if has(word("(log|eac log|log \\(\\d+%\\))"), text) || has(#"\+\s*log"#, text) { info.hasLog = true }
        if has(word("cue"), text) || has(#"\.cue"#, text) { info.hasCue = true }
        if has(#"(image|img|整轨|整軌)\s*\+\s*\.?cue"#, text) || has(word("(image|img)"), text) && info.hasCue {
            info.imageCue = true; info.hasCue = true
        }
        if has(word("(scans?|artwork|booklet|covers)"), text) { info.scans = true }
    }

    private static func readQuality(_ text: String, into info: inout ReleaseInfo, tagContext: Bool) {
        // "24/96", "24-192", "24bit/96kHz", "16-44.1"
        if let pair = first(
            #"(?<![0-9])(16|24|32)\s*(bit)?\s*[/-]\s*(44([.,]1)?|48|88([.,]2)?|96|176([.,]4)?|192|352[.,]8|384)(\s*khz)?(?![0-9])"#, text)
        {
            let numbers = pair.lowercased().replacingOccurrences(of: ",", with: ".").split { !"0123456789.".contains($0) }
            if info.bitDepth == nil, let depth = numbers.first.flatMap({ Int($0) }) { info.bitDepth = depth }
            if info.sampleRateHz == nil, numbers.count > 1, var khz = Double(numbers[1]) {
                // "24-44" means 44.1 kHz (and 88, 176 their .2 and .4 kin).
                khz = [44: 44.1, 88: 88.2, 176: 176.4][khz] ?? khz
                info.sampleRateHz = Int((khz * 1000).rounded())
            }
        }
        // "1644", "2496": bit depth and rate run together (Chinese lossless folders), only among the tags.
        if tagContext, info.bitDepth == nil, let pair = first(#"(?<![0-9.])(16|24)(44|48|96|192)(?![0-9])"#, text) {
            info.bitDepth = Int(pair.prefix(2))
        }
        if info.bitDepth == nil, let depth = first(#"(?<![0-9])(16|24|32)\s*-?\s*bits?(?![a-z])"#, text) {
            info.bitDepth = Int(depth.prefix(2))
        }
        if info.sampleRateHz == nil, let rate = first(#"(?<![0-9])(44[.,]1|48|88[.,]2|96|176[.,]4|192)\s*-?\s*khz"#, text) {
            let khz = Double(rate.lowercased().replacingOccurrences(of: ",", with: ".").prefix { "0123456789.".contains($0) }) ?? 0
            info.sampleRateHz = Int((khz * 1000).rounded())
        }
        guard info.bitrate == nil else { return }
        if let v = first(word("v[0-2]( ?\\(?vbr\\)?)?"), text) {
            info.bitrate = String(v.prefix(2)).uppercased()
        } else if let q = first(word("q ?(10|[0-9])"), text) {
            info.bitrate = "Q" + q.filter(\.isNumber)
        } else if let kbps = first(#"(?<![0-9])(512|320|256|224|192|160|128)\s*(kbps|kbit/?s|kb/s|k)(?![a-z])"#, text) {
            info.bitrate = String(kbps.prefix(3))
        } else if tagContext, let bare = first(#"(?<![0-9.])(320|256|192|128)(?![0-9])"#, text) {
            info.bitrate = bare
        }
    }
}
