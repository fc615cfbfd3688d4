import Basics
import Foundation
import Search
import TOMLKit
import Tickets

/// A configuration problem that stops start-up; it names the key (or file) at fault.
public struct ConfigError: Error, Sendable, CustomStringConvertible {
    public let key: String?
    public let message: String

    public var description: String { key.map { "\($0): \(message)" } ?? message }
}

/// The loaded configuration and what the loader wants the operator to know.
public struct LoadedConfig: Sendable {
    public var config: AppConfig
    /// Unknown keys and sections, replaced sections: worth a warning, not a refusal.
    public var warnings: [String]
}

extension AppConfig {
    /// Reads `path` (if given) over the defaults, then `DOWNLOADER2_<SECTION>_<KEY>` variables over that.
    public static func load(path: String?, environment: [String: String] = ProcessInfo.processInfo.environment) throws(ConfigError) -> LoadedConfig {
        var config = AppConfig()
        var warnings: [String] = []
        if let path {
            let text: String
            do {
                text = try String(contentsOfFile: path, encoding: .utf8)
            } catch {
                throw ConfigError(key: nil, message: "cannot read config file '\(path)': \(error.localizedDescription)")
            }
            try config.apply(toml: text, source: path, warnings: &warnings)
        }
        try config.apply(environment: environment, warnings: &warnings)
        config.registerSecrets()
        return LoadedConfig(config: config, warnings: warnings)
    }

    /// Tells ``Secrets`` every secret this configuration holds, so no error, log line, event or
    /// response can carry one: the keys marked secret, and the key inside each feed URL.
    func registerSecrets() {
        Secrets.shared.register(jackett.apiKey, origin: jackett.url)
        for entry in torznab.indexers {
            let endpoint = IndexerEndpoint(torznabFeed: entry.url)
            Secrets.shared.register(entry.apiKey, origin: endpoint?.baseURL ?? entry.url)
            if let endpoint { Secrets.shared.register(endpoint.apiKey, origin: endpoint.baseURL) }
        }
        for target in notify {
            Secrets.shared.register(target.secret)
            Secrets.shared.register(target.password)
        }
        for key in Self.keys where key.secret {
            switch key.get(self) {
            case .string(let value): Secrets.shared.register(value)
            case .strings(let feeds):
                for endpoint in feeds.compactMap(IndexerEndpoint.init(torznabFeed:)) {
                    Secrets.shared.register(endpoint.apiKey, origin: endpoint.baseURL)
                }
            default: break
            }
        }
    }

    /// Applies a TOML document's keys; unknown ones become warnings, bad values errors.
    mutating func apply(toml text: String, source: String, warnings: inout [String]) throws(ConfigError) {
        let root: TOMLTable
        do {
            root = try TOMLTable(string: text)
        } catch let error as TOMLParseError {
            throw ConfigError(key: nil, message: "\(source) is not valid TOML: \(error.description) (\(error.source.debugDescription))")
        } catch {
            throw ConfigError(key: nil, message: "\(source) is not valid TOML: \(error)")
        }
        let keys = Self.keys
        let sections = Set(keys.map(\.section))
        for (sectionName, sectionValue) in root {
            if sectionName == "notify" {
                notify = try Self.notifyTargets(sectionValue, source: source)
                continue
            }
            // `[[torznab]]` entries; `[torznab]` (a table: feeds, timeout_secs) is read as before.
            if sectionName == "torznab", let entries = sectionValue.array {
                torznab.indexers = try Self.torznabIndexers(entries.map { $0 }, source: source)
                continue
            }
            guard sections.contains(sectionName) else {
                let hint = Self.replacedSections[sectionName].map { ": \($0)" } ?? ""
                warnings.append("\(source): unknown section [\(sectionName)] ignored\(hint)")
                continue
            }
            guard let table = sectionValue.table else {
                throw ConfigError(key: sectionName, message: "must be a table ([\(sectionName)])")
            }
            for (name, value) in table {
                guard let key = keys.first(where: { $0.section == sectionName && $0.name == name }) else {
                    warnings.append("\(source): unknown key \(sectionName).\(name) ignored")
                    continue
                }
                guard let parsed = Self.value(of: value, as: key.kind) else {
                    throw ConfigError(key: key.path, message: "expected \(key.kind.rawValue), got \(value.type) in \(source)")
                }
                if let problem = key.set(&self, parsed) { throw ConfigError(key: key.path, message: "\(problem) (in \(source))") }
            }
        }
    }

