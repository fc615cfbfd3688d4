import Foundation

/// Finds LAME's quantisation in a lossless file decoded from MP3 that kept the whole band (V0 on
/// noise-like material), which neither a spectrum nor a plain MDCT shows
/// (docs/NOTES.md#fake-lossless-full-band).
///
/// MP3 codes each 576-sample granule through a hybrid filterbank: a 32-band polyphase bank, then a
/// 36-point MDCT per subband and eight alias-reduction butterflies between neighbouring subbands.
/// This detector runs the same chain on the file, with a polyphase prototype of its own (a 512-tap
/// Kaiser-windowed lowpass, not the standard's table), at each of the 576 offsets of the granule
/// grid. On the right offset the coefficients come back close to the coded ones: their magnitudes to
/// the power 3/4 fall near whole multiples of one step per scale factor band (LAME quantises the
/// upper bands coarsely, to 0–3 steps). The prototype's mismatch blurs them by a few per cent, so the
/// test is a lattice fit with a tolerance of a tenth of a step rather than exact repeats. Measured
/// (`make verify-accuracy`, and by hand on 44.1/48 kHz, 16/24-bit): 0.54–0.57 of the lines fit on
/// the grid's offset of a V0 transcode, 0.35 (median) elsewhere, at most 0.39 anywhere in genuine
/// noise, filtered noise or generated piano tones.
public struct MP3GridDetector: Sendable {
    /// The share of lines on a lattice at the best offset that calls a grid found…
    public var fitShare = 0.46
    /// …when it stands this far above the median of other offsets…
    public var margin = 0.12
    /// …and eight granules later, on the same offset, the share is still this high…
    public var confirmShare = 0.44
    /// …in material whose other offsets fit at most this well (sound, not a signal whose
    /// magnitudes repeat by construction).
    public var largestMedian = 0.42

    public init() {}

    public struct Finding: Sendable, Equatable {
        /// The grid's offset in the samples analysed (0..<576), and the share of lines on a lattice there.
        public var offset: Int
        public var share: Double
        public var medianShare: Double
        public var confirmedShare: Double
    }

    /// Samples the search needs: the polyphase history, every offset, two granules and the
    /// confirmation eight granules later.
    public static let samplesNeeded = 511 + 576 + 576 * 8 + 32 * (18 * 3 + 18) + 64

    /// Looks for an MP3 granule grid in `samples` (one channel). Nil when none is found or the rate
    /// has no MP3 long-block band table here (32, 44.1 and 48 kHz do).
    public func find(samples: [Float], sampleRate: Int) -> Finding? {
        guard samples.count >= Self.samplesNeeded, let bands = Self.bandEdges(sampleRate) else { return nil }
        let start = 511
        // Rank every offset by a cheap statistic on one granule, then fit lattices on the likeliest few.
        var ranked: [(offset: Int, share: Double)] = []
        ranked.reserveCapacity(576)
        var spread: [Int] = []
        for phase in 0..<32 {
            let subbands = Self.subbandSamples(samples, from: start + phase, count: 18 * 2 + 18)
            for granuleOffset in 0..<18 {
                let lines = Self.hybridLines(subbands, at: granuleOffset)
                ranked.append((phase + 32 * granuleOffset, Self.repeatedShare(lines, bands: bands)))
                if phase % 4 == 1 && granuleOffset % 9 == 2 { spread.append(phase + 32 * granuleOffset) }
            }
        }
        let likeliest = ranked.sorted { $0.share > $1.share }.prefix(6).map(\.offset)
        func fit(_ offset: Int, at base: Int) -> Double {
            let subbands = Self.subbandSamples(samples, from: base + offset % 32, count: 18 * 3 + 18)
            let first = Self.hybridLines(subbands, at: offset / 32), second = Self.hybridLines(subbands, at: offset / 32 + 18)
            return (Self.latticeShare(first, bands: bands) + Self.latticeShare(second, bands: bands)) / 2
        }
        var best: (offset: Int, share: Double) = (0, 0)
        for offset in likeliest {
            let share = fit(offset, at: start)
            if share > best.share { best = (offset, share) }
        }
        let others = spread.filter { $0 != best.offset }.map { fit($0, at: start) }.sorted()
        guard !others.isEmpty else { return nil }
        let median = others[others.count / 2]
        guard median <= largestMedian, best.share >= fitShare, best.share - median >= margin else { return nil }
        let confirmed = fit(best.offset, at: start + 576 * 8)
        guard confirmed >= confirmShare else { return nil }
        return Finding(offset: best.offset, share: best.share, medianShare: median, confirmedShare: confirmed)
    }

