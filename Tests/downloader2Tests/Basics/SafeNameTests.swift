import Basics
import Foundation
import Testing

@Suite("SafeName: every path component made from an id or a title")
struct SafeNameTests {
    @Test(
        "never empty, '.', '..', and never holds '/' or NUL",
        arguments: ["", ".", "..", "...", "/", "a/b", "../../etc/passwd", "a\0b", ".hidden", " ", "\n"])
    func neverEscapes(_ raw: String) {
        let name = SafeName(raw).value
        #expect(!name.isEmpty)
        #expect(name != "." && name != "..")
        #expect(!name.contains("/") && !name.contains("\0"))
        #expect(!name.hasPrefix("."))
    }

    @Test("distinct inputs give distinct names, including the ones a naive sanitiser merges")
    func injective() {
        let inputs = [
            "a/b", "a_b", "a b", "a:b", "a\\b", "a.b", "a..b", ".", "..", "_2E", "_", "", "a~b", "a_7Eb",
            "Björk", "Bjo\u{308}rk", "Сплин", "坂本龍一", "a\u{0}", "a", "A",
            String(repeating: "x", count: 300), String(repeating: "x", count: 301), String(repeating: "x", count: 300) + "/",
        ]
        let names = inputs.map { SafeName($0).value }
        #expect(
            Set(names).count == inputs.count, "collisions: \(Dictionary(grouping: inputs, by: { SafeName($0).value }).filter { $0.value.count > 1 })")
    }

    @Test("long ids are cut to the byte limit and end in a hash of the whole input")
    func bounded() {
        let long = String(repeating: "é", count: 300)
        let name = SafeName(long).value
        #expect(name.utf8.count <= SafeName.maxBytes)
        #expect(name.contains("~"))
        let other = SafeName(String(repeating: "é", count: 299) + "e").value
        #expect(name != other)
        // Escapes are never cut in half.
        let escaped = SafeName(String(repeating: "/", count: 300)).value
        #expect(escaped.utf8.count <= SafeName.maxBytes)
        let beforeHash = escaped.split(separator: "~")[0]
        #expect(beforeHash.count % 3 == 0)
    }

    @Test("readable names stay readable")
    func readable() {
        #expect(SafeName("ticket-42").value == "ticket-42")
        #expect(SafeName("d1t01.flac").value == "d1t01.flac")
        #expect(SafeName("Björk").value == "Björk")
        #expect(SafeName("a/b").value == "a_2Fb")
        #expect(SafeName("a_b").value == "a_5Fb")
        #expect(SafeName(".").value == "_2E")
    }

    @Test("every name can be created as a file in a real folder, side by side")
    func createsRealFiles() throws {
        let folder = (NSTemporaryDirectory() as NSString).appendingPathComponent("safename-\(UUID().uuidString)")
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let inputs = [".", "..", "a/b", "a_b", String(repeating: "ж", count: 300), "x\u{0}y", "Björk"]
        for input in inputs {
            let path = (folder as NSString).appendingPathComponent(SafeName(input).value)
            #expect(FileManager.default.createFile(atPath: path, contents: Data(input.utf8)), "cannot create \(path)")
            #expect((path as NSString).deletingLastPathComponent == folder)
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder).count == inputs.count)
    }
}
