import ArgumentParser
import Audio
import Foundation
import Search
import Server
import Torrent

/// `downloader2 version`: this binary and the native libraries it runs on.
struct Version: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Print the version of downloader2 and of its native libraries.")

    @Flag(name: .long, help: "Print JSON instead of text.") var json = false

    func run() throws {
        var facts: [String: String] = [
            "downloader2": ServiceInfo.version,
            "libtorrent": TorrentEngineInfo.runtimeVersion,
            "libcurl": HTTPLibraryInfo.curlVersion,
        ]
        facts.merge(AudioLibraryInfo.versions) { a, _ in a }
        if json {
            let data = try JSONSerialization.data(withJSONObject: facts, options: [.sortedKeys])
            print(String(decoding: data, as: UTF8.self))
        } else {
            for key in facts.keys.sorted() { print("\(key) \(facts[key]!)") }
        }
    }
}
