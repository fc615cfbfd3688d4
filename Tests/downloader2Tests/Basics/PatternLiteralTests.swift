import Basics
import Foundation
import Testing

/// Every regular expression the code writes as a literal compiles: a typo fails here, at test time,
/// instead of silently matching nothing in the running server (`Patterns.failures`).
@Suite("Pattern literals")
struct PatternLiteralTests {
    /// The string literal that starts at `index` of `source` (`"…"` or `#"…"#`), as the compiler reads
    /// it; nil for one with interpolation, which is built at run time and checked where it is used.
    static func literal(in source: Substring) -> String? {
        let hashes = source.prefix { $0 == "#" }.count
        let rest = source.dropFirst(hashes)
        guard rest.first == "\"", !rest.hasPrefix("\"\"\"") else { return nil }
        let close = "\"" + String(repeating: "#", count: hashes)
        guard let end = rest.dropFirst().range(of: close) else { return nil }
        let body = rest.dropFirst()[..<end.lowerBound]
        if hashes > 0 { return body.contains("\\" + String(repeating: "#", count: hashes) + "(") ? nil : String(body) }
        guard !body.contains("\\(") else { return nil }
        var out = "", escaped = false
        for character in body {
            if escaped {
                switch character {
                case "n": out.append("\n")
                case "t": out.append("\t")
                case "0": out.append("\0")
                default: out.append(character)
                }
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else {
                out.append(character)
            }
        }
        return out
    }

    @Test("every pattern literal passed to regexRange, regexReplacing, regexMatches or Patterns.regex compiles")
    func literalsCompile() throws {
        let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../../Sources").standardized
        let files = try #require(FileManager.default.enumerator(atPath: sources.path)).compactMap { $0 as? String }.filter { $0.hasSuffix(".swift") }
        let calls = [".regexRange(", ".regexReplacing(", ".regexMatches(", "Patterns.regex("]
        var checked = 0
        var broken: [String] = []
        for file in files {
            let text = try String(contentsOf: sources.appendingPathComponent(file), encoding: .utf8)
            for call in calls {
                var searchFrom = text.startIndex
                while let found = text.range(of: call, range: searchFrom..<text.endIndex) {
                    searchFrom = found.upperBound
                    let argument = text[found.upperBound...].drop { $0 == " " || $0 == "\n" }
                    guard let pattern = Self.literal(in: argument) else { continue }
                    checked += 1
                    do {
                        _ = try NSRegularExpression(pattern: pattern)
                    } catch {
                        broken.append("\(file): \(pattern)")
                    }
                }
            }
        }
        print("pattern literals compiled: \(checked)")
        #expect(checked >= 80, "the scan finds the code's pattern literals (found \(checked))")
        #expect(broken.isEmpty, "patterns that do not compile:\n\(broken.joined(separator: "\n"))")
    }

    @Test("a pattern that does not compile matches nothing and is reported, instead of trapping")
    func brokenPatternMatchesNothing() {
        #expect("abc".regexRange("a(b") == nil)
        #expect(Patterns.failures.contains("a(b"))
        #expect("abc".regexRange("b") != nil)
    }
}
