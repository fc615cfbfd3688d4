import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Runs one `ConversionJob` on the calling thread: decode → resample → encode (or copy packets), then
/// validate, then move into place. The output appears complete or not at all: it is written beside
/// its destination under a hidden `.partial` name and renamed only after validation.
public enum Transcoder {
    /// - Parameter progress: fraction of the job's audio done, 0…1, called at most every 1 %.
    public static func run(_ job: ConversionJob, cancel: CancelFlag = CancelFlag(), progress: (Double) -> Void = { _ in }) throws -> ConversionResult
    {
        let source = try AudioSource(path: job.input)
        let sourceCodec = source.codecName
        if job.spec.format.isLossless && !source.isLosslessCodec {
            throw AudioError.invalidRequest(
                "source '\(job.input)' is lossy (\(sourceCodec)); a \(job.spec.format.rawValue) file made from it would only pretend to be lossless")
        }
        let partial = partialPath(for: job.output)
        try? FileManager.default.createDirectory(atPath: (job.output as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        do {
            let (method, reason) = remuxDecision(job, source: source, sourceCodec: sourceCodec)
            var written: WrittenAudio
            if method == .remuxed {
                let samples = try Remuxer.copy(source, to: partial, job: job, cancel: cancel, progress: progress)
                written = WrittenAudio(sourceSamples: samples, sampleRate: Int(source.sampleRate), channels: source.channelCount)
                // Nothing was decoded: the loudness needs a decode of its own.
                if job.measureLoudness { written.loudness = try LoudnessMeter.measure(path: job.input, cancel: cancel) }
            } else {
                written = try transcode(source, to: partial, job: job, cancel: cancel, progress: progress)
            }
            if job.spec.tagStyle(muxer: job.spec.muxerName(forPath: job.output)) == .mp4, let atoms = job.tags?.mp4Freeform {
                try MP4Freeform.append(atoms, toFileAt: partial)
            }
            let sourceSecs = Double(written.sourceSamples) / Double(source.sampleRate)
            let info = try OutputValidator.validate(partial, job: job, written: written, sourceSecs: sourceSecs, finalPath: job.output)
            guard rename(partial, job.output) == 0 else {
                throw AudioError.fileSystem(job.output, errno: errno)
            }
            var placed = info
            placed.path = job.output
            var result = ConversionResult(output: job.output, method: method, reason: reason, sourceDurationSecs: sourceSecs, info: placed)
            result.loudness = written.loudness.map(TrackLoudness.init(meter:))
            return result
        } catch {
            unlink(partial)
            throw error
        }
    }

    /// `dir/.name.partial.ext`: hidden, same folder (so the final rename is atomic), same extension.
    static func partialPath(for output: String) -> String {
        let url = URL(fileURLWithPath: output)
        let ext = url.pathExtension
        let stem = url.deletingPathExtension().lastPathComponent
        return url.deletingLastPathComponent().appendingPathComponent(".\(stem).partial.\(ext)").path
    }

    private static func transcode(
        _ source: AudioSource, to partial: String, job: ConversionJob, cancel: CancelFlag, progress: (Double) -> Void
    ) throws -> WrittenAudio {
        // Lossless: measured on the samples it is made from; lossy: on what the encoder wrote (decoded in memory).
        let lossy = !job.spec.format.isLossless
        let sink = try AudioSink(
            path: partial, spec: job.spec, source: source.format, tags: job.tags, cover: cover(for: job, source: source),
            measureOutput: job.measureLoudness && lossy)
        let start = job.range?.start ?? 0
        let end = job.range?.end
        let total = Double((end ?? source.declaredSamples ?? 0) - start)
        var reported = 0.0
        let meter = job.measureLoudness && !lossy ? LoudnessMeter.for(source) : nil
        let delivered = try source.decode(from: start, to: end, cancel: cancel) { span in
            try sink.write(span)
            meter?.add(span, from: source)
            guard total > 0 else { return }
            let done = min(1, reported + Double(span.count) / total)
            if Int(done * 100) > Int(reported * 100) { progress(done) }
            reported = done
        }
        try checkComplete(source, delivered: delivered, start: start, end: end)
        try cancel.check()
        try sink.finish()
        progress(1)
        return WrittenAudio(
            sourceSamples: delivered, sampleRate: Int(sink.choice.sampleRate), channels: Int(sink.choice.layout.nb_channels),
            loudness: meter ?? sink.outputMeter)
    }

    /// The job's cover, else (when asked) the picture embedded in the source.
    static func cover(for job: ConversionJob, source: AudioSource) -> CoverArt? {
        if let cover = job.cover { return cover }
        guard job.embedSourceCover, let picture = source.attachedPicture else { return nil }
        return try? CoverArt(data: picture)
    }

    /// A source that ends early is damaged: its own header (or the requested range) says how long it should be.
    static func checkComplete(_ source: AudioSource, delivered: Int64, start: Int64, end: Int64?) throws {
        let rate = Double(source.sampleRate)
        guard let expected = end.map({ $0 - start }) ?? source.declaredSamples.map({ $0 - start }), expected > 0 else { return }
        // Declared lengths of CBR MP3 and similar are estimates: allow 2 % plus half a second.
        let slack = Int64(Double(expected) * 0.02 + rate / 2)
        if delivered + slack < expected {
            throw AudioError.truncatedInput(path: source.path, decodedSecs: Double(delivered) / rate, declaredSecs: Double(expected) / rate)
        }
        if delivered == 0 { throw AudioError.corruptInput(path: source.path, reason: "no audio could be decoded") }
    }
}

/// What was written, for validation: how many source samples went in, and the output's rate and channels.
struct WrittenAudio {
    var sourceSamples: Int64
    var sampleRate: Int
    var channels: Int
    var loudness: LoudnessMeter? = nil
}
