import Foundation

/// What a look inside one downloaded file found: what it is, whether it decodes, and for lossless
/// sources whether the spectrum says it was made from a lossy one.
public struct TrackInspection: Sendable, Codable, Equatable {
    public var info: AudioInfo
    /// Whether the codec is lossless (FLAC, ALAC, WavPack, APE, TTA, TAK, PCM, DSD).
    public var lossless: Bool
    /// Seconds of audio decoded to check it and to analyse it.
    public var decodedSecs: Double
    /// The fake-lossless verdict; nil for lossy sources and when the analysis was not asked for.
    public var spectral: SpectralVerdict?
}

/// Where a lossy codec's quantisation grid was looked for, and where it was found (with the evidence).
public struct GridFindings: Sendable {
    public var looked: Int
    public var found: [(place: String, evidence: String)]
    /// The distinct stretches of time the grid was found in: the second channel at the same moment as
    /// the first is not a second, independent sighting (a stereo file of mono content repeats itself).
    public var times: Set<Int64> = []
}

/// Probes and checks downloaded audio without decoding all of it: a dozen windows spread through the
/// track are decoded (which finds damaged and truncated files) and their averaged spectrum is judged
/// by ``FakeLosslessDetector``.
public enum AudioInspector {
    /// Windows spread through the track, and FFT frames read at each.
    static let positions = 12
    static let framesPerPosition = 4

    public static func inspect(
        path: String, analyseSpectrum: Bool = true, detector: FakeLosslessDetector = FakeLosslessDetector(), cancel: CancelFlag = CancelFlag()
    ) throws -> TrackInspection {
        let source = try AudioSource(path: path)
        let info = source.info
        let lossless = source.isLosslessCodec
        let rate = Int(source.sampleRate)
        guard rate > 0 else { throw AudioError.corruptInput(path: path, reason: "no sample rate") }
        let analyse = lossless && analyseSpectrum
        let spectrum = try averagedSpectrum(source, transform: analyse, cancel: cancel)
        guard spectrum.samplesRead > 0 else { throw AudioError.corruptInput(path: path, reason: "no audio could be decoded") }
        try checkEnd(source, cancel: cancel)
        var verdict: SpectralVerdict?
        if analyse {
            let spectral = detector.judge(power: spectrum.power, sampleRate: rate, windows: spectrum.windows)
            let grids = rate <= 48_000 ? try quantizationGrids(source, cancel: cancel) : GridFindings(looked: 0, found: [])
            verdict = detector.corroborate(spectral, grids: grids, sampleRate: rate)
        }
        return TrackInspection(info: info, lossless: lossless, decodedSecs: Double(spectrum.samplesRead) / Double(rate), spectral: verdict)
    }

    /// The mean power spectrum of the sounding FFT frames read at `positions` places in the track;
    /// without `transform`, the windows are only decoded (the check for damage), not analysed.
    static func averagedSpectrum(
        _ source: AudioSource, transform: Bool, cancel: CancelFlag
    ) throws -> (power: [Double], windows: Int, samplesRead: Int) {
        let rate = Int(source.sampleRate)
        let size = rate > 48_000 ? 8192 : 4096
        let fft = RealFFT(length: size)
        let window = RealFFT.hannWindow(size)
        let total = source.declaredSamples ?? 0
        let span = size * framesPerPosition
        let starts: [Int64] =
            total > Int64(span * positions * 2)
            ? (0..<positions).map { Int64(Double(total) * (0.04 + 0.9 * Double($0) / Double(positions - 1))) }
            : [0]
        var sum = [Double](repeating: 0, count: size / 2 + 1)
        var windows = 0, read = 0
        var frame = [Float](repeating: 0, count: size)
        for start in starts {
            let samples = try source.monoSamples(from: start, count: starts.count == 1 ? span * positions : span, cancel: cancel)
            read += samples.count
            guard transform else { continue }
            var offset = 0
            while offset + size <= samples.count {
                var energy: Float = 0
                for index in 0..<size {
                    let value = samples[offset + index]
                    energy += value * value
                    frame[index] = value * window[index]
                }
                offset += size
                // Silence (below -80 dBFS RMS) says nothing about the band.
                guard energy / Float(size) > 1e-8 else { continue }
                fft.accumulatePower(of: &frame, into: &sum)
                windows += 1
            }
        }
        if windows > 0 { for bin in sum.indices { sum[bin] /= Double(windows) } }
        return (sum, windows, read)
    }

