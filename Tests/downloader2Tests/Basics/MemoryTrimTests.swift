import Basics
import Foundation
import Testing

/// Memory given back: the resident pages of code that start-up ran through.
@Suite("Memory trim")
struct MemoryTrimTests {
    @Test("advising the file-backed code pages away lowers the file-backed resident memory, and the code still runs")
    func fileBackedCode() throws {
        let before = try #require(MemoryTrim.resident())
        let advised = MemoryTrim.fileBackedCode()
        let after = try #require(MemoryTrim.resident())
        #expect(advised > 0)
        #expect(after.fileBacked < before.fileBacked, "file-backed \(before.fileBacked / 1_048_576) → \(after.fileBacked / 1_048_576) MiB")
        // Code paged out comes back when it runs again.
        #expect(String(decoding: try JSONEncoder().encode(["ok": 1]), as: UTF8.self) == #"{"ok":1}"#)
    }

    @Test("the mappings given back are files' code and data; a code mapping with private copies is recognised")
    func mappings() {
        let smaps = """
            5563e1a00000-5563e1c00000 r-xp 00000000 fd:01 123 /usr/bin/tool
            Size:               2048 kB
            Anonymous:             0 kB
            7f0000000000-7f0000001000 r-xp 00000000 fd:01 124 /usr/lib/libtextrel.so
            Anonymous:             4 kB
            7f0000002000-7f0000003000 rw-p 00000000 00:00 0
            Anonymous:             4 kB
            7f0000004000-7f0000005000 r--p 00001000 fd:01 125 /usr/lib/libdata.so
            Anonymous:             0 kB
            7ffd00000000-7ffd00001000 r-xp 00000000 00:00 0                          [vdso]
            Anonymous:             0 kB
            """
        let found = MemoryTrim.mappings(smaps)
        #expect(found.map(\.permissions) == ["r-xp", "r-xp", "r--p"], "files only: no anonymous memory, no [vdso]")
        #expect(found.map(\.anonymousKiB) == [0, 4, 0])
        #expect(found.first?.start == 0x5563e1a00000 && found.first?.end == 0x5563e1c00000)
    }
}
