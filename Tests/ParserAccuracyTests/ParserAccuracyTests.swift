import Basics
import Foundation
import Search
import Testing

/// The release-title parser against real titles collected from public sources, with provenance
/// (`Tests/ReleaseTitleCorpus`, `make parser-accuracy`). A title counts as read right when the
/// artist, album and year agree with its label (case, punctuation and spacing aside; an empty
/// label means the parser must not invent one), and the format, bitrate, bit depth and flags
/// agree wherever the label states them.
@Suite("Release-title parser accuracy on the real corpus")
struct ParserAccuracyTests {
    struct Row {
        var title: String
        var artist: String
        var album: String
        var year: Int?
        var format: String
        var bitrate: String
        var bitDepth: Int?
        var flags: [String]
        var source: String

        /// The repository (or site) a row came from, for the per-source figures.
        var origin: String {
            if source.hasPrefix("http") { return URL(string: source)?.host ?? source }
            return String(source.prefix { $0 != ":" && $0 != "@" })
        }
    }

    /// The rows of `file` in Tests/ReleaseTitleCorpus: `corpus.tsv` (the development set, which the
    /// parser was tuned on) or `heldout.tsv` (frozen before it was ever parsed; see HELDOUT.md).
    static func corpus(_ file: String = "corpus.tsv") throws -> [Row] {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("ReleaseTitleCorpus/\(file)").path
        let text = try String(contentsOfFile: path, encoding: .utf8)
        return text.split(separator: "\n", omittingEmptySubsequences: true).dropFirst().compactMap { line in
            let f = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            guard f.count == 9 else { return nil }
            return Row(
                title: f[0], artist: f[1], album: f[2], year: Int(f[3]), format: f[4], bitrate: f[5], bitDepth: Int(f[6]),
                flags: f[7].split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }, source: f[8])
        }
    }

    /// Lowercased letters and digits only, words single-spaced: how two names are compared.
    static func normalized(_ text: String?) -> String {
        let folded = (text ?? "").lowercased().replacingOccurrences(of: "&", with: " and ")
        let kept = folded.unicodeScalars.map { CharacterSet.alphanumerics.contains($0) ? Character($0) : " " }
        return String(kept).split(separator: " ").joined(separator: " ")
    }

    /// What is wrong in the parse of `row`, empty when it is read right; `guided` reads it with the
    /// labelled artist and album in hand, as the candidate scorer does with a ticket's.
    static func problems(_ row: Row, guided: Bool = false) -> [String] {
        let info = guided ? ReleaseTitleParser.parse(row.title, artist: row.artist, album: row.album).info : ReleaseTitleParser.parse(row.title)
        var wrong: [String] = []
        if normalized(info.artist) != normalized(row.artist) { wrong.append("artist '\(info.artist ?? "")' ≠ '\(row.artist)'") }
        if normalized(info.album) != normalized(row.album) { wrong.append("album '\(info.album ?? "")' ≠ '\(row.album)'") }
        if info.year != row.year { wrong.append("year \(info.year.map(String.init) ?? "-") ≠ \(row.year.map(String.init) ?? "-")") }
        if !row.format.isEmpty, info.format?.rawValue != row.format { wrong.append("format \(info.format?.rawValue ?? "-") ≠ \(row.format)") }
        if !row.bitrate.isEmpty, info.bitrate?.uppercased() != row.bitrate.uppercased() {
            wrong.append("bitrate \(info.bitrate ?? "-") ≠ \(row.bitrate)")
        }
        if let depth = row.bitDepth, info.bitDepth != depth { wrong.append("bit depth \(info.bitDepth.map(String.init) ?? "-") ≠ \(depth)") }
        for flag in row.flags where !has(flag, info) { wrong.append("flag \(flag) not seen") }
        return wrong
    }

    static func has(_ flag: String, _ info: ReleaseInfo) -> Bool {
        switch flag {
        case "discography": info.discography
        case "compilation": info.compilation
        case "various_artists": info.variousArtists
        case "live": info.live
        case "single": info.single
        case "ep": info.ep
        case "bootleg": info.bootleg
        case "has_log": info.hasLog
        case "has_cue": info.hasCue
        case "image_cue": info.imageCue
        case "deluxe": info.editions.contains { $0.contains("deluxe") }
        case "remaster": info.editions.contains { $0.contains("remaster") }
        default: false
        }
    }

    /// The share of the development set read right, raised with every improvement so it can never
    /// slip back. Measured on the titles the parser was tuned on: a development figure.
    static let floor = 0.97
    /// The share of the held-out set read right: the figure that describes titles the parser has not
    /// seen. Recorded when the set was first measured (HELDOUT.md) and only ever raised; the goal is 95 %.
    static let heldOutFloor = 0.74

    /// Parses every row, prints each miss and the figures, and returns the counts read right.
    static func measure(_ rows: [Row], set name: String) -> (right: Int, guidedRight: Int, unguidedRight: Int) {
        var right = 0
        var bySource: [String: (right: Int, total: Int)] = [:]
        var readRight = Set<String>()
        for row in rows {
            let wrong = Self.problems(row)
            if wrong.isEmpty { readRight.insert(row.title) }
            bySource[row.origin, default: (0, 0)].total += 1
            if wrong.isEmpty {
                right += 1
                bySource[row.origin]!.right += 1
            } else {
                print("miss (\(name)): \(row.title)  —  \(wrong.joined(separator: "; "))")
            }
        }
        for (source, figures) in bySource.sorted(by: { $0.value.total > $1.value.total }) {
            print(
                String(
                    format: "parser %@: %d/%d (%.1f %%) %@", name, figures.right, figures.total, 100 * Double(figures.right) / Double(figures.total),
                    source))
        }
        print(String(format: "parser %@: %d/%d (%.1f %%)", name, right, rows.count, 100 * Double(right) / Double(max(rows.count, 1))))
        // The guided reading (what the scorer uses) on the titles that name an artist.
        let named = rows.filter { !$0.artist.isEmpty }
        var guidedRight = 0
        for row in named {
            let wrong = Self.problems(row, guided: true)
            if wrong.isEmpty { guidedRight += 1 } else { print("guided miss (\(name)): \(row.title)  —  \(wrong.joined(separator: "; "))") }
        }
        let unguidedRight = named.filter { readRight.contains($0.title) }.count
        print(
            String(
                format: "parser %@ (guided by the labelled artist and album): %d/%d (%.1f %%), unguided on the same titles %d", name, guidedRight,
                named.count,
                100 * Double(guidedRight) / Double(max(named.count, 1)), unguidedRight))
        return (right, guidedRight, unguidedRight)
    }

    @Test("the development set at least its recorded floor (97 %); one line per miss, figures per source")
    func accuracy() async throws {
        let rows = try Self.corpus()
        // Measured off Swift's cooperative pool: tens of seconds of parsing on one of its two
        // threads would starve the tests that run beside this one.
        let (right, guidedRight, unguidedRight) = await runBlocking { Self.measure(rows, set: "development") }
        #expect(guidedRight >= unguidedRight, "the guidance never makes a reading worse overall")
        #expect(rows.count >= 650, "the corpus is read whole")
        #expect(Double(right) >= Self.floor * Double(rows.count), "parser: \(right)/\(rows.count) is below the floor of \(Self.floor)")
    }

    @Test("the held-out set, never tuned on, at least its recorded floor; one line per miss, figures per source")
    func heldOutAccuracy() async throws {
        let rows = try Self.corpus("heldout.tsv")
        let (right, guidedRight, unguidedRight) = await runBlocking { Self.measure(rows, set: "held-out") }
        #expect(rows.count >= 400, "the held-out set is read whole")
        #expect(guidedRight >= unguidedRight, "the guidance never makes a reading worse overall")
        #expect(
            Double(right) >= Self.heldOutFloor * Double(rows.count),
            "parser held-out: \(right)/\(rows.count) is below the floor of \(Self.heldOutFloor)")
    }
}
