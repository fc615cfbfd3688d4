import Foundation
import Pipeline
import Synchronization

/// A clock that moves only when the test moves it: schedules (backoffs, the progress throttle,
/// wanted searches) are tested by advancing it, not by sleeping until they come due.
final class ManualClock: TicketClock {
    private let current: Mutex<Date>

    init(_ start: Date = Date(timeIntervalSince1970: 1_800_000_000)) {
        current = Mutex(start)
    }

    func now() -> Date { current.withLock { $0 } }

    func advance(by seconds: TimeInterval) {
        current.withLock { $0 = $0.addingTimeInterval(seconds) }
    }
}
