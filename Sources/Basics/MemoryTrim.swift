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
        guard let smaps = KernelFile.read("/proc/self/smaps") else { return 0 }
        var unmapped = 0
        for mapping in mappings(smaps) {
            guard let start = UnsafeMutableRawPointer(bitPattern: mapping.start), mapping.end > mapping.start else { continue }
            let length = Int(mapping.end - mapping.start)
            if mapping.permissions == "r-xp" {
                // A code mapping with private copies (text relocations) would lose them: left alone.
                guard mapping.anonymousKiB == 0 else { continue }
                if madvise(start, length, MADV_DONTNEED) == 0 { unmapped += length }
            } else {
                _ = madvise(start, length, pageOut)
            }
        }
        return unmapped
    }

    /// A file-backed mapping of `/proc/self/smaps` that may be given back: code or data of a file.
    public struct Mapping: Sendable {
        public var start: UInt
        public var end: UInt
        public var permissions: Substring
        public var anonymousKiB: Int
    }

    /// The `r-xp`, `r--p` and `rw-p` mappings of files, with how much of each is private copies.
    public static func mappings(_ smaps: String) -> [Mapping] {
        var found: [Mapping] = []
        var current: Mapping?
        for line in smaps.split(separator: "\n") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            if let first = fields.first, first.contains("-"), !first.hasSuffix(":") {
                if let current { found.append(current) }
                current = nil
                let bounds = first.split(separator: "-").compactMap { UInt(String($0), radix: 16) }
                guard fields.count >= 6, bounds.count == 2, ["r-xp", "r--p", "rw-p"].contains(fields[1]), fields[5].hasPrefix("/") else { continue }
                current = Mapping(start: bounds[0], end: bounds[1], permissions: fields[1], anonymousKiB: 0)
            } else if fields.first == "Anonymous:", fields.count >= 2, current != nil {
                current?.anonymousKiB = Int(fields[1]) ?? 0
            }
        }
        if let current { found.append(current) }
        return found
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
        guard let status = KernelFile.read("/proc/self/status") else { return nil }
        func kib(_ key: String) -> Int? {
            guard let line = status.split(separator: "\n").first(where: { $0.hasPrefix(key + ":") }) else { return nil }
            return line.split(separator: " ").dropFirst().first.flatMap { Int($0) }.map { $0 * 1024 }
        }
        guard let total = kib("VmRSS"), let anonymous = kib("RssAnon"), let file = kib("RssFile") else { return nil }
        return (total, anonymous, file)
    }
}
