import Foundation

/// Tells a lossy encoder's brick-wall low-pass from a natural roll-off in an averaged power spectrum.
///
/// MP3 (LAME), AAC, Vorbis and Opus all low-pass their input before encoding (LAME 320 kbit/s at
/// about 20.5 kHz, V0 about 19.5 kHz, 128 kbit/s about 16–17 kHz; Opus and libavcodec's AAC at
/// 256 kbit/s about 20 kHz), and a file decoded from them keeps that edge: the level falls by tens of
/// dB within a few hundred Hz and stays at the noise floor up to half the sample rate. Natural
/// material does not do that: a worn tape, a quiet piano or a band-limited master falls by a few dB
/// per octave, so across the same few hundred Hz it falls by a dB or two. The detector measures, at
/// every frequency of the upper band, the mean level of the 700 Hz below against the 700 Hz above
/// (with 100 Hz left out on each side), and judges the steepest such fall.
public struct FakeLosslessDetector: Sendable {
    /// A fall at least this steep is a lossy encoder's low-pass.
    public var transcodeDropDB: Double = 20
    /// A fall at least this steep is worth reporting.
    public var suspectDropDB: Double = 12
    /// Cliffs are looked for from here up.
    public var lowestCutoffHz: Double = 10_000
    /// The highest low-pass judged a lossy encoder's for certain (LAME at 320 kbit/s: 20.5 kHz at
    /// 44.1 kHz, 20.9 kHz at 48 kHz). A cliff above it, or within 1.5 kHz of the top of the band, may
    /// be a converter's anti-alias filter (CD masters fall at 20.5–22 kHz, 48 kHz converters at about
    /// 21.7 kHz, where libavcodec's AAC encoder also cuts): at most `suspect`.
    public var highestLossyCutoffHz: Double = 21_200
    /// Genuine masters put a steep band edge here and above too (a resampler's ~91 % passband, a
    /// mastering low-pass at 19–21 kHz), where LAME's high-bitrate low-passes also sit: a cliff at or
    /// above it on 44.1/48 kHz material is no evidence by itself.
    public var masteringCliffHz: Double = 19_000

    public init() {}

    /// The verdict from independent signs (issue: verification that never convicts a genuine release):
    /// a cliff where lossy encoders put their low-pass, and a lossy codec's quantisation grid in each of
    /// up to three places. `transcode` needs two signs to agree: the grid at two moments of the track, or the grid and
    /// the cliff. One sign alone is `suspect`, except a cliff at or above ``masteringCliffHz`` on
    /// material up to 48 kHz, which genuine masters share: with no grid, that is `genuine`, the cliff
    /// recorded. Hi-res files (no grid looked for) keep the spectrum's word, at most `suspect`.
    public func corroborate(_ spectral: SpectralVerdict, grids: GridFindings, sampleRate: Int) -> SpectralVerdict {
        let cliff = spectral.verdict == .transcode
        let cutoff = spectral.cutoffHz.map(Double.init)
        let found = grids.found.count
        let independent = grids.times.count
        let gridText = grids.found.map { "\($0.place): \($0.evidence)" }.joined(separator: "; ")
        var result = spectral
        func set(_ verdict: LosslessVerdict, _ evidence: String) {
            result.verdict = verdict
            result.evidence = evidence
        }
        if independent >= 2 {
            set(
                .transcode,
                "a lossy codec's quantisation grid in \(found) of \(grids.looked) places (\(gridText))" + (cliff ? "; and \(spectral.evidence)" : ""))
        } else if found >= 1 && cliff {
            set(.transcode, "\(spectral.evidence); and a lossy codec's quantisation grid (\(gridText))")
        } else if found >= 1 {
            set(.suspect, "a lossy codec's quantisation grid at one moment of the track only (\(gridText)), no other sign")
        } else if sampleRate > 48_000 {
            if cliff { set(.suspect, "\(spectral.evidence); no other sign is looked for at this sample rate") }
        } else if spectral.verdict != .genuine, let cutoff, cutoff >= masteringCliffHz {
            set(
                .genuine,
                "a cliff at \(Int(cutoff)) Hz (\(spectral.dropDB) dB) and no quantisation grid in \(grids.looked) places: genuine masters put their "
                    + "band edge there too (resamplers, mastering low-passes), so it is no evidence alone")
        } else if cliff {
            set(
                .suspect,
                "\(spectral.evidence), but no quantisation grid in \(grids.looked) places: a lossy source, or a master from a lower sample rate")
        }
        return result
    }

