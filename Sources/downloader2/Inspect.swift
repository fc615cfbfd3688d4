import ArgumentParser
import Audio
import Foundation
import Tickets

/// `downloader2 inspect FILE...`: the verification step's look inside audio files, by hand.
struct Inspect: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Probe audio files and judge whether lossless ones were made from a lossy source (fake lossless).",
        discussion: """
            For each file: codec, rate, depth, channels and length, a decode of windows spread through it \
            (damaged or truncated files are named), and for lossless files the spectral verdict: genuine, \
            suspect or transcode, with the cutoff frequency and the fall in level across it. Exit status 1 \
            when a file could not be read.
            """)

    @Argument(help: "Audio files.") var files: [String]
    @Flag(name: .long, help: "Print JSON, one object per file and line.") var json = false
    @Option(name: .long, help: "Write a spectrogram of the file (one file only) to this PNG, the cutoff marked.") var spectrogram: String?

    func validate() throws {
        if spectrogram != nil && files.count != 1 { throw ValidationError("--spectrogram takes one file, got \(files.count)") }
    }

    func run() async throws {
        var failed = false
        for file in files {
            do {
                let inspection = try AudioInspector.inspect(path: file)
                print(json ? Self.jsonLine(inspection) : Self.readable(inspection))
                if let spectrogram {
                    let png = try Spectrogram.png(path: file, cutoffHz: inspection.spectral?.cutoffHz)
                    try Data(png).write(to: URL(fileURLWithPath: spectrogram))
                    if !json { print("  spectrogram: \(spectrogram)") }
                }
            } catch {
                failed = true
                if json {
                    print(Self.jsonError(file: file, error: error))
                } else {
                    FileHandle.standardError.write(Data("downloader2: \(error)\n".utf8))
                }
            }
        }
        if failed { throw ExitCode(1) }
    }

    static func readable(_ inspection: TrackInspection) -> String {
        let info = inspection.info
        let depth = info.bitsPerSample.map { " \($0)-bit" } ?? (info.bitrateKbps.map { " \($0) kbit/s" } ?? "")
        let minutes = Int(info.durationSecs) / 60
        let seconds = info.durationSecs - Double(minutes * 60)
        var lines = [
            "\(info.path): \(info.codec) \(info.sampleRate) Hz\(depth) \(info.channelLayout), \(minutes):\(String(format: "%05.2f", seconds))"
        ]
        lines.append("  decoded \(String(format: "%.1f", inspection.decodedSecs)) s from windows spread through the file: no errors")
        if let spectral = inspection.spectral {
            lines.append("  spectrum: \(spectral.verdict.rawValue) — \(spectral.evidence) (\(spectral.windows) windows)")
        } else {
            lines.append("  spectrum: not judged (\(inspection.lossless ? "analysis off" : "a lossy codec: nothing to verify"))")
        }
        return lines.joined(separator: "\n")
    }

    static func jsonLine(_ inspection: TrackInspection) -> String {
        let encoder = TicketJSON.encoder()
        return String(decoding: (try? encoder.encode(inspection)) ?? Data("{}".utf8), as: UTF8.self)
    }

    static func jsonError(file: String, error: any Error) -> String {
        let object: [String: String] = ["path": file, "error": "\(error)"]
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }
}
