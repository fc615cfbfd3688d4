import Audio
import Foundation
import Synchronization
import Testing

/// Bad sources fail their track with an error that names the problem; nothing is left at the destination.
@Suite("Audio: damaged inputs, cancellation and the worker pool")
struct DamagedInputTests {
    let converter = AudioConverter(width: 2)

    private func expectNothingWritten(_ dir: TemporaryDirectory, keeping inputs: Set<String>) throws {
        let left = Set(try FileManager.default.contentsOfDirectory(atPath: dir.path)).subtracting(inputs)
        #expect(left.isEmpty, "left behind: \(left)")
    }

    private func convertError(_ input: String, _ output: String) async -> AudioError? {
        do {
            _ = try await converter.convert(ConversionJob(input: input, output: output, spec: OutputSpec(format: .oggVorbis)))
            return nil
        } catch let error as AudioError {
            return error
        } catch {
            Issue.record("unexpected error type: \(error)")
            return nil
        }
    }

    @Test("A file that is not audio fails as a source defect naming the file")
    func notAudio() async throws {
        let dir = TemporaryDirectory("audio")
        FileManager.default.createFile(atPath: dir.file("song.flac"), contents: Data((0..<50_000).map { UInt8(truncatingIfNeeded: $0 &* 7919) }))
        let error = await convertError(dir.file("song.flac"), dir.file("song.ogg"))
        #expect(error?.isSourceDefect == true, "\(String(describing: error))")
        #expect(error?.description.contains(dir.file("song.flac")) == true)
        try expectNothingWritten(dir, keeping: ["song.flac"])
    }

