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
        }
    }

    /// 401/403: the API key or credentials are wrong; retrying will not help.
    public var isAuthorizationFailure: Bool {
        if case .httpStatus(_, let status, _) = self { return status == 401 || status == 403 }
        return false
    }

    /// Timeouts, connection failures and 5xx may pass; retry with backoff.
    public var isRetryable: Bool {
        switch self {
        case .timeout, .connect, .dns, .transfer: true
        case .httpStatus(_, let status, _): status >= 500 || status == 429
        default: false
        }
    }
}
