import Basics
internal import CCurl
import Foundation

/// What a fetch produced: a body, or a magnet link the server redirected to (Jackett's download
/// links often do; libcurl cannot follow those, and should not).
public enum FetchResult: Sendable, Equatable {
    case body(Data, status: Int, contentType: String?, finalURL: String)
    case magnet(String)
}

/// HTTP GET over libcurl: connect and total timeouts, a body size limit, TLS verification on,
/// proxies from the usual environment variables, redirects followed by hand (at most 5) so a
/// redirect to `magnet:` comes back as a result. Each transfer runs on a Dispatch thread, never
/// on Swift's cooperative pool.
///
/// This is where a URL becomes text: every ``FetchError`` carries the URL and body excerpt with
/// secrets redacted (``Secrets``), and a stored link whose key was redacted gets it back here.
public struct HTTPFetcher: Sendable {
    public var connectTimeout: Double
    public var totalTimeout: Double
    public var maxBytes: Int
    public var maxRedirects = 5
    public var userAgent = "downloader2"

    public init(connectTimeout: Double = 10, totalTimeout: Double = 30, maxBytes: Int = 16 << 20) {
        self.connectTimeout = connectTimeout
        self.totalTimeout = totalTimeout
        self.maxBytes = maxBytes
    }

    private static let globalInit: Void = { curl_global_init(Int(CURL_GLOBAL_DEFAULT)) }()

    public func get(_ url: String) async throws(FetchError) -> FetchResult {
        _ = Self.globalInit
        var current = Secrets.shared.reveal(url)
        for _ in 0...maxRedirects {
            guard let parsed = URL(string: current), ["http", "https"].contains(parsed.scheme?.lowercased() ?? "") else {
                throw .invalidURL(Secrets.shared.redact(current))
            }
            let target = current
            let result = await runBlocking { [self] in self.transfer(target) }
            switch result {
            case .failure(let error): throw error
            case .success(.redirect(let location)):
                if location.lowercased().hasPrefix("magnet:") { return .magnet(location) }
                current = URL(string: location, relativeTo: parsed)?.absoluteString ?? location
            case .success(.done(let response)): return response
            }
        }
        throw .tooManyRedirects(url: Secrets.shared.redact(url))
    }

    /// A POST of `body` with extra header lines (`Name: value`); no redirects are followed. Returns
    /// the body of a 2xx answer; any other status is an error carrying the start of the body.
    public func post(_ url: String, headers: [String], body: Data) async throws(FetchError) -> Data {
        _ = Self.globalInit
        guard let parsed = URL(string: url), ["http", "https"].contains(parsed.scheme?.lowercased() ?? "") else {
            throw .invalidURL(Secrets.shared.redact(url))
        }
        let result = await runBlocking { [self] in self.transfer(url, post: (headers, body)) }
        switch result {
        case .failure(let error): throw error
        case .success(.done(.body(let data, _, _, _))): return data
        case .success(.done(.magnet(let link))), .success(.redirect(let link)):
            throw .httpStatus(url: Secrets.shared.redact(url), status: 300, excerpt: Secrets.shared.redact("redirected to \(link)"))
        }
    }

    private enum Step: Sendable {
        case redirect(String)
        case done(FetchResult)
    }

