/// Whether a lossless file's spectrum looks like the lossless master it claims to be.
public enum LosslessVerdict: String, Sendable, Codable, Equatable, CaseIterable {
    /// Content runs on to the top of the band, or fades out gradually: nothing points to a lossy source.
    case genuine
    /// A cliff a lossy encoder could have left, but not clearly (a shallow drop, or a hi-res file whose
    /// content stops at a CD's band edge). Reported, never refused on its own.
    case suspect
    /// A lossy encoder's brick-wall low-pass: the file was decoded from MP3, AAC, Vorbis or Opus.
    case transcode
}

/// The spectral evidence for one track: where its content stops and how abruptly.
public struct SpectralVerdict: Sendable, Codable, Equatable {
    public var verdict: LosslessVerdict
    /// Where the steepest fall in the upper band sits, in Hz (nil when there is none worth naming).
    public var cutoffHz: Int?
    /// How far the level falls across that cutoff, in dB (the mean level of the 700 Hz below it
    /// against the 700 Hz above it).
    public var dropDB: Double
    /// The file's own upper band edge (half its sample rate), in Hz.
    public var nyquistHz: Int
    /// Analysis windows that carried sound (silent ones are skipped).
    public var windows: Int
    /// The reasoning in words.
    public var evidence: String

    public init(verdict: LosslessVerdict, cutoffHz: Int?, dropDB: Double, nyquistHz: Int, windows: Int, evidence: String) {
        self.verdict = verdict
        self.cutoffHz = cutoffHz
        self.dropDB = dropDB
        self.nyquistHz = nyquistHz
        self.windows = windows
        self.evidence = evidence
    }
}

/// A release's verdict from its tracks': `transcode` when at least half the analysed tracks are,
/// `suspect` when any track is suspect or a transcode, else `genuine`.
public func releaseVerdict(_ tracks: [LosslessVerdict]) -> LosslessVerdict {
    let transcodes = tracks.filter { $0 == .transcode }.count
    if transcodes > 0, transcodes * 2 >= tracks.count { return .transcode }
    if tracks.contains(where: { $0 != .genuine }) { return .suspect }
    return .genuine
}
