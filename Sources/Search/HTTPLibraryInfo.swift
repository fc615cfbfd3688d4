internal import CCurl

/// Facts about the libcurl the fetcher uses.
public enum HTTPLibraryInfo {
    /// libcurl's own version line, e.g. "libcurl/7.88.1 OpenSSL/3.0.17 zlib/1.2.13".
    public static var curlVersion: String { String(cString: curl_version()) }
}
