import Foundation

/// Where the orchestrator reads the time: every state's timestamp, each backoff's and wanted search's
/// `wait_until`, the store's "is it due" comparisons, the progress throttle and the loop's sleep
/// budget. The service runs on the wall clock; a test of those rules gives a clock it moves itself
/// and advances it instead of sleeping.
public protocol TicketClock: Sendable {
    func now() -> Date
}

/// The wall clock.
public struct WallClock: TicketClock {
    public init() {}
    public func now() -> Date { Date() }
}
