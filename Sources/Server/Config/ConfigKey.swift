/// A typed value read from TOML or from the environment.
public enum ConfigValue: Sendable, Equatable {
    case string(String)
    case int(Int)
    case double(Double)
    case bool(Bool)
    case strings([String])
}

/// One configuration key: where it lives, how to read, check and show it.
package struct ConfigKey {
    package enum Kind: String { case string, int, double, bool, strings = "array of strings" }

    package let section: String
    package let name: String
    let kind: Kind
    let secret: Bool
    let get: (AppConfig) -> ConfigValue
    /// Stores a value of `kind`, or returns why it is not acceptable.
    let set: (inout AppConfig, ConfigValue) -> String?

    /// `server.port`
    package var path: String { "\(section).\(name)" }
    /// `DOWNLOADER2_SERVER_PORT`
    var environmentName: String { "DOWNLOADER2_\(section.uppercased())_\(name.uppercased())" }

    static func string(
        _ section: String, _ name: String, _ kp: WritableKeyPath<AppConfig, String>, secret: Bool = false,
        check: @escaping (String) -> String? = { _ in nil }
    ) -> ConfigKey {
        ConfigKey(section: section, name: name, kind: .string, secret: secret, get: { .string($0[keyPath: kp]) }) { config, value in
            guard case .string(let s) = value else { return "expected a string" }
            if let problem = check(s) { return problem }
            config[keyPath: kp] = s
            return nil
        }
    }

    static func int(_ section: String, _ name: String, _ kp: WritableKeyPath<AppConfig, Int>, _ range: ClosedRange<Int>) -> ConfigKey {
        ConfigKey(section: section, name: name, kind: .int, secret: false, get: { .int($0[keyPath: kp]) }) { config, value in
            guard case .int(let i) = value else { return "expected an integer" }
            guard range.contains(i) else { return "must be between \(range.lowerBound) and \(range.upperBound), got \(i)" }
            config[keyPath: kp] = i
            return nil
        }
    }

    static func double(_ section: String, _ name: String, _ kp: WritableKeyPath<AppConfig, Double>, _ range: ClosedRange<Double>) -> ConfigKey {
        ConfigKey(section: section, name: name, kind: .double, secret: false, get: { .double($0[keyPath: kp]) }) { config, value in
            let d: Double
            switch value {
            case .double(let v): d = v
            case .int(let i): d = Double(i)
            default: return "expected a number"
            }
            guard d.isFinite, range.contains(d) else { return "must be between \(range.lowerBound) and \(range.upperBound), got \(d)" }
            config[keyPath: kp] = d
            return nil
        }
    }

    static func bool(_ section: String, _ name: String, _ kp: WritableKeyPath<AppConfig, Bool>) -> ConfigKey {
        ConfigKey(section: section, name: name, kind: .bool, secret: false, get: { .bool($0[keyPath: kp]) }) { config, value in
            guard case .bool(let b) = value else { return "expected true or false" }
            config[keyPath: kp] = b
            return nil
        }
    }

    static func strings(
        _ section: String, _ name: String, _ kp: WritableKeyPath<AppConfig, [String]>, secret: Bool = false,
        check: @escaping ([String]) -> String? = { _ in nil }
    ) -> ConfigKey {
        ConfigKey(section: section, name: name, kind: .strings, secret: secret, get: { .strings($0[keyPath: kp]) }) { config, value in
            guard case .strings(let list) = value else { return "expected an array of strings" }
            if let problem = check(list) { return problem }
            config[keyPath: kp] = list
            return nil
        }
    }
}
