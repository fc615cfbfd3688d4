import Foundation
import GRDB
import Synchronization
import Tickets

/// Group commit for submitted tickets: while one transaction is being made durable (`synchronous =
/// FULL`: an fsync of the WAL), the tickets that arrive meanwhile wait, and the next transaction
/// inserts all of them. Each submitter gets its answer only once its own ticket is committed. A
/// ticket whose own row cannot be read fails alone (a savepoint per ticket); SQLite failing (a full
/// disk, an I/O error) fails the whole batch, which then commits nothing. One ticket at a time costs
/// what it did before.
final class TicketInsertBatcher: Sendable {
    typealias Outcome = (change: TicketChange, created: Bool)

    private struct Item {
        var ticket: Ticket
        var submittedJSON: String
        var at: Date
        var continuation: CheckedContinuation<Outcome, any Error>
    }

    private struct State {
        var pending: [Item] = []
        var flushing = false
    }

    private let writer: any DatabaseWriter
    private let state = Mutex(State())

    init(writer: any DatabaseWriter) {
        self.writer = writer
    }

    func insert(_ ticket: Ticket, submittedJSON: String, at now: Date) async throws -> Outcome {
        try await withCheckedThrowingContinuation { continuation in
            let startsFlush = state.withLock { state in
                state.pending.append(Item(ticket: ticket, submittedJSON: submittedJSON, at: now, continuation: continuation))
                guard !state.flushing else { return false }
                state.flushing = true
                return true
            }
            if startsFlush { Task { await self.flush() } }
        }
    }

    /// Commits what is pending, batch after batch, until nothing is left.
    private func flush() async {
        while true {
            let batch: [Item] = state.withLock { state in
                let batch = state.pending
                state.pending = []
                if batch.isEmpty { state.flushing = false }
                return batch
            }
            guard !batch.isEmpty else { return }
            let inputs = batch.map { (ticket: $0.ticket, json: $0.submittedJSON, at: $0.at) }
            do {
                let results: [Result<Outcome, any Error>] = try await writer.write { db in
                    var results: [Result<Outcome, any Error>] = []
                    for input in inputs {
                        var outcome: Outcome?
                        do {
                            try db.inSavepoint {
                                outcome = try AppDatabase.insertOne(db, input.ticket, submittedJSON: input.json, at: input.at)
                                return .commit
                            }
                            results.append(
                                outcome.map { .success($0) }
                                    ?? .failure(StorageError.corruptRow(ticketId: input.ticket.ticketId, reason: "no insert result")))
                        } catch let error as DatabaseError {
                            // SQLite itself failing (a full disk, I/O, a lock) fails the whole batch: nothing
                            // of it is committed, and every submitter hears why.
                            throw error
                        } catch {
                            results.append(.failure(error))
                        }
                    }
                    return results
                }
                for (item, result) in zip(batch, results) { item.continuation.resume(with: result) }
            } catch {
                for item in batch { item.continuation.resume(throwing: error) }
            }
        }
    }
}
