import Foundation

/// One `[[notify]]` entry: where to tell others that a ticket reached a state.
public struct NotifyTarget: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        /// A POST of a JSON body to `url`, signed with an HMAC header when `secret` is set.
        case webhook
        /// A Subsonic server (Navidrome, Airsonic, gonic…): `startScan` after a completion, at most one
        /// scan per `scanIntervalSecs`, with the API's token authentication.
        case subsonic
    }

    /// The states a target can be told about.
    public static let allEvents = ["completed", "failed", "needs_approval", "wanted"]

    public var kind: Kind
    public var url: String
    /// States that trigger a call (webhook only; Subsonic scans after `completed`); `wanted` is told each
    /// time a search finds nothing.
    public var events: [String]
    /// Webhook: the HMAC-SHA-256 key of the `X-Downloader2-Signature` header; empty: unsigned.
    public var secret: String
    /// Subsonic: the user and password of the token authentication.
    public var username: String
    public var password: String
    /// Tries per call before it is given up (the first included), with 1, 2, 4… s between them.
    public var attempts: Int
    /// Subsonic: the least time between two scans.
    public var scanIntervalSecs: Double

    public init(
        kind: Kind, url: String, events: [String] = NotifyTarget.allEvents, secret: String = "", username: String = "", password: String = "",
        attempts: Int = 5, scanIntervalSecs: Double = 60
    ) {
        self.kind = kind
        self.url = url
        self.events = events
        self.secret = secret
        self.username = username
        self.password = password
        self.attempts = max(1, attempts)
        self.scanIntervalSecs = scanIntervalSecs
    }

    /// How the target is named in logs and health checks: its kind and URL without query or credentials.
    public var name: String {
        guard var components = URLComponents(string: url) else { return kind.rawValue }
        components.query = nil
        components.user = nil
        components.password = nil
        return "\(kind.rawValue) \(components.string ?? url)"
    }
}
