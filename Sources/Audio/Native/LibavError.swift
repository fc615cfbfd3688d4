internal import CAudio
#if canImport(Glibc)
import Glibc
#endif

extension AudioError {
    /// A failed write from libav's code (`AVERROR(e)` is `-e` here): ENOSPC and EDQUOT become
    /// ``diskFull``, the rest ``writeFailed`` with libav's text.
    static func write(_ path: String, code: Int32, _ what: String? = nil) -> AudioError {
        if code == -ENOSPC || code == -EDQUOT { return .diskFull(path: path) }
        return .writeFailed(path: path, reason: (what.map { "\($0): " } ?? "") + avErrorText(code))
    }
}

/// libav's text for an error code.
func avErrorText(_ code: Int32) -> String {
    var buffer = [CChar](repeating: 0, count: 256)
    if av_strerror(code, &buffer, buffer.count) < 0 { return "libav error \(code)" }
    return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
}

enum AVCode {
    static let again = caudio_error_again()
    static let eof = caudio_error_eof()
    static let noPTS = caudio_no_pts()
}
