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

/// What a bounded wait has collected so far, shared with the task that collects it.
final class Collected<Element: Sendable>: Sendable {
    let items = Mutex<[Element]>([])
}
