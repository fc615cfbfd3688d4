import ArgumentParser
import Foundation
import Search
import Tickets

/// `downloader2 release parse TITLE…`: what the title parser sees, as JSON.
struct Release: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Tools for release titles.", subcommands: [Parse.self])

    struct Parse: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print what the parser reads from each title, as JSON (one object per line).")

        @Argument(help: "Release titles as indexers list them.") var titles: [String]

        func run() throws {
            let encoder = TicketJSON.encoder()
            for title in titles {
                var object = try JSONSerialization.jsonObject(with: encoder.encode(ReleaseTitleParser.parse(title))) as? [String: Any] ?? [:]
                object["title"] = title
                print(String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]), as: UTF8.self))
            }
        }
    }
}