    /// A lossy codec's quantisation grid, looked for in three places that are independent of each other:
    /// the first channel at a third and at two thirds of the track, and the second channel at a third
    /// (the first sounding stretch from each; a short file is looked at from its start). AAC's or
    /// Vorbis's grid (``QuantizationGridDetector``), then MP3's (``MP3GridDetector``).
    static func quantizationGrids(_ source: AudioSource, cancel: CancelFlag) throws -> GridFindings {
        let mdct = QuantizationGridDetector(), mp3 = MP3GridDetector()
        let rate = Int(source.sampleRate)
        let span = max(6 * QuantizationGridDetector.hop, MP3GridDetector.samplesNeeded)
        let total = source.declaredSamples ?? 0
        let long = total > Int64(span * 3)
        var places: [(channel: Int, start: Int64, name: String)] =
            long ? [(0, total / 3, "channel 1 at 1/3"), (0, total * 2 / 3, "channel 1 at 2/3")] : [(0, 0, "channel 1")]
        if source.channelCount > 1 { places.append((1, long ? total / 3 : 0, long ? "channel 2 at 1/3" : "channel 2")) }
        func percent(_ share: Double) -> Int { Int((share * 100).rounded()) }
        var findings = GridFindings(looked: 0, found: [])
        for place in places {
            try cancel.check()
            // The first sounding stretch from this place on (a few spans later at most).
            var samples: [Float] = []
            var start = place.start
            for _ in 0..<4 {
                let read = try source.channelSamples(place.channel, from: start, count: span, cancel: cancel)
                guard read.count >= span else { break }
                // Silence (below -80 dBFS RMS) carries no coefficients to judge.
                if read.reduce(Float(0), { $0 + $1 * $1 }) / Float(read.count) > 1e-8 {
                    samples = read
                    break
                }
                start += Int64(span)
            }
            guard !samples.isEmpty else { continue }
            findings.looked += 1
            if let found = mdct.find(samples: samples, sampleRate: rate) {
                findings.times.insert(place.start)
                findings.found.append(
                    (
                        place.name,
                        "the MDCT coefficients on a 1024-sample grid with \(found.codec)'s window repeat like a quantiser's "
                            + "(\(percent(found.share)) % of neighbouring magnitudes against \(percent(found.medianShare)) % off the grid, "
                            + "\(percent(found.confirmedShare)) % on the next frame)"
                    ))
                continue
            }
            try cancel.check()
            if let found = mp3.find(samples: samples, sampleRate: rate) {
                findings.times.insert(place.start)
                findings.found.append(
                    (
                        place.name,
                        "MP3's hybrid filterbank on a 576-sample granule grid gives back coefficients on a quantiser's lattice "
                            + "(\(percent(found.share)) % of lines within a tenth of a step against \(percent(found.medianShare)) % off the grid, "
                            + "\(percent(found.confirmedShare)) % eight granules later)"
                    ))
            }
        }
        return findings
    }

    /// A file that ends before its header says is truncated: the last second it declares must decode.
    static func checkEnd(_ source: AudioSource, cancel: CancelFlag) throws {
        let rate = Int64(source.sampleRate)
        guard let total = source.declaredSamples, total > rate * 2 else { return }
        let start = total - rate
        let tail = try source.monoSamples(from: start, count: Int(rate / 2), cancel: cancel)
        if tail.count < Int(rate / 4) {
            throw AudioError.truncatedInput(
                path: source.path, decodedSecs: Double(start + Int64(tail.count)) / Double(rate), declaredSecs: Double(total) / Double(rate))
        }
    }
}

extension AudioInspector {
    /// The CRC-32 of a file's audio as 16-bit PCM, to compare with a rip log's copy CRC (decodes it all).
    public static func pcmCRC32(path: String, cancel: CancelFlag = CancelFlag()) throws -> UInt32 {
        try AudioSource(path: path).pcm16CRC32(cancel: cancel)
    }
}
