import Synchronization

/// A counting limit for one kind of work (downloads): `acquire` waits for a free slot, checking
/// the ticket's stop flag while it waits, so a cancel or shutdown is never held up by the queue.
final class Slots: Sendable {
    private let free: Mutex<Int>

    init(_ count: Int) {
        free = Mutex(max(1, count))
    }

    /// Takes a slot; calls `waiting` once if it has to wait first.
    func acquire(context: StageContext, waiting: @Sendable () async -> Void) async throws {
        var announced = false
        while true {
            let taken = free.withLock { free in
                guard free > 0 else { return false }
                free -= 1
                return true
            }
            if taken { return }
            if !announced {
                announced = true
                await waiting()
            }
            try context.checkCancellation()
            try await Task.sleep(for: .milliseconds(100))
        }
    }

    func release() {
        free.withLock { $0 += 1 }
    }
}
