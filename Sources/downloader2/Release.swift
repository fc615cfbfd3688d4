import ArgumentParser
import Basics
import Foundation
import Search
import Tickets

/// `downloader2 release parse TITLE… [--json]`: what the title parser sees.
struct Release: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Tools for release titles.", subcommands: [Parse.self])

    struct Parse: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print what the parser reads from each title: a few readable lines each, or with --json one JSON object per line.")

        @Argument(help: "Release titles as indexers list them.") var titles: [String] = []
        @Option(name: .long, help: "Read titles from this file too, one per line (- for standard input).") var file: String?
        @Flag(name: .long, help: "Print JSON, one object per title and line.") var json = false
        @Option(name: .long, help: "Parse the titles this many times (for measuring speed).") var rounds = 1
        @Flag(name: .long, help: "Print no readings, only how many titles were parsed and how fast (on standard error).") var timing = false

        func validate() throws {
            guard rounds >= 1 else { throw ValidationError("--rounds must be at least 1") }
        }

        func run() throws {
            var all = titles
            if let file {
                let data = file == "-" ? FileHandle.standardInput.readDataToEndOfFile() : try Data(contentsOf: URL(fileURLWithPath: file))
                all += String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline).map(String.init).filter { !$0.isEmpty }
            }
            guard !all.isEmpty else { throw ValidationError("no title given (arguments or --file)") }
            if timing {
                let clock = ContinuousClock()
                var artists = 0
                let elapsed = clock.measure {
                    for _ in 0..<rounds { for title in all where ReleaseTitleParser.parse(title).artist != nil { artists += 1 } }
                }
                let seconds = elapsed.inSeconds
                let count = all.count * rounds
                FileHandle.standardError.write(
                    Data(
                        String(
                            format: "parsed %d titles in %.3f s: %.0f titles/s, %.1f µs per title (%d readings named an artist)\n",
                            count, seconds, Double(count) / seconds, seconds / Double(count) * 1e6, artists
                        ).utf8))
                return
            }
            let encoder = TicketJSON.encoder()
            for title in all {
                let info = ReleaseTitleParser.parse(title)
                if json {
                    var object = try JSONSerialization.jsonObject(with: encoder.encode(info)) as? [String: Any] ?? [:]
                    object["title"] = title
                    print(
                        String(
                            decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]),
                            as: UTF8.self))
                } else {
                    print(Self.describe(title, info))
                }
            }
        }

        /// "artist / album (year)", then quality and source, then the flags that are set.
        static func describe(_ title: String, _ info: ReleaseInfo) -> String {
            var lines = [title]
            lines.append("  \(info.artist ?? "?") / \(info.album ?? "?")" + (info.year.map { " (\($0))" } ?? ""))
            var quality = [
                info.format?.rawValue, info.bitrate, info.bitDepth.map { "\($0)-bit" }, info.sampleRateHz.map { "\($0) Hz" },
                info.source?.rawValue,
            ].compactMap { $0 }
            if let group = info.sceneGroup { quality.append("group \(group)") }
            quality.append("\(info.style.rawValue) style")
            lines.append("  " + quality.joined(separator: ", "))
            let flags =
                [
                    ("lossless", info.lossless), ("discography", info.discography), ("compilation", info.compilation),
                    ("various artists", info.variousArtists), ("live", info.live), ("single", info.single), ("EP", info.ep),
                    ("bootleg", info.bootleg), ("log", info.hasLog), ("cue", info.hasCue), ("image+cue", info.imageCue), ("scans", info.scans),
                ]
                .filter(\.1).map(\.0) + info.editions
            if !flags.isEmpty { lines.append("  " + flags.joined(separator: ", ")) }
            return lines.joined(separator: "\n")
        }
    }
}
