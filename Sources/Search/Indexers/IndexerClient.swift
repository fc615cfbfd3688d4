import Basics
import Foundation
import Tickets

/// One search sent to an indexer: free text, and the structured fields Torznab's `t=music` takes.
public struct IndexerQuery: Sendable, Equatable {
    public var text: String
    public var artist: String?
    public var album: String?
    public var year: Int?

    public init(text: String, artist: String? = nil, album: String? = nil, year: Int? = nil) {
        self.text = text
        self.artist = artist
        self.album = album
        self.year = year
    }
}

/// What one indexer answered to one query: its candidates, and the failures it reported beside
/// them (an aggregate such as Jackett's `indexers/all` answers for the trackers that worked and
/// names those that did not).
public struct IndexerAnswer: Sendable, Equatable {
    public var candidates: [TorrentCandidate]
    public var failures: [IndexerError]

    public init(candidates: [TorrentCandidate], failures: [IndexerError] = []) {
        self.candidates = candidates
        self.failures = failures
    }
}

/// A source of candidates: Jackett's JSON API or a Torznab feed (Prowlarr, Jackett, others).
public protocol IndexerClient: Sendable {
    var name: String { get }
    func search(_ query: IndexerQuery) async throws(IndexerError) -> IndexerAnswer
    /// The indexer's recent releases in the music categories (a search with no query): what the
    /// RSS sync reads to spot a wanted album the moment it appears.
    func recentReleases() async throws(IndexerError) -> IndexerAnswer
}

/// Why an indexer gave no candidates.
public enum IndexerError: Error, Sendable, Equatable, CustomStringConvertible {
    /// 401/403 or a Torznab credentials error (100–199): the API key is wrong. A configuration error; never retried.
    case unauthorized(indexer: String, message: String)
    /// Timeouts, refused connections, 5xx: may pass.
    case unavailable(indexer: String, FetchError)
    /// An answer that is not what the API promises (garbage, truncated, wrong shape).
    case badResponse(indexer: String, reason: String)
    /// The indexer answered 429 (or 503 with `Retry-After`): it is not asked again before `until`.
    case rateLimited(indexer: String, until: Date)
    /// A tracker behind an aggregate (Jackett's `Indexers[]`, a Torznab `<error>` that is not about
    /// credentials) failed: a Cloudflare challenge, a login, the site itself. Named so the user sees it.
    case failed(indexer: String, message: String)

    /// Redacted: an indexer's answer may quote the request, key and all.
    public var description: String { Secrets.shared.redact(unredactedDescription) }

    private var unredactedDescription: String {
        switch self {
        case .unauthorized(let indexer, let message): "indexer \(indexer) refused the API key: \(message) (check its api_key in the configuration)"
        case .unavailable(let indexer, let error): "indexer \(indexer) is unavailable: \(error)"
        case .badResponse(let indexer, let reason): "indexer \(indexer) sent an unusable answer: \(reason)"
        case .rateLimited(let indexer, let until):
            "indexer \(indexer) asked for a pause (HTTP 429 / Retry-After): not asked again before \(ISO8601DateFormatter().string(from: until))"
        case .failed(let indexer, let message): "indexer \(indexer) failed: \(message)"
        }
    }

    /// The indexer's name as the error gives it.
    public var indexer: String {
        switch self {
        case .unauthorized(let name, _), .unavailable(let name, _), .badResponse(let name, _), .rateLimited(let name, _), .failed(let name, _): name
        }
    }

    /// A short word for metrics and the API: `unauthorized`, `unavailable`, `timeout`, `bad_response`, `rate_limited`, `failed`.
    public var kind: String {
        switch self {
        case .unauthorized: "unauthorized"
        case .unavailable(_, .timeout): "timeout"
        case .unavailable: "unavailable"
        case .badResponse: "bad_response"
        case .rateLimited: "rate_limited"
        case .failed: "failed"
        }
    }

    /// Worth asking again at once (with a short backoff): connection failures and 5xx.
    public var isRetryable: Bool {
        if case .unavailable(_, let error) = self { return error.isRetryable }
        return false
    }

    /// Worth asking again later: everything but a refused key and an unusable answer.
    public var mayPass: Bool {
        switch self {
        case .unauthorized, .badResponse: false
        case .unavailable, .rateLimited, .failed: true
        }
    }

    /// A rate limit without `Retry-After` pauses the indexer this long (Jackett's own default answer is 60 s).
    public static let defaultRateLimitPause: Double = 60

    static func from(_ error: FetchError, indexer: String, now: Date = Date()) -> IndexerError {
        if error.isAuthorizationFailure { return .unauthorized(indexer: indexer, message: error.description) }
        if case .rateLimited(_, _, let retryAfter, _) = error {
            return .rateLimited(indexer: indexer, until: now.addingTimeInterval(retryAfter ?? defaultRateLimitPause))
        }
        return .unavailable(indexer: indexer, error)
    }
}

/// The info-hash inside a magnet link (`xt=urn:btih:`), lowercased; nil when there is none.
public func infoHash(ofMagnet magnet: String?) -> String? {
    guard let magnet, let range = magnet.range(of: "xt=urn:btih:", options: .caseInsensitive) else { return nil }
    let hash = magnet[range.upperBound...].prefix { $0.isLetter || $0.isNumber }
    return hash.count == 40 ? hash.lowercased() : nil
}

/// Music categories of the Newznab/Torznab scheme (3000 Audio and its children).
let musicCategory = "3000"

extension String {
    /// A query value as a URL carries it: everything but unreserved characters percent-encoded, so a
    /// `+` stays a plus (URLComponents leaves it, and servers read it as a space).
    var queryEscaped: String {
        addingPercentEncoding(withAllowedCharacters: CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~"))
            ?? self
    }
}

/// A URL from a base and query items, each name and value escaped with ``Swift/String/queryEscaped``;
/// the base's own query (if any) is kept.
func url(_ base: String, _ items: [(String, String)]) -> String? {
    guard URLComponents(string: base) != nil else { return nil }
    let query = items.map { "\($0.0.queryEscaped)=\($0.1.queryEscaped)" }.joined(separator: "&")
    return base + (base.contains("?") ? "&" : "?") + query
}
