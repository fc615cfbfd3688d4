import Foundation
import Basics

/// A stage's failure as the Orchestrator needs it: a stable code, a message for people, and
/// whether trying again later could help (network, disk full) or not (bad input, not built).
public struct StageError: Error, Sendable, Equatable, CustomStringConvertible {
    public var code: String
    public var message: String
    public var retryable: Bool
    /// Not before this moment, and without spending a retry: what an indexer's pause (429 with
    /// `Retry-After`) asks of the ticket that met it.
    public var notBefore: Date?

    /// The message is redacted here: it goes into the error history, events, the API and the log.
    public init(code: String, message: String, retryable: Bool, notBefore: Date? = nil) {
        self.code = code
        self.message = Secrets.shared.redact(message)
        self.retryable = retryable
        self.notBefore = notBefore
    }

    public var description: String { "\(code): \(message)" }

    /// The search found nothing; retried with backoff (docs/ARCHITECTURE.md#retries-backoff-and-error-history).
    public static func noCandidates(_ query: String) -> StageError {
        StageError(code: "no_candidates", message: "no release found for '\(query)'", retryable: true)
    }
}

/// Thrown by ``StageContext/checkCancellation()`` when the ticket was cancelled or the service is stopping.
public struct StageInterrupted: Error, Sendable, Equatable {
    /// `leaseLost`: another node took the ticket over (or an operator ended it there); this node lets go.
    public enum Reason: Sendable, Equatable { case cancelledByUser, shutdown, paused, leaseLost }
    public var reason: Reason
}
