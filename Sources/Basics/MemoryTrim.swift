#if canImport(Glibc)
import Glibc
#endif

/// Giving memory back to the system while the service has nothing to do (a NAS runs it next to
/// everything else). Two kinds of pages stay resident without being needed:
/// - the code and constant data that start-up ran through: the kernel maps file pages in 64 KiB
///   runs around every fault, so an idle `serve` kept about 20 MiB of its own text resident that it
///   never executes again (`make bench-footprint`, docs/NOTES.md#footprint);
/// - the heap's free pages after work (ten albums at once left it at 101 MiB idle): glibc gives
///   most freed memory back by itself, and `malloc_trim` asks it for the rest (not shown by a test:
///   in the cases tried, glibc 2.36 had already returned the pages when the trim ran).
public enum MemoryTrim {
    /// `MADV_PAGEOUT` (Linux 5.4): reclaim these pages now. Not in every libc's headers.
    static let pageOut: Int32 = 21

    /// Unmaps the resident pages of this process's executable code (the binary's and its libraries'
    /// `r-xp` mappings, which nothing ever writes): the next use of a page maps it again from the page
    /// cache, as at start-up. `MADV_DONTNEED` is used there, since `MADV_PAGEOUT` is refused for files
    /// the service's user cannot write (its own binary under /usr/bin); data mappings (`r--p`, `rw-p`:
    /// constants, and pages the loader relocated or the program wrote, which are private copies) are
    /// only ever advised with `MADV_PAGEOUT`, which keeps every written page's contents and drops only
    /// clean file pages. Returns the bytes of code unmapped.
    @discardableResult
    public static func fileBackedCode() -> Int {
        guard let maps = readMaps() else { return 0 }
        var unmapped = 0
        for line in maps.split(separator: "\n") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count >= 6, ["r-xp", "r--p", "rw-p"].contains(fields[1]), fields[5].hasPrefix("/") else { continue }
            let bounds = fields[0].split(separator: "-").compactMap { UInt(String($0), radix: 16) }
            guard bounds.count == 2, bounds[1] > bounds[0], let start = UnsafeMutableRawPointer(bitPattern: bounds[0]) else { continue }
            let length = Int(bounds[1] - bounds[0])
            if fields[1] == "r-xp" {
                if madvise(start, length, MADV_DONTNEED) == 0 { unmapped += length }
            } else {
                _ = madvise(start, length, pageOut)
            }
        }
        return unmapped
    }

    /// Returns the heap's free pages to the system (glibc `malloc_trim`); true when some were released.
    @discardableResult
    public static func heap() -> Bool {
        mallocTrim?(0) == 1
    }

    /// glibc's `malloc_trim`, declared in <malloc.h>, which the Glibc module does not bring in.
    private static let mallocTrim: (@convention(c) (Int) -> Int32)? = {
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim") else { return nil }
        return unsafeBitCast(symbol, to: (@convention(c) (Int) -> Int32).self)
    }()

    /// This process's resident memory from `/proc/self/status`, in bytes: (all, anonymous, file-backed).
    public static func resident() -> (total: Int, anonymous: Int, fileBacked: Int)? {
        guard let status = readFile("/proc/self/status") else { return nil }
        func kib(_ key: String) -> Int? {
            guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix(key + ":") }) else { return nil }
            return line.split(separator: " ").dropFirst().first.flatMap { Int($0) }.map { $0 * 1024 }
        }
        guard let total = kib("VmRSS"), let anonymous = kib("RssAnon"), let file = kib("RssFile") else { return nil }
        return (total, anonymous, file)
    }

    private static func readMaps() -> String? { readFile("/proc/self/maps") }

    private static func readFile(_ path: String) -> String? {
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
