import Basics
import Foundation
import Pipeline
import TOMLKit
import Tickets

extension AppConfig {
    /// Reads `[[notify]]` entries (an array of tables; not settable from the environment).
    static func notifyTargets(_ value: any TOMLValueConvertible, source: String) throws(ConfigError) -> [NotifyTarget] {
        guard let array = value.array else { throw ConfigError(key: "notify", message: "must be an array of tables ([[notify]]) in \(source)") }
        var targets: [NotifyTarget] = []
        for (index, item) in array.enumerated() {
            let at = "notify[\(index)]"
            guard let table = item.table else { throw ConfigError(key: at, message: "must be a table ([[notify]]) in \(source)") }
            func string(_ name: String) throws(ConfigError) -> String? {
                guard let value = table[name] else { return nil }
                guard let text = value.string else {
                    throw ConfigError(key: "\(at).\(name)", message: "expected a string, got \(value.type) in \(source)")
                }
                return text
            }
            for name in table.keys
            where !["type", "url", "events", "secret", "username", "password", "attempts", "scan_interval_secs"].contains(name) {
                throw ConfigError(key: "\(at).\(name)", message: "unknown key in a [[notify]] entry (\(source))")
            }
            guard let kindName = try string("type") else {
                throw ConfigError(key: "\(at).type", message: "missing: \"webhook\" or \"subsonic\" (\(source))")
            }
            guard let kind = NotifyTarget.Kind(rawValue: kindName) else {
                throw ConfigError(key: "\(at).type", message: "must be \"webhook\" or \"subsonic\", got '\(kindName)' (\(source))")
            }
            guard let url = try string("url"), let parsed = URL(string: url), ["http", "https"].contains(parsed.scheme?.lowercased() ?? ""),
                parsed.host != nil
            else {
                throw ConfigError(key: "\(at).url", message: "must be an http(s) URL (\(source))")
            }
            var target = NotifyTarget(
                kind: kind, url: url, secret: try string("secret") ?? "", username: try string("username") ?? "",
                password: try string("password") ?? "")
            if let events = table["events"] {
                guard let list = events.array?.compactMap({ $0.string }), list.count == events.array?.count,
                    !list.isEmpty, list.allSatisfy(NotifyTarget.allEvents.contains)
                else {
                    throw ConfigError(
                        key: "\(at).events",
                        message: "must be a list of \(NotifyTarget.allEvents.map { "\"\($0)\"" }.joined(separator: ", ")) (\(source))")
                }
                target.events = list
            }
            if let attempts = table["attempts"] {
                guard let n = attempts.int, (1...20).contains(n) else {
                    throw ConfigError(key: "\(at).attempts", message: "must be an integer from 1 to 20 (\(source))")
                }
                target.attempts = n
            }
            if let interval = table["scan_interval_secs"] {
                guard let secs = interval.int, (1...86_400).contains(secs) else {
                    throw ConfigError(key: "\(at).scan_interval_secs", message: "must be an integer from 1 to 86400 (\(source))")
                }
                target.scanIntervalSecs = Double(secs)
            }
            if kind == .subsonic, target.username.isEmpty || target.password.isEmpty {
                throw ConfigError(key: "\(at).username", message: "a subsonic target needs username and password (\(source))")
            }
            targets.append(target)
        }
        return targets
    }

    /// `[[notify]]` for `GET /config`: secrets and passwords shown as `***`.
    func notifyJSON() -> JSONValue {
        .array(
            notify.map { target in
                var entry: [String: JSONValue] = [
                    "type": .string(target.kind.rawValue), "url": .string(Secrets.shared.redact(target.url)),
                    "attempts": .number(Double(target.attempts)),
                ]
                switch target.kind {
                case .webhook:
                    entry["events"] = .array(target.events.map(JSONValue.string))
                    entry["secret"] = .string(target.secret.isEmpty ? "" : "***")
                case .subsonic:
                    entry["username"] = .string(target.username)
                    entry["password"] = .string("***")
                    entry["scan_interval_secs"] = .number(target.scanIntervalSecs)
                }
                return .object(entry)
            })
    }
}
