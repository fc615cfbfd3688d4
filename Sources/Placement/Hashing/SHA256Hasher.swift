internal import CCrypto
import Foundation

/// Streaming SHA-256 of files through OpenSSL's EVP interface (SHA-NI on this CPU).
///
/// One buffer is allocated per hasher and reused for every read; the loop allocates nothing.
/// Not shareable between threads: each concurrent hash uses its own hasher.
public final class SHA256Hasher {
    /// 1 MiB: large enough that syscalls vanish next to hashing, small enough to stay in L2/L3.
    public static let defaultBufferSize = 1 << 20

    private let context: OpaquePointer
    private let buffer: UnsafeMutableRawBufferPointer

    public init(bufferSize: Int = SHA256Hasher.defaultBufferSize) {
        guard let context = EVP_MD_CTX_new() else { fatalError("OpenSSL could not allocate a digest context") }
        self.context = context
        buffer = .allocate(byteCount: bufferSize, alignment: 64)
    }

    deinit {
        EVP_MD_CTX_free(context)
        buffer.deallocate()
    }

    /// The digest (lowercase hex) and byte count of the file at `path`.
    public func hashFile(atPath path: String) throws(PlacementError) -> FileDigest {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw .from(errno: errno, path: path, operation: "open") }
        defer { close(fd) }
        // Sequential hint: the kernel reads ahead further while we hash.
        _ = posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL)
        return try hash(fd: fd, path: path)
    }

    /// Hashes everything readable from `fd` (from its current offset).
    func hash(fd: Int32, path: String) throws(PlacementError) -> FileDigest {
        guard EVP_DigestInit_ex(context, EVP_sha256(), nil) == 1 else { throw .crypto("EVP_DigestInit_ex failed") }
        var total: Int64 = 0
        while true {
            let count = read(fd, buffer.baseAddress, buffer.count)
            if count == 0 { break }
            if count < 0 {
                if errno == EINTR { continue }
                throw .from(errno: errno, path: path, operation: "read")
            }
            guard EVP_DigestUpdate(context, buffer.baseAddress, count) == 1 else { throw .crypto("EVP_DigestUpdate failed") }
            total += Int64(count)
        }
        var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        guard EVP_DigestFinal_ex(context, &digest, &length) == 1 else { throw .crypto("EVP_DigestFinal_ex failed") }
        return FileDigest(sha256: hex(digest.prefix(Int(length))), size: total)
    }

    /// SHA-256 of bytes in memory (small things: tests, resume data, cover images).
    public func hash(_ data: some ContiguousBytes) throws(PlacementError) -> String {
        guard EVP_DigestInit_ex(context, EVP_sha256(), nil) == 1 else { throw .crypto("EVP_DigestInit_ex failed") }
        let ok = data.withUnsafeBytes { EVP_DigestUpdate(context, $0.baseAddress, $0.count) }
        guard ok == 1 else { throw .crypto("EVP_DigestUpdate failed") }
        var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        guard EVP_DigestFinal_ex(context, &digest, &length) == 1 else { throw .crypto("EVP_DigestFinal_ex failed") }
        return hex(digest.prefix(Int(length)))
    }

    private func hex(_ bytes: ArraySlice<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out = [UInt8]()
        out.reserveCapacity(bytes.count * 2)
        for b in bytes {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 15)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// A file's SHA-256 (lowercase hex) and size.
public struct FileDigest: Sendable, Equatable, Codable {
    public var sha256: String
    public var size: Int64

    public init(sha256: String, size: Int64) {
        self.sha256 = sha256
        self.size = size
    }
}
