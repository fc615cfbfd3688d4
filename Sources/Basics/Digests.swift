internal import CCrypto

/// Message digests for the notifiers, from OpenSSL's libcrypto: HMAC-SHA-256 to sign a webhook's
/// body, MD5 for the Subsonic API's token authentication (`t = md5(password + salt)`).
public enum Digests {
    /// HMAC-SHA-256 of `message` under `key`, in lower-case hexadecimal.
    public static func hmacSHA256Hex(key: [UInt8], message: [UInt8]) -> String {
        var out = [UInt8](repeating: 0, count: 32)
        var length = 0
        let status = key.withUnsafeBytes { k in
            message.withUnsafeBytes { m in
                // EVP_Q_mac needs a non-null key pointer even for an empty key.
                EVP_Q_mac(
                    nil, "HMAC", nil, "SHA256", nil, k.baseAddress ?? UnsafeRawPointer(bitPattern: 1), key.count,
                    m.baseAddress?.assumingMemoryBound(to: UInt8.self), message.count, &out, out.count, &length)
            }
        }
        precondition(status != nil && length == 32, "HMAC-SHA-256 failed in libcrypto")
        return hex(out)
    }

    /// MD5 of `bytes`, in lower-case hexadecimal.
    public static func md5Hex(_ bytes: [UInt8]) -> String {
        var digest = [UInt8](repeating: 0, count: 16)
        var length: UInt32 = 0
        let status = bytes.withUnsafeBytes { EVP_Digest($0.baseAddress, bytes.count, &digest, &length, EVP_md5(), nil) }
        precondition(status == 1 && length == 16, "MD5 failed in libcrypto")
        return hex(digest)
    }

    static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text = [UInt8]()
        text.reserveCapacity(bytes.count * 2)
        for byte in bytes { text.append(digits[Int(byte >> 4)]); text.append(digits[Int(byte & 15)]) }
        return String(decoding: text, as: UTF8.self)
    }
}
