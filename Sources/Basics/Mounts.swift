import Foundation

/// Which mount a path is on, read from `/proc/self/mountinfo`: two folders of one file system can
/// still be two mounts (a container's volumes, bind mounts), and rename(2) between mounts fails with
/// EXDEV even when `st_dev` is the same.
public enum Mounts {
    /// The mount ID of the mount point nearest above `path` (resolved through links), the last one
    /// listed when several are stacked there; nil when `path` or the mount table cannot be read.
    public static func mountID(of path: String, table: String? = nil) -> Int? {
        guard let resolved = realpath(path, nil) else { return nil }
        let real = String(cString: resolved)
        free(resolved)
        guard let table = table ?? KernelFile.read("/proc/self/mountinfo") else { return nil }
        var best: (length: Int, id: Int)?
        for line in table.split(separator: "\n") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: false)
            guard fields.count > 4, let id = Int(fields[0]) else { continue }
            let point = unescape(fields[4])
            let covers = point == "/" || real == point || real.hasPrefix(point + "/")
            // `>=`: of mounts stacked on one point, the later one is on top.
            if covers, point.count >= (best?.length ?? -1) { best = (point.count, id) }
        }
        return best?.id
    }

    /// mountinfo writes space, tab, newline and backslash in paths as octal escapes (`\040`).
    static func unescape(_ field: Substring) -> String {
        guard field.contains("\\") else { return String(field) }
        var bytes: [UInt8] = []
        var index = field.utf8.startIndex
        let utf8 = field.utf8
        while index < utf8.endIndex {
            let byte = utf8[index]
            let digits = utf8[utf8.index(after: index)...].prefix(3)
            if byte == UInt8(ascii: "\\"), digits.count == 3, let value = UInt8(String(decoding: digits, as: UTF8.self), radix: 8) {
                bytes.append(value)
                index = utf8.index(index, offsetBy: 4)
            } else {
                bytes.append(byte)
                index = utf8.index(after: index)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
