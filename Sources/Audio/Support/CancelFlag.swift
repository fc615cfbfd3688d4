import Synchronization

/// A one-way switch a caller flips to stop a conversion running on another thread.
///
/// The conversion loop reads it once per packet, so a cancel takes effect within milliseconds.
public final class CancelFlag: Sendable {
    private let flag = Atomic<Bool>(false)

    public init() {}

    public func cancel() { flag.store(true, ordering: .relaxed) }
    public var isCancelled: Bool { flag.load(ordering: .relaxed) }

    func check() throws {
        if isCancelled { throw AudioError.cancelled }
    }
}
