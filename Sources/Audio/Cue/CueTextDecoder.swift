#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Turns a CUE file's bytes into text. Rips from the 2000s are often not UTF-8, so the rule is:
///
/// 1. A byte-order mark decides (UTF-8, UTF-16 LE/BE).
/// 2. Bytes that are valid UTF-8 are UTF-8.
/// 3. Shift-JIS when the bytes are valid Shift-JIS and at least half of the double-byte pairs look
///    Japanese: a kana lead byte (0x82 hiragana, 0x83 katakana) or a trail byte ≥ 0x80. Western text
///    that happens to decode (an accented letter before an ASCII one) has ASCII trail bytes.
/// 4. CP1251 (Cyrillic) when at least half of the bytes ≥ 0xC0 sit in runs of three or more: Cyrillic
///    words are runs of such bytes, while Western accents are single letters between ASCII ones.
/// 5. Otherwise CP1252 (Western European; a superset of Latin-1's printable range).
public enum CueTextDecoder {
    public enum Encoding: String, Sendable { case utf8 = "UTF-8", utf16 = "UTF-16", shiftJIS = "SHIFT_JIS", cp1251 = "CP1251", cp1252 = "CP1252" }

    public static func decode(_ bytes: [UInt8]) -> (text: String, encoding: Encoding) {
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { return (String(decoding: bytes.dropFirst(3), as: UTF8.self), .utf8) }
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]), let text = convert(bytes, from: "UTF-16") {
            return (text, .utf16)
        }
        if let text = String(validating: bytes, as: UTF8.self) { return (text, .utf8) }
        if looksJapanese(bytes), let text = convert(bytes, from: Encoding.shiftJIS.rawValue) { return (text, .shiftJIS) }
        let encoding: Encoding = looksCyrillic(bytes) ? .cp1251 : .cp1252
        return (convert(bytes, from: encoding.rawValue) ?? String(decoding: bytes, as: UTF8.self), encoding)
    }

    static func looksJapanese(_ bytes: [UInt8]) -> Bool {
        var pairs = 0
        var japanese = 0
        var index = 0
        while index < bytes.count {
            let lead = bytes[index]
            let isLead = (0x81...0x9F).contains(lead) || (0xE0...0xEF).contains(lead)
            guard isLead, index + 1 < bytes.count else { index += 1; continue }
            let trail = bytes[index + 1]
            pairs += 1
            if lead == 0x82 || lead == 0x83 || trail >= 0x80 { japanese += 1 }
            index += 2
        }
        return pairs > 0 && japanese * 2 >= pairs
    }

    static func looksCyrillic(_ bytes: [UInt8]) -> Bool {
        var high = 0
        var inRuns = 0
        var run = 0
        for byte in bytes + [0] {
            if byte >= 0xC0 {
                run += 1
                high += 1
            } else {
                if run >= 3 { inRuns += run }
                run = 0
            }
        }
        return high > 0 && inRuns * 2 >= high
    }

    /// iconv from `encoding` to UTF-8; nil when the bytes are not valid in it.
    static func convert(_ bytes: [UInt8], from encoding: String) -> String? {
        let descriptor = iconv_open("UTF-8", encoding)
        guard descriptor != iconv_t(bitPattern: -1) else { return nil }
        defer { iconv_close(descriptor) }
        var input = bytes.map { CChar(bitPattern: $0) }
        var output = [CChar](repeating: 0, count: bytes.count * 4 + 16)
        let produced: Int? = input.withUnsafeMutableBufferPointer { inBuffer in
            output.withUnsafeMutableBufferPointer { outBuffer in
                var inPointer: UnsafeMutablePointer<CChar>? = inBuffer.baseAddress
                var outPointer: UnsafeMutablePointer<CChar>? = outBuffer.baseAddress
                var inLeft = inBuffer.count
                var outLeft = outBuffer.count
                guard iconv(descriptor, &inPointer, &inLeft, &outPointer, &outLeft) != -1, inLeft == 0 else { return nil }
                return outBuffer.count - outLeft
            }
        }
        guard let produced else { return nil }
        return String(decoding: output.prefix(produced).map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