    // MARK: - The hybrid analysis

    /// A 512-tap lowpass at a 64th of the band (Kaiser window, beta 9), DC gain 1.
    static let prototype: [Double] = {
        let taps = 512, cutoff = 1.0 / 64, beta = 9.0
        let besselI0 = QuantizationGridDetector.besselI0
        let centre = Double(taps - 1) / 2
        var values = (0..<taps).map { n -> Double in
            let t = Double(n) - centre
            let sinc = t == 0 ? cutoff : sin(Double.pi * cutoff * t) / (Double.pi * t)
            let ratio = 2 * Double(n) / Double(taps - 1) - 1
            return sinc * besselI0(beta * (1 - ratio * ratio).squareRoot()) / besselI0(beta)
        }
        let total = values.reduce(0, +)
        for index in values.indices { values[index] /= total }
        return values
    }()

    /// The analysis filters `h[n] · cos((2i + 1)(n − 16)π/64)` taken apart as the standard does: the
    /// cosine changes sign every 64 taps, so the window with those signs folded in (`folded`) is summed
    /// into 64 values, then a 32 × 64 cosine matrix (`modulation`) makes the 32 subbands.
    static let folded: [Float] = (0..<512).map { n in Float(prototype[n] * ((n / 64) % 2 == 0 ? 1 : -1)) }
    static let modulation: [Float] = (0..<32).flatMap { (band: Int) -> [Float] in
        (0..<64).map { (k: Int) -> Float in
            let angle = Double(2 * band + 1) * Double(k - 16) * Double.pi / 64
            return Float(cos(angle))
        }
    }

    /// The 36-point MDCT with its sine window folded in, row-major (18 × 36).
    static let mdct36: [Float] = (0..<18).flatMap { (k: Int) -> [Float] in
        (0..<36).map { (j: Int) -> Float in
            let window = sin(Double.pi / 36 * (Double(j) + 0.5))
            let angle = Double.pi / 72 * Double(2 * j + 1 + 18) * Double(2 * k + 1)
            return Float(window * cos(angle))
        }
    }

    /// The alias-reduction butterflies' coefficients (ISO/IEC 11172-3).
    static let butterflies: [(cs: Float, ca: Float)] = [-0.6, -0.535, -0.33, -0.185, -0.095, -0.041, -0.0142, -0.0037].map { c in
        let norm = (1 + c * c).squareRoot()
        return (Float(1 / norm), Float(c / norm))
    }

    /// Long-block scale factor band edges in lines (0…576) at a sample rate.
    static func bandEdges(_ sampleRate: Int) -> [Int]? {
        switch sampleRate {
        case 44_100: [0, 4, 8, 12, 16, 20, 24, 30, 36, 44, 52, 62, 74, 90, 110, 134, 162, 196, 238, 288, 342, 418, 576]
        case 48_000: [0, 4, 8, 12, 16, 20, 24, 30, 36, 42, 50, 60, 72, 88, 106, 128, 156, 190, 230, 276, 330, 384, 576]
        case 32_000: [0, 4, 8, 12, 16, 20, 24, 30, 36, 44, 54, 66, 82, 102, 126, 156, 194, 240, 296, 364, 448, 550, 576]
        default: nil
        }
    }

