import Foundation
import Synchronization
import Testing

/// A wait that ran out: what was awaited, how long, and what had arrived by then.
struct WaitTimedOut: Error, CustomStringConvertible {
    let what: String
    let seconds: Double
    let seen: String
    var description: String { "timed out after \(seconds) s waiting for \(what); seen so far: \(seen)" }
}

/// Collects the first `count` elements of `sequence`, failing after `seconds` with those seen so far:
/// a `for await` that can never hang a test.
func firstElements<S: AsyncSequence & Sendable>(
    _ count: Int, of sequence: S, where matches: @escaping @Sendable (S.Element) -> Bool = { _ in true },
    within seconds: Double, _ what: String
) async throws -> [S.Element] where S.Element: Sendable {
    let collected = Collected<S.Element>()
    let finished = try await withThrowingTaskGroup(of: Bool.self) { group in
        group.addTask {
            for try await element in sequence where matches(element) {
                let done = collected.items.withLock {
                    $0.append(element); return $0.count >= count
                }
                if done { return true }
            }
            return false
        }
        group.addTask {
            // The bound of the wait, not a wait for something to be ready.
            try await Task.sleep(for: .seconds(seconds))
            return false
        }
        let first = try await group.next() ?? false
        group.cancelAll()
        return first
    }
    let got = collected.items.withLock { $0 }
    guard finished, got.count >= count else { throw WaitTimedOut(what: what, seconds: seconds, seen: "\(got)") }
    return Array(got.prefix(count))
}

/// Runs `body` (a conversation that ends when it has what it waits for) for at most `seconds`: a
/// conversation that never gets there fails the test with `what`, instead of hanging the suite.
func bounded<T: Sendable>(within seconds: Double, _ what: String, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
    try await withThrowingTaskGroup(of: T?.self) { group in
        group.addTask { try await body() }
        group.addTask {
            // The bound of the wait, not a wait for something to be ready.
            try await Task.sleep(for: .seconds(seconds))
            return nil
        }
        let first = try await group.next() ?? nil
        group.cancelAll()
        guard let first else { throw WaitTimedOut(what: what, seconds: seconds, seen: "no end") }
        return first
    }
}

/// What a bounded wait has collected so far, shared with the task that collects it.
final class Collected<Element: Sendable>: Sendable {
    let items = Mutex<[Element]>([])
}