    /// Judges an averaged power spectrum: `power[k]` is the mean power of bin `k`, bins `binHz` apart
    /// from 0 Hz to half of `sampleRate`.
    public func judge(power: [Double], sampleRate: Int, windows: Int) -> SpectralVerdict {
        let nyquist = Double(sampleRate) / 2
        guard windows > 0, power.count > 8 else {
            return SpectralVerdict(
                verdict: .genuine, cutoffHz: nil, dropDB: 0, nyquistHz: Int(nyquist), windows: windows,
                evidence: "no sound to analyse: nothing points to a lossy source")
        }
        let binHz = nyquist / Double(power.count - 1)
        // Running sums make every window mean O(1).
        var prefix = [Double](repeating: 0, count: power.count + 1)
        for (index, value) in power.enumerated() { prefix[index + 1] = prefix[index] + value }
        func meanDB(_ from: Double, _ to: Double) -> Double {
            let low = max(0, Int((from / binHz).rounded())), high = min(power.count - 1, Int((to / binHz).rounded()))
            guard high >= low else { return -200 }
            let mean = (prefix[high + 1] - prefix[low]) / Double(high - low + 1)
            return 10 * log10(max(mean, 1e-20))
        }
        var best: (cutoff: Double, drop: Double) = (0, -.infinity)
        var frequency = lowestCutoffHz
        let top = nyquist - 300
        while frequency <= top {
            let drop = meanDB(frequency - 800, frequency - 100) - meanDB(frequency + 100, min(frequency + 800, nyquist))
            if drop > best.drop { best = (frequency, drop) }
            frequency += binHz
        }
        guard best.drop.isFinite else {
            return SpectralVerdict(
                verdict: .genuine, cutoffHz: nil, dropDB: 0, nyquistHz: Int(nyquist), windows: windows,
                evidence: "the band above \(Int(lowestCutoffHz)) Hz is too narrow to judge")
        }
        let cutoff = Int(best.cutoff.rounded())
        let drop = (best.drop * 10).rounded() / 10
        let lossyRange = best.cutoff <= highestLossyCutoffHz && best.cutoff <= nyquist - 1000
        let edgeRange = best.cutoff <= nyquist - 1500 || lossyRange
        // A hi-res file whose content stops near a CD's or a 48 kHz file's band edge (plus the
        // resampler's transition band) was made from one, lossy or not.
        let upsampled = sampleRate >= 88_200 && best.cutoff <= nyquist * 0.6 && drop >= 15
        let verdict: LosslessVerdict
        let evidence: String
        if lossyRange && drop >= transcodeDropDB {
            verdict = .transcode
            evidence = "the level falls \(drop) dB across \(cutoff) Hz and stays at the floor up to \(Int(nyquist)) Hz: a lossy encoder's low-pass"
        } else if (edgeRange && drop >= suspectDropDB) || upsampled {
            verdict = .suspect
            evidence =
                upsampled && !(lossyRange && drop >= suspectDropDB)
                ? "content stops at \(cutoff) Hz (a \(drop) dB fall) in a \(sampleRate) Hz file: made from a lower sample rate"
                : "the level falls \(drop) dB across \(cutoff) Hz: steeper than natural material, shallower than a lossy encoder's low-pass"
        } else {
            verdict = .genuine
            evidence = "no cliff in the upper band (steepest fall \(drop) dB at \(cutoff) Hz): content runs on or fades out gradually"
        }
        return SpectralVerdict(
            verdict: verdict, cutoffHz: verdict == .genuine ? nil : cutoff, dropDB: drop, nyquistHz: Int(nyquist), windows: windows,
            evidence: evidence)
    }
}