    /// `count` subband samples of each of the 32 bands, row-major, the first at sample `from`
    /// (each takes the 512 samples up to it, newest first).
    static func subbandSamples(_ samples: [Float], from: Int, count: Int) -> [Float] {
        var out = [Float](repeating: 0, count: 32 * count)
        var sums = [Float](repeating: 0, count: 64)
        samples.withUnsafeBufferPointer { x in
            for m in 0..<count {
                let t = from + 32 * m
                for k in 0..<64 {
                    var sum: Float = 0
                    for j in 0..<8 { sum += folded[k + 64 * j] * x[t - k - 64 * j] }
                    sums[k] = sum
                }
                for band in 0..<32 {
                    var sum: Float = 0
                    let row = band * 64
                    for k in 0..<64 { sum += modulation[row + k] * sums[k] }
                    out[band * count + m] = sum
                }
            }
        }
        return out
    }

    /// The 576 lines of the granule whose 36-sample windows start at subband sample `at`.
    static func hybridLines(_ subbands: [Float], at: Int) -> [Float] {
        let count = subbands.count / 32
        var lines = [Float](repeating: 0, count: 576)
        var window = [Float](repeating: 0, count: 36)
        for band in 0..<32 {
            for j in 0..<36 {
                let value = subbands[band * count + at + j]
                // The encoder's frequency inversion: odd samples of odd subbands negated.
                window[j] = band % 2 == 1 && j % 2 == 1 ? -value : value
            }
            for k in 0..<18 {
                var sum: Float = 0
                for j in 0..<36 { sum += mdct36[k * 36 + j] * window[j] }
                lines[band * 18 + k] = sum
            }
        }
        for band in 1..<32 {
            for (t, pair) in butterflies.enumerated() {
                let upper = lines[(band - 1) * 18 + 17 - t], lower = lines[band * 18 + t]
                lines[(band - 1) * 18 + 17 - t] = upper * pair.cs + lower * pair.ca
                lines[band * 18 + t] = lower * pair.cs - upper * pair.ca
            }
        }
        return lines
    }

    /// The share of neighbouring sorted magnitudes (to the power 3/4) within 1 % of their band's
    /// largest, over the bands from 8 up: a cheap ranking of offsets.
    static func repeatedShare(_ lines: [Float], bands: [Int]) -> Double {
        var repeated = 0, pairs = 0
        for band in 8..<(bands.count - 1) {
            var values = lines[bands[band]..<bands[band + 1]].map(QuantizationGridDetector.companded)
            guard let largest = values.max(), largest > 0 else { continue }
            values.sort()
            for index in 1..<values.count where values[index] - values[index - 1] < largest * 0.01 { repeated += 1 }
            pairs += values.count - 1
        }
        return pairs == 0 ? 0 : Double(repeated) / Double(pairs)
    }

    /// The steps tried, as multiples of a band's largest magnitude's inverse: from 0.8 to 6 in 80
    /// geometric steps (2.6 % apart, so the best is within 1.3 % of any true step).
    static let latticeSteps: [Float] = (0..<80).map { Float(0.8 * pow(7.5, Double($0) / 79)) }

    /// For each band from 12 up, the largest share of its lines whose magnitude to the power 3/4 lies
    /// within a tenth of a step of a whole number of steps, over steps from the largest / 0.8 down
    /// to the largest / 6; the mean over the bands.
    static func latticeShare(_ lines: [Float], bands: [Int]) -> Double {
        var total = 0.0, counted = 0
        for band in 12..<(bands.count - 1) {
            let values = lines[bands[band]..<bands[band + 1]].map(QuantizationGridDetector.companded)
            guard let largest = values.max(), largest > 0 else { continue }
            var best = 0
            for scale in latticeSteps {
                let inverse = scale / largest
                var fits = 0
                for value in values {
                    // Magnitudes are not negative: truncating ratio + ½ rounds it.
                    let ratio = value * inverse
                    let nearest = Float(Int32(ratio + 0.5))
                    if abs(ratio - nearest) < 0.1 { fits += 1 }
                }
                best = max(best, fits)
            }
            total += Double(best) / Double(values.count)
            counted += 1
        }
        return counted == 0 ? 0 : total / Double(counted)
    }
}
