import Basics
import Foundation

/// How alike two names are, 0…1, after the normalisation music titles need.
public enum TextSimilarity {
    /// Lowercased, diacritics folded, `&` → `and`, a leading "the" dropped, "feat. …" and bracketed
    /// parts removed, punctuation turned into spaces.
    public static func normalise(_ text: String, keepBrackets: Bool = false) -> String {
        var t = text.folding(options: [.diacriticInsensitive, .caseInsensitive, .widthInsensitive], locale: Locale(identifier: "en_US_POSIX"))
        t = t.replacingOccurrences(of: "&", with: " and ")
        if !keepBrackets { t = t.regexReplacing(#"[\(\[\{][^\)\]\}]*[\)\]\}]"#, with: " ") }
        t = t.regexReplacing(#"\b(feat|ft|featuring)\b\.?.*$"#, with: " ")
        t = t.regexReplacing(#"['’`]"#, with: "")
        t = t.regexReplacing(#"[^\p{L}\p{N}]+"#, with: " ")
        t = t.trimmingCharacters(in: .whitespaces)
        if t.hasPrefix("the ") { t.removeFirst(4) }
        return t
    }

    /// Similarity of two titles: the better of character-level (edit distance, catches typos) and
    /// token-level (word sets, catches reordering and extra words) on the normalised forms.
    public static func similarity(_ a: String, _ b: String) -> Double {
        let x = normalise(a), y = normalise(b)
        if x == y { return x.isEmpty && !a.isEmpty ? 0 : 1 }
        if x.isEmpty || y.isEmpty { return 0 }
        return max(editSimilarity(x, y), tokenSimilarity(x, y))
    }

    /// 1 − Levenshtein distance ÷ the longer length.
    static func editSimilarity(_ a: String, _ b: String) -> Double {
        let x = Array(a.unicodeScalars), y = Array(b.unicodeScalars)
        var previous = Array(0...y.count)
        var current = [Int](repeating: 0, count: y.count + 1)
        for i in 1...x.count {
            current[0] = i
            for j in 1...y.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x[i - 1] == y[j - 1] ? 0 : 1))
            }
            swap(&previous, &current)
        }
        return 1 - Double(previous[y.count]) / Double(max(x.count, y.count))
    }

    /// Shared words ÷ the words of the shorter side, discounted when the sides differ much in length.
    static func tokenSimilarity(_ a: String, _ b: String) -> Double {
        let x = Set(a.split(separator: " ")), y = Set(b.split(separator: " "))
        guard !x.isEmpty, !y.isEmpty else { return 0 }
        let shared = Double(x.intersection(y).count)
        let coverage = shared / Double(min(x.count, y.count))
        let balance = Double(min(x.count, y.count)) / Double(max(x.count, y.count))
        return coverage * (0.6 + 0.4 * balance)
    }
}
