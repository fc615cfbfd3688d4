import Audio
import Benchmark
import Foundation
import Tickets

/// In-process conversion (the `Audio` module) beside the ffmpeg command line with `-threads 1`, on the
/// same generated 5-minute FLAC, measured in the same run; then a 12-track album on all cores beside a
/// sequential ffmpeg loop. `make bench-convert` adds whole-process timings and peak memory of both.
let benchmarks: @Sendable () -> Void = {
    let work = NSTemporaryDirectory() + "downloader2-conversion-bench"
    let source = "\(work)/source.flac"
    let tracks = (1...12).map { String(format: "\(work)/track%02d.flac", $0) }
    try? FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
    if !FileManager.default.fileExists(atPath: source) { makeNoise(seconds: 300, to: source) }
    for track in tracks where !FileManager.default.fileExists(atPath: track) { makeNoise(seconds: 40, to: track) }

    let single = Benchmark.Configuration(
        metrics: [.wallClock, .peakMemoryResident], scalingFactor: .one, maxDuration: .seconds(20), maxIterations: 3)
    // The reference runs in a child process, whose memory this process cannot see: wall clock only
    // here; `make bench-convert` compares peak memory of both processes.
    let reference = Benchmark.Configuration(metrics: [.wallClock], scalingFactor: .one, maxDuration: .seconds(20), maxIterations: 3)
    let targets: [(AudioFormat, Int, String, String)] = [
        (.oggVorbis, 320, "libvorbis", "ogg"), (.opus, 160, "libopus", "opus"), (.mp3, 320, "libmp3lame", "mp3"),
    ]
    for (format, kbps, codec, ext) in targets {
        Benchmark("5 min FLAC → \(format.rawValue) \(kbps): Audio in-process", configuration: single) { benchmark in
            for _ in benchmark.scaledIterations {
                let job = ConversionJob(
                    input: source, output: "\(work)/ours.\(ext)", spec: OutputSpec(format: format, bitrateKbps: kbps), allowRemux: false)
                blackHole(try Transcoder.run(job))
            }
        }
        Benchmark("5 min FLAC → \(format.rawValue) \(kbps): ffmpeg -threads 1 (reference)", configuration: reference) { benchmark in
            for _ in benchmark.scaledIterations {
                blackHole(ffmpeg(["-threads", "1", "-i", source, "-c:a", codec, "-b:a", "\(kbps)k", "\(work)/ffmpeg.\(ext)"]))
            }
        }
    }

    // Verification must cost a fraction of decoding the track (issue: Trust but verify, < 1/5).
    Benchmark("5 min FLAC: inspect (probe, sampled decode, fake-lossless spectrum)", configuration: single) { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try AudioInspector.inspect(path: source))
        }
    }
    Benchmark("5 min FLAC: decoding all of it, ffmpeg -threads 1 -f null (reference)", configuration: reference) { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(ffmpeg(["-threads", "1", "-i", source, "-f", "null", "-"]))
        }
    }

    let album = Benchmark.Configuration(metrics: [.wallClock], scalingFactor: .one, maxDuration: .seconds(30), maxIterations: 3)
    Benchmark("12 × 40 s album → ogg_vorbis 320: AudioConverter on all cores", configuration: album) { benchmark in
        let converter = AudioConverter(width: ProcessInfo.processInfo.activeProcessorCount)
        for _ in benchmark.scaledIterations {
            try await withThrowingTaskGroup(of: ConversionResult.self) { group in
                for (index, track) in tracks.enumerated() {
                    let job = ConversionJob(
                        input: track, output: "\(work)/album-\(index).ogg", spec: OutputSpec(format: .oggVorbis, bitrateKbps: 320), allowRemux: false)
                    group.addTask { try await converter.convert(job) }
                }
                for try await result in group { blackHole(result) }
            }
        }
    }
    Benchmark("12 × 40 s album → ogg_vorbis 320: sequential ffmpeg loop (reference)", configuration: album) { benchmark in
        for _ in benchmark.scaledIterations {
            for (index, track) in tracks.enumerated() {
                blackHole(ffmpeg(["-threads", "1", "-i", track, "-c:a", "libvorbis", "-b:a", "320k", "\(work)/loop-\(index).ogg"]))
            }
        }
    }
}

/// Two independent pink-noise channels, so the encoders work as hard as on music.
private func makeNoise(seconds: Int, to path: String) {
    let noise = "anoisesrc=d=\(seconds):c=pink:r=44100:a=0.3"
    _ = ffmpeg(["-filter_complex", "\(noise):seed=1[a];\(noise):seed=2[b];[a][b]amerge=inputs=2", "-c:a", "flac", path])
}

@discardableResult
private func ffmpeg(_ arguments: [String]) -> Int32 {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/ffmpeg")
    process.arguments = ["-v", "error", "-y"] + arguments
    do { try process.run() } catch { fatalError("ffmpeg is needed for this benchmark (make bench installs it): \(error)") }
    process.waitUntilExit()
    return process.terminationStatus
}
