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
}
