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

/// A source of candidates: Jackett's JSON API or a Torznab feed (Prowlarr, Jackett, others).
public protocol IndexerClient: Sendable {
    var name: String { get }
    func search(_ query: IndexerQuery) async throws(IndexerError) -> [TorrentCandidate]
    /// The indexer's recent releases in the music categories (a search with no query): what the
    /// RSS sync reads to spot a wanted album the moment it appears.
    func recentReleases() async throws(IndexerError) -> [TorrentCandidate]
}

/// Why an indexer gave no candidates.
public enum IndexerError: Error, Sendable, Equatable, CustomStringConvertible {
    /// 401/403 or a Torznab credentials error: the API key is wrong. A configuration error; never retried.
    case unauthorized(indexer: String, message: String)
    /// Timeouts, refused connections, 5xx: may pass.
    case unavailable(indexer: String, FetchError)
    /// An answer that is not what the API promises (garbage, truncated, wrong shape).
    case badResponse(indexer: String, reason: String)

    /// Redacted: an indexer's answer may quote the request, key and all.
    public var description: String { Secrets.shared.redact(unredactedDescription) }

    private var unredactedDescription: String {
        switch self {
        case .unauthorized(let indexer, let message): "indexer \(indexer) refused the API key: \(message) (check its api_key in the configuration)"
        case .unavailable(let indexer, let error): "indexer \(indexer) is unavailable: \(error)"
        case .badResponse(let indexer, let reason): "indexer \(indexer) sent an unusable answer: \(reason)"
        }
    }

    public var isRetryable: Bool {
        if case .unavailable(_, let error) = self { return error.isRetryable }
        return false
    }

    static func from(_ error: FetchError, indexer: String) -> IndexerError {
        if error.isAuthorizationFailure { return .unauthorized(indexer: indexer, message: error.description) }
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
