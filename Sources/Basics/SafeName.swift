internal import CCrypto

/// A single path component made from an id or a title: the one way anything from a ticket or a
/// release becomes a file or folder name (work folders, converted tracks, images).
///
/// - Never empty, ".", "..", and never contains "/" or NUL: it cannot point anywhere but where it is put.
/// - Injective: letters, digits, "-" and "." (not leading) stay; every other character, and "_"
///   itself, is written as `_` plus the hex of its UTF-8 bytes, so "a/b" → "a_2Fb" and "a_b" → "a_5Fb".
/// - Bounded: at most ``maxBytes`` UTF-8 bytes; a longer name is cut and ends in `~` and the first
///   16 hex digits of the SHA-256 of the whole input (`~` is always escaped elsewhere, so a cut name
///   never equals an uncut one).
public struct SafeName: Sendable, Hashable, CustomStringConvertible {
    /// ext4, XFS and Btrfs allow 255 bytes; room is left for an extension and a `.partial` suffix.
    public static let maxBytes = 200

    /// The path component.
    public let value: String

    public init(_ raw: String) {
        var out = ""
        if raw.isEmpty { out = "_" }
        for (offset, scalar) in raw.unicodeScalars.enumerated() {
            if Self.isLiteral(scalar, leading: offset == 0) {
                out.unicodeScalars.append(scalar)
            } else {
                for byte in String(scalar).utf8 { out += "_" + Self.hex(byte) }
            }
        }
        if out.utf8.count > Self.maxBytes {
            let suffix = "~" + String(Self.sha256Hex(raw).prefix(16))
            var cut = ""
            for character in out {
                if cut.utf8.count + character.utf8.count + suffix.utf8.count > Self.maxBytes { break }
                cut.append(character)
            }
            // An escape cut in half would still decode to something else: drop a dangling `_X`.
            if let underscore = cut.lastIndex(of: "_"), cut.distance(from: underscore, to: cut.endIndex) < 3 {
                cut = String(cut[..<underscore])
            }
            out = cut + suffix
        }
        value = out
    }

    public var description: String { value }

    private static func isLiteral(_ scalar: Unicode.Scalar, leading: Bool) -> Bool {
        switch scalar {
        case "a"..."z", "A"..."Z", "0"..."9", "-": return true
        case ".": return !leading
        default:
            // Letters and digits of other scripts stay readable (Björk, Сплин, 坂本龍一); combining
            // marks are escaped (so "ö" and "o" + U+0308, equal as Swift strings and merged by some
            // file systems, get different names), as are control, format, separators and symbols.
            guard !scalar.isASCII else { return false }
            let category = scalar.properties.generalCategory
            switch category {
            case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter, .decimalNumber:
                return true
            default:
                return false
            }
        }
    }

    private static func hex(_ byte: UInt8) -> String {
        let digits = Array("0123456789ABCDEF")
        return String([digits[Int(byte >> 4)], digits[Int(byte & 0xF)]])
    }

    /// Lowercase hex SHA-256 of the UTF-8 bytes of `text`.
    static func sha256Hex(_ text: String) -> String {
        var digest = [UInt8](repeating: 0, count: 32)
        var length: UInt32 = 0
        let bytes = Array(text.utf8)
        _ = bytes.withUnsafeBytes { input in
            EVP_Digest(input.baseAddress, input.count, &digest, &length, EVP_sha256(), nil)
        }
        return digest.map { String($0, radix: 16).leftPadded(to: 2) }.joined()
    }
}

private extension String {
    func leftPadded(to width: Int) -> String { count >= width ? self : String(repeating: "0", count: width - count) + self }
}
