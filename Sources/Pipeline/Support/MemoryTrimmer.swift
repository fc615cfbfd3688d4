import Basics
import Logging
import ServiceLifecycle

/// Gives memory back while the service is idle (`MemoryTrim`): a few seconds after start-up, the
/// pages of code and constants that start-up ran through and the heap's free pages; then the same
/// each `interval` with no ticket in work (what an idle service touches again comes back at once,
/// from the page cache).
public struct MemoryTrimmer: Service {
    let isIdle: @Sendable () async -> Bool
    let settle: Duration
    let interval: Duration
    let logger: Logger

    public init(settle: Duration = .seconds(2), interval: Duration = .seconds(30), logger: Logger, isIdle: @escaping @Sendable () async -> Bool) {
        self.settle = settle
        self.interval = interval
        self.logger = logger
        self.isIdle = isIdle
    }

    public func run() async throws {
        try? await cancelWhenGracefulShutdown { try await Task.sleep(for: self.settle) }
        guard !Task.isShuttingDownGracefully, !Task.isCancelled else { return }
        let before = MemoryTrim.resident()
        MemoryTrim.heap()
        let advised = MemoryTrim.fileBackedCode()
        if let before, let after = MemoryTrim.resident() {
            logger.info(
                "returned start-up memory: resident \(before.total / 1_048_576) → \(after.total / 1_048_576) MiB (\(advised / 1_048_576) MiB of code mappings released)"
            )
        }
        while !Task.isCancelled, !Task.isShuttingDownGracefully {
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: self.interval) }
            if await isIdle() {
                MemoryTrim.heap()
                MemoryTrim.fileBackedCode()
            }
        }
    }
}
