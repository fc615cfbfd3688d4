import Basics
import Pipeline
import Foundation
import Search
import TOMLKit
import Tickets

extension AppConfig {
    /// The indexer clients this configuration names: Jackett (if its URL is set), every `[[torznab]]`
    /// entry and every older `[torznab] feeds` URL, each with its own timeout. The service's search
    /// stage, the interactive search and the health checks all ask these.
    public func indexerClients() -> [any IndexerClient] {
        var clients: [any IndexerClient] = []
        if !jackett.url.isEmpty {
            clients.append(
                JackettClient(baseURL: jackett.url, apiKey: jackett.apiKey, fetcher: HTTPFetcher(totalTimeout: Double(jackett.timeoutSecs))))
        }
        for endpoint in torznabEndpoints {
            clients.append(
                TorznabClient(
                    name: endpoint.name, baseURL: endpoint.baseURL, apiKey: endpoint.apiKey,
                    fetcher: HTTPFetcher(totalTimeout: Double(endpoint.timeoutSecs ?? torznab.timeoutSecs))))
        }
        return clients
    }

    /// Where the pauses indexers asked for are kept across a restart: beside the SQLite database
    /// (one file per node when several share a folder).
    public func indexerPausesPath(nodeId: String? = nil) -> String {
        let folder = (database.path as NSString).deletingLastPathComponent
        return (folder as NSString).appendingPathComponent("indexer-pauses\(nodeId.map { "-" + $0 } ?? "").json")
    }

    /// Every Torznab feed, `[[torznab]]` entries first: name, URL without its key, the key, a timeout of its own.
    public var torznabEndpoints: [(name: String, baseURL: String, apiKey: String, timeoutSecs: Int?)] {
        let entries = torznab.indexers.compactMap { entry -> (name: String, baseURL: String, apiKey: String, timeoutSecs: Int?)? in
            guard let endpoint = IndexerEndpoint(torznabFeed: entry.url) else { return nil }
            return (
                entry.name.isEmpty ? endpoint.name : entry.name, endpoint.baseURL, entry.apiKey.isEmpty ? endpoint.apiKey : entry.apiKey,
                entry.timeoutSecs
            )
        }
        let feeds = torznab.feeds.compactMap(IndexerEndpoint.init(torznabFeed:)).map {
            (name: $0.name, baseURL: $0.baseURL, apiKey: $0.apiKey, timeoutSecs: Int?.none)
        }
        return entries + feeds
    }

    /// The seeding goals set in `[jackett]` (for every tracker behind it) and in `[[torznab]]` entries
    /// (`seed_ratio`, `seed_time_mins`), by the name of the entry the results come through.
    public var seedingRules: SeedingRules {
        var overrides: [String: SeedingRules.Override] = [:]
        if !jackett.url.isEmpty, jackett.seedRatio > 0 || jackett.seedTimeMins > 0 {
            overrides["jackett"] = SeedingRules.Override(
                ratio: jackett.seedRatio > 0 ? jackett.seedRatio : nil, timeSecs: jackett.seedTimeMins > 0 ? jackett.seedTimeMins * 60 : nil)
        }
        for entry in torznab.indexers where entry.seedRatio != nil || entry.seedTimeMins != nil {
            guard let endpoint = IndexerEndpoint(torznabFeed: entry.url) else { continue }
            overrides[entry.name.isEmpty ? endpoint.name : entry.name] = SeedingRules.Override(
                ratio: entry.seedRatio, timeSecs: entry.seedTimeMins.map { $0 * 60 })
        }
        return SeedingRules(overrides: overrides)
    }

    /// Reads `[[torznab]]`: each a table with `url` (required), `api_key`, `name`, `timeout_secs`,
    /// `seed_ratio`, `seed_time_mins`.
    static func torznabIndexers(_ array: [any TOMLValueConvertible], source: String) throws(ConfigError) -> [TorznabIndexer] {
        var entries: [TorznabIndexer] = []
        for (index, item) in array.enumerated() {
            let at = "torznab[\(index)]"
            guard let table = item.table else { throw ConfigError(key: at, message: "must be a table ([[torznab]]) in \(source)") }
            let known = ["url", "api_key", "name", "timeout_secs", "seed_ratio", "seed_time_mins"]
            for name in table.keys where !known.contains(name) {
                throw ConfigError(key: "\(at).\(name)", message: "unknown key in a [[torznab]] entry (\(known.joined(separator: ", "))) in \(source)")
            }
            func string(_ name: String) throws(ConfigError) -> String? {
                guard let value = table[name] else { return nil }
                guard let text = value.string else {
                    throw ConfigError(key: "\(at).\(name)", message: "expected a string, got \(value.type) in \(source)")
                }
                return text
            }
            guard let url = try string("url"), let parsed = URL(string: url), ["http", "https"].contains(parsed.scheme?.lowercased() ?? ""),
                parsed.host != nil
            else {
                throw ConfigError(key: "\(at).url", message: "must be an http(s) URL, e.g. http://prowlarr:9696/1/api (\(source))")
            }
            var entry = TorznabIndexer(url: url, apiKey: try string("api_key") ?? "", name: try string("name") ?? "")
            if let value = table["timeout_secs"] {
                guard let seconds = value.int, (1...600).contains(seconds) else {
                    throw ConfigError(key: "\(at).timeout_secs", message: "must be an integer from 1 to 600 (\(source))")
                }
                entry.timeoutSecs = seconds
            }
            if let value = table["seed_ratio"] {
                guard let ratio = value.double ?? value.int.map(Double.init), (0...1000).contains(ratio) else {
                    throw ConfigError(key: "\(at).seed_ratio", message: "must be a number from 0 to 1000 (\(source))")
                }
                entry.seedRatio = ratio
            }
            if let value = table["seed_time_mins"] {
                guard let minutes = value.int, (0...525_600).contains(minutes) else {
                    throw ConfigError(key: "\(at).seed_time_mins", message: "must be an integer from 0 to 525600 (a year) (\(source))")
                }
                entry.seedTimeMins = minutes
            }
            if let other = entries.first(where: { !entry.name.isEmpty && $0.name == entry.name }) {
                throw ConfigError(key: "\(at).name", message: "'\(other.name)' names two [[torznab]] entries (\(source))")
            }
            entries.append(entry)
        }
        return entries
    }

    /// `[[torznab]]` for `GET /config`: keys masked, URLs with any key inside redacted.
    func torznabIndexersJSON() -> JSONValue {
        .array(
            torznab.indexers.map { entry in
                var object: [String: JSONValue] = [
                    "url": .string(Secrets.shared.redact(entry.url)), "api_key": .string(entry.apiKey.isEmpty ? "" : "***"),
                    "name": .string(entry.name),
                ]
                if let seconds = entry.timeoutSecs { object["timeout_secs"] = .number(Double(seconds)) }
                if let ratio = entry.seedRatio { object["seed_ratio"] = .number(ratio) }
                if let minutes = entry.seedTimeMins { object["seed_time_mins"] = .number(Double(minutes)) }
                return .object(object)
            })
    }
}
