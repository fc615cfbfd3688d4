/// Copies a source's audio packets into a new container with new tags and cover: no decoding, no
/// generation loss. Used when the source already is the codec, rate and quality a job asks for.
enum Remuxer {
    /// Returns the number of source samples copied.
    static func copy(_ source: AudioSource, to path: String, job: ConversionJob, cancel: CancelFlag, progress: (Double) -> Void) throws -> Int64 {
        let file = try MuxedFile(path: path, spec: job.spec, copying: source)
        try file.writeHeader(tags: job.tags, cover: Transcoder.cover(for: job, source: source), style: job.spec.tagStyle(muxer: file.muxer))
        let declared = Double(source.declaredSamples ?? 0)
        var reported = 0
        let lastEnd = try source.copyPackets(into: file, cancel: cancel) { end in
            guard declared > 0, Int(Double(end) / declared * 100) > reported else { return }
            reported = Int(Double(end) / declared * 100)
            progress(min(1, Double(reported) / 100))
        }
        try Transcoder.checkComplete(source, delivered: lastEnd, start: 0, end: nil)
        try file.finish()
        progress(1)
        return lastEnd
    }
}

extension Transcoder {
    /// Whether to copy packets instead of re-encoding, and why, in words.
    static func remuxDecision(_ job: ConversionJob, source: AudioSource, sourceCodec: String) -> (ConversionResult.Method, String) {
        let spec = job.spec
        let rate = Int(source.sampleRate)
        guard job.allowRemux, job.range == nil else {
            return (.transcoded, job.range == nil ? "re-encoding was asked for" : "only part of the source (a CUE track) was asked for")
        }
        guard sourceCodec == spec.codecName else { return (.transcoded, "source is \(sourceCodec), \(spec.codecName) was asked for") }
        if let wanted = spec.sampleRateHz, wanted != rate { return (.transcoded, "source is \(rate) Hz, \(wanted) Hz was asked for") }
        if spec.format.isLossless { return (.remuxed, "source is already \(sourceCodec) at \(rate) Hz: packets copied, nothing re-encoded") }
        let bitrate = source.bitrateKbps
        guard let wanted = spec.bitrateKbps, wanted > 0, bitrate > 0 else {
            return (.remuxed, "source is already \(sourceCodec) at \(rate) Hz and no bitrate was asked for: packets copied")
        }
        if Double(bitrate) <= Double(wanted) * 1.1 {
            let why =
                Double(bitrate) < Double(wanted) * 0.9 ? "re-encoding to \(wanted) kbit/s would add size, not quality" : "that is what was asked for"
            return (.remuxed, "source is already \(sourceCodec) at \(bitrate) kbit/s, \(rate) Hz; \(why): packets copied")
        }
        return (.transcoded, "source is \(sourceCodec) at \(bitrate) kbit/s, \(wanted) kbit/s was asked for")
    }
}
