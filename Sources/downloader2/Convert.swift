import ArgumentParser
import Audio
import Foundation
import Tickets

/// `downloader2 convert IN OUT --format …`: one file through the in-process converter.
struct Convert: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Convert an audio file in-process (libav): resample, encode, tag, embed a cover.")

    @Argument(help: "Source audio file.") var input: String
    @Argument(help: "Output file; written complete or not at all.") var output: String
    @Option(help: "ogg_vorbis, opus, mp3, aac, flac or alac.") var format: String
    @Option(help: "Bitrate in kbit/s for lossy formats; 0 for the format's quality mode.") var bitrate: Int?
    @Option(name: .customLong("sample-rate"), help: "Output sample rate in Hz (default: the source's when the encoder takes it).") var sampleRate: Int?
    @Option(help: "Cover image (JPEG or PNG) to embed.") var cover: String?
    @Option(name: .customLong("tag"), help: "KEY=VALUE tag to write; repeatable (title, artist, album, album_artist, track, disc, date, genre, or any custom key).")
    var tags: [String] = []
    @Option(help: "Only samples START-END of the source (END may be empty: to the end).") var samples: String?
    @Flag(name: .customLong("no-remux"), help: "Always re-encode, even when the source already is what was asked for.") var noRemux = false
    @Flag(help: "Print the result as JSON.") var json = false

    func run() async throws {
        guard let audioFormat = AudioFormat(rawValue: format) else {
            throw ValidationError("unknown --format '\(format)'; use one of: \(AudioFormat.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let job = ConversionJob(
            input: input, range: try samples.map(parseRange), output: output,
            spec: OutputSpec(format: audioFormat, bitrateKbps: bitrate, sampleRateHz: sampleRate),
            tags: try TrackTags(assignments: tags), cover: try cover.map { try CoverArt(contentsOf: $0) },
            allowRemux: !noRemux)
        do {
            let result = try await AudioConverter(width: 1).convert(job)
            if json {
                print(String(decoding: try TicketJSON.encoder().encode(result), as: UTF8.self))
            } else {
                print("\(result.method.rawValue): \(result.reason)")
                print(String(format: "wrote %@ (%@, %d Hz, %d ch, %.2f s)", result.output, result.info.codec, result.info.sampleRate, result.info.channels, result.info.durationSecs))
            }
        } catch let error as AudioError {
            FileHandle.standardError.write(Data("downloader2: \(error)\n".utf8))
            throw ExitCode(1)
        }
    }

    private func parseRange(_ text: String) throws -> SampleRange {
        let parts = text.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
        guard parts.count == 2, let start = Int64(parts[0]), start >= 0 else { throw ValidationError("--samples wants START-END, got '\(text)'") }
        if parts[1].isEmpty { return SampleRange(start: start, end: nil) }
        guard let end = Int64(parts[1]), end > start else { throw ValidationError("--samples END must be a number above START, got '\(text)'") }
        return SampleRange(start: start, end: end)
    }
}

/// `downloader2 probe FILE`: what libav sees in a file, as JSON.
struct Probe: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Describe an audio file (codec, rate, channels, duration, tags, cover) as JSON.")

    @Argument(help: "Audio file.") var file: String

    func run() async throws {
        do {
            print(String(decoding: try TicketJSON.encoder().encode(try AudioProbe.info(path: file)), as: UTF8.self))
        } catch let error as AudioError {
            FileHandle.standardError.write(Data("downloader2: \(error)\n".utf8))
            throw ExitCode(1)
        }
    }
}
