package import Foundation
import Synchronization

/// Regular expressions compiled once per pattern and shared: `String.range(of:options:
/// .regularExpression)` compiles its pattern on every call, and the title parser and the text
/// similarity run for every search result (Benchmarks: "release-title parser").
package enum Patterns {
    /// `NSRegularExpression` is immutable and documented as safe to use from any thread.
    private final class Compiled: @unchecked Sendable {
        let regex: NSRegularExpression
        init(_ regex: NSRegularExpression) { self.regex = regex }
    }

    private static let cache = Mutex<[String: Compiled]>([:])

    package static func regex(_ pattern: String, caseInsensitive: Bool) -> NSRegularExpression {
        let key = (caseInsensitive ? "i:" : "s:") + pattern
        if let known = cache.withLock({ $0[key] }) { return known.regex }
        // The patterns are the code's own literals, each compiled by `PatternLiteralTests`. One that
        // still fails here matches nothing (and is kept in `failures`) rather than trapping the server.
        let compiled: NSRegularExpression
        do {
            compiled = try NSRegularExpression(pattern: pattern, options: caseInsensitive ? [.caseInsensitive] : [])
        } catch {
            _ = failed.withLock { $0.insert(pattern) }
            compiled = never
        }
        cache.withLock { $0[key] = Compiled(compiled) }
        return compiled
    }

    /// Patterns that did not compile in this process (each then matched nothing).
    package static var failures: Set<String> { failed.withLock { $0 } }

    private static let failed = Mutex<Set<String>>([])
    /// A pattern that matches nothing, standing in for one that did not compile.
    private static let never: NSRegularExpression = {
        guard let regex = try? NSRegularExpression(pattern: "(?!)") else { preconditionFailure("(?!) is a valid ICU pattern") }
        return regex
    }()
}

package extension StringProtocol {
    /// The first match of `pattern` (ICU syntax, as `range(of:options: .regularExpression)`), within `bounds` if given.
    func regexRange(_ pattern: String, caseInsensitive: Bool = false, in bounds: Range<Index>? = nil) -> Range<Index>? {
        let text = String(self)
        let lower = bounds.map { self.utf16.distance(from: self.startIndex, to: $0.lowerBound) } ?? 0
        let upper = bounds.map { self.utf16.distance(from: self.startIndex, to: $0.upperBound) } ?? text.utf16.count
        let regex = Patterns.regex(pattern, caseInsensitive: caseInsensitive)
        guard let match = regex.firstMatch(in: text, range: NSRange(location: lower, length: upper - lower)), match.range.location != NSNotFound
        else { return nil }
        let start = self.utf16.index(self.startIndex, offsetBy: match.range.location)
        let end = self.utf16.index(start, offsetBy: match.range.length)
        return start..<end
    }

    /// Every match of `pattern` replaced by `template` (`$1` for a group), as `replacingOccurrences(of:with:options: .regularExpression)`.
    func regexReplacing(_ pattern: String, with template: String, caseInsensitive: Bool = false) -> String {
        let text = String(self)
        return Patterns.regex(pattern, caseInsensitive: caseInsensitive)
            .stringByReplacingMatches(in: text, range: NSRange(location: 0, length: text.utf16.count), withTemplate: template)
    }
}

package extension StringProtocol {
    /// Every match of `pattern`, each as its capture groups (index 0 the whole match; nil for a group that took no part).
    func regexMatches(_ pattern: String, caseInsensitive: Bool = false) -> [[String?]] {
        let text = String(self)
        let regex = Patterns.regex(pattern, caseInsensitive: caseInsensitive)
        return regex.matches(in: text, range: NSRange(location: 0, length: text.utf16.count)).map { match in
            (0..<match.numberOfRanges).map { group in Range(match.range(at: group), in: text).map { String(text[$0]) } }
        }
    }
}