    /// One blocking libcurl transfer.
    private func transfer(_ url: String, post: (headers: [String], body: Data)? = nil) -> Result<Step, FetchError> {
        let shown = Secrets.shared.redact(url)
        guard let curl = curl_easy_init() else { return .failure(.transfer(url: shown, message: "curl_easy_init failed")) }
        defer { curl_easy_cleanup(curl) }
        var headerList: UnsafeMutablePointer<curl_slist>? = nil
        defer { curl_slist_free_all(headerList) }
        if let post {
            for line in post.headers { headerList = curl_slist_append(headerList, line) }
            _ = d2_curl_set_pointer(curl, CURLOPT_HTTPHEADER, UnsafeMutableRawPointer(headerList))
            _ = d2_curl_set_long(curl, CURLOPT_POSTFIELDSIZE, post.body.count)
            // COPYPOSTFIELDS: libcurl keeps its own copy, so the Data need not outlive this call.
            var body = [UInt8](post.body)
            body.append(0)
            _ = body.withUnsafeMutableBytes { d2_curl_set_pointer(curl, CURLOPT_COPYPOSTFIELDS, $0.baseAddress) }
        }
        let sink = BodySink(limit: maxBytes)
        let context = Unmanaged.passRetained(sink)
        defer { context.release() }
        _ = d2_curl_set_string(curl, CURLOPT_URL, url)
        _ = d2_curl_set_long(curl, CURLOPT_NOSIGNAL, 1)
        _ = d2_curl_set_long(curl, CURLOPT_FOLLOWLOCATION, 0)
        _ = d2_curl_set_long(curl, CURLOPT_CONNECTTIMEOUT_MS, Int(connectTimeout * 1000))
        _ = d2_curl_set_long(curl, CURLOPT_TIMEOUT_MS, Int(totalTimeout * 1000))
        _ = d2_curl_set_string(curl, CURLOPT_PROTOCOLS_STR, "http,https")
        _ = d2_curl_set_string(curl, CURLOPT_ACCEPT_ENCODING, "")
        _ = d2_curl_set_string(curl, CURLOPT_USERAGENT, userAgent)
        _ = d2_curl_set_long(curl, CURLOPT_SSL_VERIFYPEER, 1)
        _ = d2_curl_set_long(curl, CURLOPT_SSL_VERIFYHOST, 2)
        _ = d2_curl_set_pointer(curl, CURLOPT_WRITEDATA, context.toOpaque())
        _ = d2_curl_set_write_function(curl) { data, size, count, context in
            guard let data, let context else { return 0 }
            let sink = Unmanaged<BodySink>.fromOpaque(context).takeUnretainedValue()
            let bytes = size * count
            // Returning less than given makes libcurl stop with CURLE_WRITE_ERROR.
            guard sink.data.count + bytes <= sink.limit else {
                sink.exceeded = true
                return 0
            }
            sink.data.append(UnsafeRawPointer(data).assumingMemoryBound(to: UInt8.self), count: bytes)
            return bytes
        }
        let code = curl_easy_perform(curl)
        if sink.exceeded { return .failure(.tooLarge(url: shown, limit: maxBytes)) }
        guard code == CURLE_OK else { return .failure(classify(code, url: shown)) }

        var status = 0
        _ = d2_curl_get_long(curl, CURLINFO_RESPONSE_CODE, &status)
        if (300..<400).contains(status) {
            var location: UnsafeMutablePointer<CChar>?
            _ = d2_curl_get_string(curl, CURLINFO_REDIRECT_URL, &location)
            if let location { return .success(.redirect(String(cString: location))) }
        }
        let excerpt = String(decoding: sink.data.prefix(300), as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        // A pause asked for is kept to a day at most: a server's mistake must not park an indexer for years.
        if status == 429 || status == 503, let retryAfter = header(curl, "Retry-After").flatMap({ FetchError.retryAfterSeconds($0) }) {
            return .failure(.rateLimited(url: shown, status: status, retryAfter: min(retryAfter, 86_400), excerpt: Secrets.shared.redact(excerpt)))
        }
        if status == 429 { return .failure(.rateLimited(url: shown, status: status, retryAfter: nil, excerpt: Secrets.shared.redact(excerpt))) }
        guard (200..<300).contains(status) else {
            return .failure(.httpStatus(url: shown, status: status, excerpt: Secrets.shared.redact(excerpt)))
        }
        var contentType: UnsafeMutablePointer<CChar>?
        _ = d2_curl_get_string(curl, CURLINFO_CONTENT_TYPE, &contentType)
        return .success(.done(.body(sink.data, status: status, contentType: contentType.map { String(cString: $0) }, finalURL: url)))
    }

    /// The first value of a response header of the last request, nil when absent.
    private func header(_ curl: UnsafeMutableRawPointer, _ name: String) -> String? {
        var found: UnsafeMutablePointer<curl_header>?
        guard curl_easy_header(curl, name, 0, UInt32(CURLH_HEADER), -1, &found) == CURLHE_OK, let value = found?.pointee.value else { return nil }
        return String(cString: value)
    }

    private func classify(_ code: CURLcode, url: String) -> FetchError {
        let message = String(cString: curl_easy_strerror(code))
        switch code {
        case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY: return .dns(host: URL(string: url)?.host ?? url, message: message)
        case CURLE_COULDNT_CONNECT: return .connect(url: url, message: message)
        case CURLE_OPERATION_TIMEDOUT: return .timeout(url: url, seconds: totalTimeout)
        case CURLE_UNSUPPORTED_PROTOCOL, CURLE_URL_MALFORMAT: return .invalidURL(url)
        default: return .transfer(url: url, message: message)
        }
    }
}

/// Where the write callback collects the body; touched only by the one thread running the transfer.
private final class BodySink {
    let limit: Int
    var data = Data()
    var exceeded = false
    init(limit: Int) { self.limit = limit }
}