    /// Applies `DOWNLOADER2_<SECTION>_<KEY>` overrides.
    mutating func apply(environment: [String: String], warnings: inout [String]) throws(ConfigError) {
        let keys = Self.keys
        let known = Set(keys.map(\.environmentName))
        let sectionPrefixes = Set(keys.map { "DOWNLOADER2_\($0.section.uppercased())_" })
        for (name, _) in environment where !known.contains(name) && sectionPrefixes.contains(where: { name.hasPrefix($0) }) {
            warnings.append("environment variable \(name) matches no config key and is ignored")
        }
        for key in keys {
            guard let raw = environment[key.environmentName] else { continue }
            guard let parsed = Self.value(ofEnvironment: raw, as: key.kind) else {
                throw ConfigError(key: key.path, message: "expected \(key.kind.rawValue), got '\(raw)' from \(key.environmentName)")
            }
            if let problem = key.set(&self, parsed) { throw ConfigError(key: key.path, message: "\(problem) (from \(key.environmentName))") }
        }
    }

    /// The configuration as JSON for `GET /config`, with every secret that is set shown as `***`.
    public func redactedJSON() -> JSONValue {
        var sections: [String: [String: JSONValue]] = [:]
        for key in Self.keys {
            let shown: JSONValue
            switch key.get(self) {
            case .string(let s) where key.secret: shown = .string(s.isEmpty ? "" : "***")
            case .string(let s): shown = .string(s)
            case .int(let i): shown = .number(Double(i))
            case .double(let d): shown = .number(d)
            case .bool(let b): shown = .bool(b)
            case .strings(let list) where key.secret:
                // Secrets inside URLs (a feed's apikey) are masked; the rest of the URL stays readable.
                shown = .array(list.map { .string(Secrets.shared.redact($0)) })
            case .strings(let list): shown = .array(list.map { .string($0) })
            }
            sections[key.section, default: [:]][key.name] = shown
        }
        var json = sections.mapValues { JSONValue.object($0) }
        json["notify"] = notifyJSON()
        if case .object(var section)? = json["torznab"] {
            section["indexers"] = torznabIndexersJSON()
            json["torznab"] = .object(section)
        }
        return .object(json)
    }

    private static func value(of toml: any TOMLValueConvertible, as kind: ConfigKey.Kind) -> ConfigValue? {
        switch kind {
        case .string: toml.string.map { .string($0) }
        case .int: toml.int.map { .int($0) }
        case .double: toml.double.map { .double($0) } ?? toml.int.map { .double(Double($0)) }
        case .bool: toml.bool.map { .bool($0) }
        case .strings:
            toml.array.flatMap { array in
                let strings = array.compactMap { $0.string }
                return strings.count == array.count ? .strings(strings) : nil
            }
        }
    }

    private static func value(ofEnvironment raw: String, as kind: ConfigKey.Kind) -> ConfigValue? {
        let trimmed = raw.trimmingCharacters(in: .whitespaces)
        switch kind {
        case .string: return .string(raw)
        case .int: return Int(trimmed).map { .int($0) }
        case .double: return Double(trimmed).map { .double($0) }
        case .bool:
            switch trimmed.lowercased() {
            case "true", "1", "yes", "on": return .bool(true)
            case "false", "0", "no", "off": return .bool(false)
            default: return nil
            }
        case .strings:
            // A comma-separated list, or a TOML array literal.
            if trimmed.hasPrefix("["), let table = try? TOMLTable(string: "v = \(trimmed)"), let v = table["v"] {
                return value(of: v, as: .strings)
            }
            return .strings(trimmed.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })
        }
    }
}
