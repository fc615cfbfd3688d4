import ArgumentParser
import Audio
import Foundation
import Tickets

/// `downloader2 convert IN OUT --format …`: one file through the in-process converter.
struct Convert: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Convert an audio file in-process (libav): resample, encode, tag, embed a cover.")

    @Argument(help: "IN OUT: a source and the output file (written complete or not at all); with --output-dir, sources only.")
    var paths: [String]
    @Option(name: .customLong("output-dir"), help: "Convert every source into this folder, named after the source with the format's extension.")
    var outputDir: String?
    @Option(help: "Conversions at once with --output-dir (default: the number of cores).") var jobs: Int = ProcessInfo.processInfo
        .activeProcessorCount
    @Option(help: "ogg_vorbis, opus, mp3, aac, flac or alac.") var format: String
    @Option(help: "Bitrate in kbit/s for lossy formats; 0 for the format's quality mode.") var bitrate: Int?
    @Option(name: .customLong("sample-rate"), help: "Output sample rate in Hz (default: the source's when the encoder takes it).") var sampleRate:
        Int?
    @Option(help: "Cover image (JPEG or PNG) to embed.") var cover: String?
    @Option(
        name: .customLong("tag"),
        help: "KEY=VALUE tag to write; repeatable (title, artist, album, album_artist, track, disc, date, genre, or any custom key).")
    var tags: [String] = []
    @Option(help: "Only samples START-END of the source (END may be empty: to the end).") var samples: String?
    @Flag(name: .customLong("no-remux"), help: "Always re-encode, even when the source already is what was asked for.") var noRemux = false
    @Flag(help: "Print the result as JSON.") var json = false
    @Option(
        help:
            "Loudness tags (EBU R128, ReplayGain 2.0; R128_* in Opus): album (the sources are one album: track and album gains), track, or off."
    ) var replaygain: String = "off"

    func validate() throws {
        if outputDir == nil && paths.count != 2 { throw ValidationError("give IN and OUT, or sources and --output-dir") }
        if outputDir != nil && paths.isEmpty { throw ValidationError("give at least one source with --output-dir") }
        if jobs < 1 { throw ValidationError("--jobs must be 1 or more") }
        if ReplayGainMode(rawValue: replaygain) == nil { throw ValidationError("--replaygain must be album, track or off, got '\(replaygain)'") }
    }

    func run() async throws {
        guard let audioFormat = AudioFormat(rawValue: format) else {
            throw ValidationError("unknown --format '\(format)'; use one of: \(AudioFormat.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let spec = OutputSpec(format: audioFormat, bitrateKbps: bitrate, sampleRateHz: sampleRate)
        let tags = try TrackTags(assignments: tags)
        let coverArt = try cover.map { try CoverArt(contentsOf: $0) }
        let range = try samples.map(parseRange)
        let pairs: [(String, String)] =
            outputDir.map { dir in
                paths.map { ($0, "\(dir)/\(URL(fileURLWithPath: $0).deletingPathExtension().lastPathComponent).\(audioFormat.fileExtension)") }
            } ?? [(paths[0], paths[1])]
        let converter = AudioConverter(width: outputDir == nil ? 1 : jobs)
        let results = await withTaskGroup(of: (Int, Result<ConversionResult, any Error>).self) { group in
            for (index, (input, output)) in pairs.enumerated() {
                let job = ConversionJob(
                    input: input, range: range, output: output, spec: spec, tags: tags, cover: coverArt, allowRemux: !noRemux,
                    measureLoudness: replaygain != "off")
                group.addTask { (index, await Result { try await converter.convert(job) }) }
            }
            var results = [Result<ConversionResult, any Error>?](repeating: nil, count: pairs.count)
            for await (index, result) in group { results[index] = result }
            return results.map { $0! }
        }
        var failed = false
        if let mode = ReplayGainMode(rawValue: replaygain), mode != .off {
            let converted = results.compactMap { try? $0.get() }
            let measured = converted.compactMap(\.loudness)
            let album = mode == .album && measured.count == converted.count ? ReplayGainTags.album(measured) : nil
            for result in converted {
                guard let loudness = result.loudness else { continue }
                do {
                    try ReplayGainWriter.write(ReplayGainTags(track: loudness, album: album), to: result.output, spec: spec, tags: tags)
                } catch {
                    failed = true
                    FileHandle.standardError.write(Data("downloader2: cannot write the loudness tags of \(result.output): \(error)\n".utf8))
                }
            }
        }
        for result in results {
            switch result {
            case .success(let result):
                if json {
                    print(String(decoding: try TicketJSON.encoder().encode(result), as: UTF8.self))
                } else {
                    print("\(result.method.rawValue): \(result.reason)")
                    print(
                        String(
                            format: "wrote %@ (%@, %d Hz, %d ch, %.2f s)", result.output, result.info.codec, result.info.sampleRate,
                            result.info.channels, result.info.durationSecs))
                }
            case .failure(let error):
                failed = true
                FileHandle.standardError.write(Data("downloader2: \(error)\n".utf8))
            }
        }
        if failed { throw ExitCode(1) }
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
