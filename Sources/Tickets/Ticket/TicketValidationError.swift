/// Why a submitted ticket was refused: the JSON path of the offending field and what is wrong with it.
public struct TicketValidationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Path in the submitted JSON, e.g. `tracks[2].dest_path`.
    public var field: String
    public var message: String

    public init(field: String, message: String) {
        self.field = field
        self.message = message
    }

    public var description: String { "\(field): \(message)" }
}
