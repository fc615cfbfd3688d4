import Foundation
import Synchronization

/// Fans engine events out to every subscriber; a slow one loses its oldest events, never blocks the pump.
final class TorrentEventBroadcaster: Sendable {
    private let subscribers = Mutex<[UUID: AsyncStream<TorrentEvent>.Continuation]>([:])

    func subscribe() -> AsyncStream<TorrentEvent> {
        let (stream, continuation) = AsyncStream.makeStream(of: TorrentEvent.self, bufferingPolicy: .bufferingNewest(4096))
        let id = UUID()
        continuation.onTermination = { [weak self] _ in _ = self?.subscribers.withLock { $0.removeValue(forKey: id) } }
        subscribers.withLock { $0[id] = continuation }
        return stream
    }

    func publish(_ event: TorrentEvent) {
        for continuation in subscribers.withLock({ Array($0.values) }) { continuation.yield(event) }
    }

    func finish() {
        for continuation in subscribers.withLock({ Array($0.values) }) { continuation.finish() }
    }
}
