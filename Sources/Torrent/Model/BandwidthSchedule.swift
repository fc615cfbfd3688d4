import Foundation

/// When the alternative speed limits apply (`[torrent] alt_schedule`), in local time.
///
/// Syntax: rules separated by `;`, each `DAYS HH:MM-HH:MM`. `DAYS` is a day (`Mon` … `Sun`), a range
/// (`Mon-Fri`, `Fri-Mon` wraps), several joined by `,` (`Sat,Sun`), or `daily`. An end at or before the
/// start runs past midnight into the next day (`daily 22:00-06:00`); `24:00` is the end of the day.
/// Examples: `Mon-Fri 08:00-23:00`, `Mon-Fri 08:00-18:00; Sat,Sun 10:00-22:00`. Empty: never.
public struct BandwidthSchedule: Sendable, Equatable, CustomStringConvertible {
    public struct Rule: Sendable, Equatable {
        /// 1 = Monday … 7 = Sunday.
        public var days: Set<Int>
        /// Minutes after midnight; `end <= start` crosses midnight.
        public var start: Int
        public var end: Int
    }

    public struct ParseError: Error, Sendable, Equatable, CustomStringConvertible {
        public var description: String
    }

    public let rules: [Rule]
    public let description: String

    /// The schedule that is never active.
    public static let never = BandwidthSchedule(rules: [], description: "")

    init(rules: [Rule], description: String) {
        self.rules = rules
        self.description = description
    }

    static let dayNames = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]

    public init(parsing text: String) throws(ParseError) {
        description = text.trimmingCharacters(in: .whitespaces)
        var rules: [Rule] = []
        for part in description.split(separator: ";").map({ $0.trimmingCharacters(in: .whitespaces) }) where !part.isEmpty {
            let fields = part.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count == 2 else { throw ParseError(description: "'\(part)' is not 'DAYS HH:MM-HH:MM' (e.g. 'Mon-Fri 08:00-23:00')") }
            rules.append(
                Rule(days: try Self.days(String(fields[0])), start: try Self.times(String(fields[1])).0, end: try Self.times(String(fields[1])).1))
        }
        self.rules = rules
    }

    private static func day(_ name: String) throws(ParseError) -> Int {
        guard let index = dayNames.firstIndex(of: String(name.lowercased().prefix(3))), name.count >= 3 else {
            throw ParseError(description: "'\(name)' is not a day (Mon, Tue, Wed, Thu, Fri, Sat, Sun)")
        }
        return index + 1
    }

    private static func days(_ text: String) throws(ParseError) -> Set<Int> {
        if ["daily", "*", "every"].contains(text.lowercased()) { return Set(1...7) }
        var result: Set<Int> = []
        for item in text.split(separator: ",") {
            let ends = item.split(separator: "-")
            switch ends.count {
            case 1: result.insert(try day(String(ends[0])))
            case 2:
                let from = try day(String(ends[0])), to = try day(String(ends[1]))
                var current = from
                while true {
                    result.insert(current)
                    if current == to { break }
                    current = current % 7 + 1
                }
            default: throw ParseError(description: "'\(item)' is not a day or a range of days")
            }
        }
        return result
    }

    private static func minutes(_ text: Substring) throws(ParseError) -> Int {
        let parts = text.split(separator: ":")
        guard parts.count == 2, let hours = Int(parts[0]), let minutes = Int(parts[1]), parts[1].count == 2,
            (0...24).contains(hours), (0...59).contains(minutes), hours < 24 || minutes == 0
        else {
            throw ParseError(description: "'\(text)' is not a time HH:MM")
        }
        return hours * 60 + minutes
    }

    private static func times(_ text: String) throws(ParseError) -> (Int, Int) {
        let ends = text.split(separator: "-")
        guard ends.count == 2 else { throw ParseError(description: "'\(text)' is not a time range HH:MM-HH:MM") }
        let start = try minutes(ends[0]), end = try minutes(ends[1])
        guard start != end || start == 0 else { throw ParseError(description: "'\(text)' is empty") }
        return (start, end == 0 && start == 0 ? 24 * 60 : end)
    }

    /// Whether `date` falls inside a rule, in `calendar`'s time zone (the local one by default).
    public func isActive(at date: Date, calendar: Calendar = .current) -> Bool {
        let parts = calendar.dateComponents([.weekday, .hour, .minute], from: date)
        // Calendar weekdays run 1 = Sunday … 7 = Saturday.
        let day = ((parts.weekday ?? 1) + 5) % 7 + 1
        let yesterday = (day + 5) % 7 + 1
        let minute = (parts.hour ?? 0) * 60 + (parts.minute ?? 0)
        return rules.contains { rule in
            if rule.start < rule.end { return rule.days.contains(day) && minute >= rule.start && minute < rule.end }
            return (rule.days.contains(day) && minute >= rule.start) || (rule.days.contains(yesterday) && minute < rule.end)
        }
    }
}