    @Test("A WAV cut short of what its header declares is truncated input")
    func truncatedWAV() async throws {
        let dir = TemporaryDirectory("audio")
        ToneAudio.writeWAV(dir.file("full.wav"), frequency: 440, seconds: 4)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: dir.file("full.wav")))
        try bytes.prefix(bytes.count / 2).write(to: URL(fileURLWithPath: dir.file("cut.wav")))
        let error = await convertError(dir.file("cut.wav"), dir.file("cut.ogg"))
        guard case .truncatedInput(_, let decoded, let declared)? = error else {
            Issue.record("expected truncatedInput, got \(String(describing: error))"); return
        }
        #expect(abs(decoded - 2) < 0.1 && abs(declared - 4) < 0.1, "decoded \(decoded) of \(declared)")
        #expect(error?.isSourceDefect == true)
        try expectNothingWritten(dir, keeping: ["full.wav", "cut.wav"])
    }

    @Test("A FLAC cut in half, or damaged in the middle, fails as a source defect", .system)
    func damagedFLAC() async throws {
        let dir = TemporaryDirectory("audio")
        ToneAudio.writeWAV(dir.file("tone.wav"), frequency: 440, seconds: 4)
        try ExternalTool.run("ffmpeg", ["-v", "error", "-i", dir.file("tone.wav"), "-c:a", "flac", dir.file("tone.flac")])
        var bytes = try Data(contentsOf: URL(fileURLWithPath: dir.file("tone.flac")))
        try bytes.prefix(bytes.count / 2).write(to: URL(fileURLWithPath: dir.file("half.flac")))
        for offset in stride(from: bytes.count / 2, to: bytes.count / 2 + 4_000, by: 97) { bytes[offset] ^= 0x5A }
        try bytes.write(to: URL(fileURLWithPath: dir.file("flipped.flac")))

        let half = await convertError(dir.file("half.flac"), dir.file("half.ogg"))
        #expect(half?.isSourceDefect == true, "half.flac: \(String(describing: half))")
        #expect(half?.description.contains("half.flac") == true)
        let flipped = await convertError(dir.file("flipped.flac"), dir.file("flipped.ogg"))
        guard case .corruptInput(let path, _)? = flipped else { Issue.record("expected corruptInput, got \(String(describing: flipped))"); return }
        #expect(path == dir.file("flipped.flac"))
        try expectNothingWritten(dir, keeping: ["tone.wav", "tone.flac", "half.flac", "flipped.flac"])
    }

    @Test("A cancelled conversion stops, throws cancelled and leaves no file")
    func cancelFromFlag() throws {
        let dir = TemporaryDirectory("audio")
        ToneAudio.writeWAV(dir.file("long.wav"), frequency: 440, seconds: 30)
        let flag = CancelFlag()
        var lastProgress = 0.0
        #expect(throws: AudioError.cancelled) {
            // The flag flips from inside the work itself, at 10 %, so the test does not race the encoder.
            try Transcoder.run(
                ConversionJob(input: dir.file("long.wav"), output: dir.file("long.mp3"), spec: OutputSpec(format: .mp3, bitrateKbps: 320)),
                cancel: flag
            ) { fraction in
                lastProgress = fraction
                if fraction >= 0.1 { flag.cancel() }
            }
        }
        #expect(lastProgress < 0.2, "stopped at \(lastProgress)")
        try expectNothingWritten(dir, keeping: ["long.wav"])
    }

    @Test("Cancelling the task that awaits a conversion cancels the conversion")
    func cancelTask() async throws {
        let dir = TemporaryDirectory("audio")
        ToneAudio.writeWAV(dir.file("long.wav"), frequency: 440, seconds: 30)
        let job = ConversionJob(input: dir.file("long.wav"), output: dir.file("long.ogg"), spec: OutputSpec(format: .oggVorbis, bitrateKbps: 320))
        // The task is cancelled from inside the work, at 5 %, so a loaded machine cannot let it finish first.
        let holder = TaskCanceller()
        let task = Task { [converter] in
            try await converter.convert(job) { fraction in if fraction >= 0.05 { holder.cancel() } }
        }
        holder.set(task)
        let result = await task.result
        #expect(throws: AudioError.cancelled) { try result.get() }
        try expectNothingWritten(dir, keeping: ["long.wav"])
    }

    @Test("No more conversions run at once than the pool's width")
    func poolWidth() async throws {
        let dir = TemporaryDirectory("audio")
        ToneAudio.writeWAV(dir.file("tone.wav"), frequency: 440, seconds: 3)
        let running = ConcurrencyGauge()
        let pool = AudioConverter(width: 2)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for n in 0..<6 {
                group.addTask {
                    let job = ConversionJob(
                        input: dir.file("tone.wav"), output: dir.file("out\(n).mp3"), spec: OutputSpec(format: .mp3, bitrateKbps: 192))
                    let id = "job-\(n)"
                    _ = try await pool.convert(job) { fraction in
                        running.enter(id)
                        if fraction >= 1 { running.leave(id) }
                    }
                }
            }
            try await group.waitForAll()
        }
        let peak = running.peak
        #expect(peak >= 1 && peak <= 2, "peak concurrency \(peak)")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".mp3") }.count == 6)
    }
}

/// Counts how many jobs are between their first and last progress report at once.
final class ConcurrencyGauge: Sendable {
    private let state = Mutex((active: Set<String>(), done: Set<String>(), peak: 0))

    func enter(_ id: String) {
        state.withLock { state in
            guard !state.done.contains(id) else { return }
            state.active.insert(id)
            state.peak = max(state.peak, state.active.count)
        }
    }

    func leave(_ id: String) {
        state.withLock { state in
            state.active.remove(id)
            state.done.insert(id)
        }
    }

    var peak: Int { state.withLock { $0.peak } }
}

/// Cancels a task from any thread, including before the task is known (then as soon as it is).
final class TaskCanceller: Sendable {
    private let state = Mutex<(task: Task<Audio.ConversionResult, any Error>?, requested: Bool)>((nil, false))

    func set(_ task: Task<Audio.ConversionResult, any Error>) {
        let cancelNow = state.withLock { state in
            state.task = task
            return state.requested
        }
        if cancelNow { task.cancel() }
    }

    func cancel() {
        let task = state.withLock { state in
            state.requested = true
            return state.task
        }
        task?.cancel()
    }
}
