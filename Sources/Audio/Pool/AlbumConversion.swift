import Synchronization

/// Where an album's conversion stands, as the ticket's `converting` state reports it (docs/ARCHITECTURE.md#states-and-transitions):
/// the track being worked on (the lowest index still running), how many there are, and how many are done.
public struct AlbumProgress: Sendable, Equatable {
    public var currentTrackIdx: Int
    public var totalTracks: Int
    public var currentTrackName: String
    public var finishedTracks: Int
    /// 0…1 over the whole album, each track weighted equally.
    public var fraction: Double
}

extension AudioConverter {
    /// Converts an album's tracks through this pool (at most `width` at once) and returns one result per
    /// track, in order. A track that fails does not stop the others: the caller decides whether a
    /// partial album is acceptable. Cancelling the calling task cancels every running track; once
    /// `proceed` says false, the tracks under way finish and the others end `.notStarted`.
    ///
    /// - Parameters:
    ///   - tracks: Each track's name, as the progress shows it, and its job, in album order.
    ///   - progress: Receives the album's progress, at most once per whole percent and whenever a track ends, from the conversion threads.
    ///   - proceed: Asked before each track starts; once it says false, the tracks not started yet end ``AudioError/notStarted``.
    /// - Returns: One result per track, in the order of `tracks`: what was written, or why the track failed
    ///   (``AudioError/cancelled`` when the task was cancelled).
    public func convertAlbum(
        _ tracks: [(name: String, job: ConversionJob)], progress: @escaping @Sendable (AlbumProgress) -> Void = { _ in },
        proceed: @escaping @Sendable () -> Bool = { true }
    ) async -> [Result<ConversionResult, AudioError>] {
        let tracker = AlbumTracker(names: tracks.map(\.name), report: progress)
        return await withTaskGroup(of: (Int, Result<ConversionResult, AudioError>).self) { group in
            for (index, track) in tracks.enumerated() {
                group.addTask {
                    do {
                        let result = try await self.convert(track.job, progress: { fraction in tracker.update(index, fraction) }, proceed: proceed)
                        tracker.finish(index)
                        return (index, .success(result))
                    } catch let error as AudioError {
                        tracker.finish(index)
                        return (index, .failure(error))
                    } catch {
                        tracker.finish(index)
                        return (index, .failure(.cancelled))
                    }
                }
            }
            var results = [Result<ConversionResult, AudioError>?](repeating: nil, count: tracks.count)
            for await (index, result) in group { results[index] = result }
            return results.map { $0! }
        }
    }
}

/// Per-track fractions behind `AlbumProgress`; called from the conversion threads.
final class AlbumTracker: Sendable {
    private let names: [String]
    private let report: @Sendable (AlbumProgress) -> Void
    private let state: Mutex<(fractions: [Double], finished: Set<Int>, lastReported: Int)>

    init(names: [String], report: @escaping @Sendable (AlbumProgress) -> Void) {
        self.names = names
        self.report = report
        state = Mutex((Array(repeating: 0, count: names.count), [], -1))
    }

    // Reports are made inside the lock: made after it, two conversion threads could deliver their
    // snapshots in the opposite order, and the album's progress would seem to move backwards.
    func update(_ index: Int, _ fraction: Double) {
        state.withLock { state in
            guard !state.finished.contains(index), fraction > state.fractions[index] else { return }
            state.fractions[index] = min(fraction, 1)
            snapshot(&state).map(report)
        }
    }

    func finish(_ index: Int) {
        state.withLock { state in
            state.fractions[index] = 1
            state.finished.insert(index)
            snapshot(&state, force: true).map(report)
        }
    }

    /// A report at most every whole percent of the album, and at every finished track.
    private func snapshot(_ state: inout (fractions: [Double], finished: Set<Int>, lastReported: Int), force: Bool = false) -> AlbumProgress? {
        let total = names.count
        let fraction = total == 0 ? 1 : state.fractions.reduce(0, +) / Double(total)
        let percent = Int(fraction * 100)
        guard force || percent > state.lastReported else { return nil }
        state.lastReported = percent
        let current = (0..<total).first { !state.finished.contains($0) } ?? max(total - 1, 0)
        return AlbumProgress(
            currentTrackIdx: current, totalTracks: total, currentTrackName: total == 0 ? "" : names[current],
            finishedTracks: state.finished.count, fraction: fraction)
    }
}
