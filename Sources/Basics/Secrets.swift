import Foundation
import Synchronization

/// The secrets this process knows (indexer API keys, the API token, LLM keys, passwords in URLs),
/// so that every boundary where text leaves the process can take them out again.
///
/// A secret is registered where it is first held (the configuration loader, an indexer client);
/// ``redact(_:)`` then replaces it with `***` in any text. Secrets shorter than
/// ``minimumLength`` are not registered by value (they would blank out common words); URL query
/// values under a secret-looking name are redacted whatever their length.
public final class Secrets: Sendable {
    /// The process-wide registry.
    public static let shared = Secrets()

    public static let minimumLength = 4
    public static let mask = "***"

    /// Query parameter names whose values are secrets in every indexer and client API we speak.
    public static let secretParameterNames: Set<String> = [
        "apikey", "api_key", "jackett_apikey", "passkey", "token", "access_token", "auth", "password", "pass", "secret", "key", "torrent_pass",
        "authkey",
    ]

    private struct Entry: Sendable {
        var value: String
        /// The origin (`scheme://host:port`) that should get the value back in URLs (see ``reveal(_:)``).
        var origin: String?
    }

    private let entries = Mutex<[Entry]>([])

    public init() {}

    /// Remembers `value` as a secret; `origin` (a base URL) is where a redacted link may carry it back.
    public func register(_ value: String, origin: String? = nil) {
        guard value.count >= Self.minimumLength else { return }
        let origin = origin.flatMap(Self.origin(of:))
        entries.withLock { list in
            if !list.contains(where: { $0.value == value && $0.origin == origin }) { list.append(Entry(value: value, origin: origin)) }
        }
    }

    /// `text` with every known secret (raw or percent-encoded), every secret-looking URL query
    /// value and every password in a URL's user-info replaced by `***`.
    public func redact(_ text: String) -> String {
        var out = text
        let values = entries.withLock { $0.map(\.value) }
        for value in values.sorted(by: { $0.count > $1.count }) {
            out = out.replacingOccurrences(of: value, with: Self.mask)
            if let encoded = value.addingPercentEncoding(withAllowedCharacters: .alphanumerics), encoded != value {
                out = out.replacingOccurrences(of: encoded, with: Self.mask)
            }
        }
        return Self.redactURLParts(out)
    }

    /// A redacted link of a known origin with its secrets put back, for fetching it: links stored
    /// with `apikey=***` (a Jackett or Prowlarr download link) work again after a restart.
    public func reveal(_ url: String) -> String {
        guard url.contains(Self.mask), let origin = Self.origin(of: url) else { return url }
        let values = entries.withLock { $0.filter { $0.origin == origin }.map(\.value) }
        guard values.count == 1, let value = values.first else { return url }
        let encoded = value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? value
        return url.replacingOccurrences(of: Self.mask, with: encoded)
            .replacingOccurrences(of: Self.mask.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!, with: encoded)
    }

    /// `scheme://host[:port]`, lowercased; nil when `url` has no host.
    static func origin(of url: String) -> String? {
        guard let components = URLComponents(string: url), let scheme = components.scheme, let host = components.host else { return nil }
        return "\(scheme.lowercased())://\(host.lowercased())" + (components.port.map { ":\($0)" } ?? "")
    }

    /// Redacts `name=value` query pairs with a secret-looking name, `user:password@` in URLs, and a
    /// private tracker's passkey in an announce path (`/<32 hex digits>/announce`, as Gazelle and
    /// Ocelot trackers write it).
    static func redactURLParts(_ text: String) -> String {
        var out = text
        if out.contains("/announce") {
            let announce = /\/[0-9A-Fa-f]{32}\/announce/
            out = out.replacing(announce) { _ in "/\(Secrets.mask)/announce" }
        }
        guard out.contains("=") || out.contains("@") else { return out }
        // name=value inside a query string: after ? or &, up to the next & # space quote or bracket.
        let query = /([?&;](?:amp;)?)([A-Za-z_\[\]]+)=([^&#\s"'<>\]\)]*)/
        out = out.replacing(query) { match in
            let name = String(match.output.2).lowercased()
            guard secretParameterNames.contains(name), !match.output.3.isEmpty, match.output.3 != Secrets.mask else { return String(match.output.0) }
            return "\(match.output.1)\(match.output.2)=\(Secrets.mask)"
        }
        let userinfo = /([A-Za-z][A-Za-z0-9+.-]*:\/\/[^\/\s:@]*):([^\/\s@]+)@/
        out = out.replacing(userinfo) { match in
            match.output.2 == Secrets.mask ? String(match.output.0) : "\(match.output.1):\(Secrets.mask)@"
        }
        return out
    }
}
