public import Foundation

/// One remembered failure of a ticket; the store keeps the last three (docs/ARCHITECTURE.md#retries-backoff-and-error-history).
public struct TicketErrorEntry: Codable, Sendable, Equatable {
    public var timestamp: Date
    public var state: TicketStateName
    public var code: String
    public var message: String
    public var retryCount: Int

    public init(timestamp: Date, state: TicketStateName, code: String, message: String, retryCount: Int) {
        self.timestamp = timestamp
        self.state = state
        self.code = code
        self.message = message
        self.retryCount = retryCount
    }

    /// How many errors a ticket keeps.
    public static let historyLimit = 3
}
