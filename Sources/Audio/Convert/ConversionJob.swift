/// One track to produce: where it comes from, what it becomes, and what to write into it.
public struct ConversionJob: Sendable, Equatable {
    public var input: String
    /// Samples `[start, end)` of the input at its own sample rate (a CUE track); nil: the whole file.
    public var range: SampleRange?
    public var output: String
    public var spec: OutputSpec
    public var tags: TrackTags?
    public var cover: CoverArt?
    /// With no `cover`, embed the picture the source itself carries, if any.
    public var embedSourceCover: Bool
    /// The catalog's length for this track; the output must match it within `durationToleranceSecs`.
    public var expectedDurationSecs: Double?
    public var durationToleranceSecs: Double
    /// Copy packets instead of re-encoding when the source already is what was asked for.
    public var allowRemux: Bool
    /// Measure the track's loudness (EBU R128) on the samples decoded for it (a copied track is decoded for it).
    public var measureLoudness: Bool = false

    public init(
        input: String, range: SampleRange? = nil, output: String, spec: OutputSpec, tags: TrackTags? = nil, cover: CoverArt? = nil,
        embedSourceCover: Bool = false, expectedDurationSecs: Double? = nil, durationToleranceSecs: Double = 2, allowRemux: Bool = true,
        measureLoudness: Bool = false
    ) {
        self.measureLoudness = measureLoudness
        self.input = input
        self.range = range
        self.output = output
        self.spec = spec
        self.tags = tags
        self.cover = cover
        self.embedSourceCover = embedSourceCover
        self.expectedDurationSecs = expectedDurationSecs
        self.durationToleranceSecs = durationToleranceSecs
        self.allowRemux = allowRemux
    }
}

/// A half-open range of samples at the source's rate; `end` nil runs to the end of the file.
public struct SampleRange: Sendable, Equatable, Codable {
    public var start: Int64
    public var end: Int64?

    public init(start: Int64, end: Int64?) {
        self.start = start
        self.end = end
    }
}

/// What a finished conversion wrote.
public struct ConversionResult: Sendable, Equatable, Codable {
    public enum Method: String, Sendable, Codable {
        /// Decoded, resampled and encoded.
        case transcoded
        /// Packets copied unchanged: the source already was the requested codec, rate and quality.
        case remuxed
    }

    public var output: String
    public var method: Method
    /// Why the method was chosen, in words (e.g. "source is already FLAC at 44100 Hz, 16-bit").
    public var reason: String
    public var sourceDurationSecs: Double
    public var info: AudioInfo
    /// With `measureLoudness`: the track's loudness, its meter kept for the album.
    public var loudness: TrackLoudness?
}
