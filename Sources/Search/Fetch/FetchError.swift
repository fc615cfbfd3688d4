import Foundation

/// Why an HTTP fetch failed, typed so callers can tell a dead indexer from a bad API key.
public enum FetchError: Error, Sendable, Equatable, CustomStringConvertible {
    case invalidURL(String)
    case dns(host: String, message: String)
    case connect(url: String, message: String)
    case timeout(url: String, seconds: Double)
    /// The server answered with an error status; `excerpt` is the start of its body.
    case httpStatus(url: String, status: Int, excerpt: String)
    case tooLarge(url: String, limit: Int)
    case tooManyRedirects(url: String)
    case transfer(url: String, message: String)
    /// 429, or 503 with `Retry-After`: the server asks to be left alone; `retryAfter` is how many
    /// seconds it asked for (from its `Retry-After` header, in seconds or as an HTTP date), nil when it did not say.
    case rateLimited(url: String, status: Int, retryAfter: Double?, excerpt: String)

    public var description: String {
        switch self {
        case .invalidURL(let url): "not an http(s) URL: '\(url)'"
        case .dns(let host, let message): "cannot resolve \(host): \(message)"
        case .connect(let url, let message): "cannot connect to \(url): \(message)"
        case .timeout(let url, let seconds): "\(url) did not answer within \(seconds) s"
        case .httpStatus(let url, let status, let excerpt): "\(url) answered HTTP \(status)" + (excerpt.isEmpty ? "" : ": \(excerpt)")
        case .tooLarge(let url, let limit): "\(url) sent more than \(limit) bytes"
        case .tooManyRedirects(let url): "\(url) redirected too many times"
        case .transfer(let url, let message): "fetching \(url) failed: \(message)"
        case .rateLimited(let url, let status, let retryAfter, let excerpt):
            "\(url) answered HTTP \(status) (too many requests"
                + (retryAfter.map { ", Retry-After \(Int($0.rounded(.up))) s)" } ?? ", no Retry-After)") + (excerpt.isEmpty ? "" : ": \(excerpt)")
        }
    }

    /// 401/403: the API key or credentials are wrong; retrying will not help.
    public var isAuthorizationFailure: Bool {
        if case .httpStatus(_, let status, _) = self { return status == 401 || status == 403 }
        return false
    }

    /// Connection failures and 5xx may pass; retry with backoff. A timeout already spent the whole
    /// wait and a rate limit asked for a pause: neither is retried at once (the caller schedules them).
    public var isRetryable: Bool {
        switch self {
        case .connect, .dns, .transfer: true
        case .httpStatus(_, let status, _): status >= 500
        default: false
        }
    }

    /// Reads a `Retry-After` value: delta-seconds, or an HTTP date (RFC 9110 §10.2.3) taken relative
    /// to `now`; nil when it is neither. A date in the past is 0 s.
    public static func retryAfterSeconds(_ value: String, now: Date = Date()) -> Double? {
        let text = value.trimmingCharacters(in: .whitespaces)
        if let seconds = Int(text) { return seconds >= 0 ? Double(seconds) : nil }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "GMT")
        for format in ["EEE, dd MMM yyyy HH:mm:ss zzz", "EEEE, dd-MMM-yy HH:mm:ss zzz", "EEE MMM d HH:mm:ss yyyy"] {
            formatter.dateFormat = format
            if let date = formatter.date(from: text) { return max(date.timeIntervalSince(now), 0) }
        }
        return nil
    }
}
