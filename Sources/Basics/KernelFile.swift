#if canImport(Glibc)
import Glibc
#endif

/// Files the kernel makes up as they are read (`/proc`), read to their end. stat gives them a size
/// of 0, and Foundation's `String(contentsOfFile:)` returned only the first 4,096 bytes of a
/// 6,327-byte `/proc/self/mountinfo` (measured in a container), missing the volumes listed last.
public enum KernelFile {
    public static func read(_ path: String) -> String? {
        guard let file = fopen(path, "r") else { return nil }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = fread(&buffer, 1, buffer.count, file)
            if count <= 0 { break }
            bytes.append(contentsOf: buffer[0..<count])
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
