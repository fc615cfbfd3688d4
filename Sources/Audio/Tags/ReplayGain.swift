import Foundation

/// A track's loudness as measured while it was converted (``LoudnessMeter``), kept with its result.
/// The meter itself stays in memory until the album is done; it is not encoded or compared.
public struct TrackLoudness: Sendable, Codable, Equatable {
    /// Integrated loudness, LUFS; nil for a silent track.
    public var integratedLUFS: Double?
    /// Sample peak, 1.0 = full scale.
    public var samplePeak: Double
    public var meter: LoudnessMeter?

    enum CodingKeys: String, CodingKey { case integratedLUFS = "integrated_lufs", samplePeak = "sample_peak" }

    public init(meter: LoudnessMeter) {
        self.meter = meter
        integratedLUFS = meter.integratedLUFS
        samplePeak = meter.samplePeak
    }

    public init(integratedLUFS: Double?, samplePeak: Double) {
        self.integratedLUFS = integratedLUFS
        self.samplePeak = samplePeak
        meter = nil
    }

    public static func == (a: TrackLoudness, b: TrackLoudness) -> Bool { a.integratedLUFS == b.integratedLUFS && a.samplePeak == b.samplePeak }
}

/// `[converter] replaygain`: track and album gains (the default), track gains only, or none.
public enum ReplayGainMode: String, Sendable, CaseIterable {
    case album, track, off
}

/// The loudness tags of one track, by container (ReplayGain 2.0: reference −18 LUFS; Opus: RFC 7845's
/// `R128_*` gains, Q7.8 relative to −23 LUFS, the header's output gain left at 0).
public struct ReplayGainTags: Sendable, Equatable {
    public static let referenceLUFS = -18.0
    public static let r128ReferenceLUFS = -23.0

    public var track: TrackLoudness
    /// The album's integrated loudness (gated over all its tracks) and peak; nil: track gains only.
    public var album: (lufs: Double, peak: Double)?

    public init(track: TrackLoudness, album: (lufs: Double, peak: Double)?) {
        self.track = track
        self.album = album
    }

    /// An album's loudness (gated over every block of all its tracks) and peak; nil unless every track
    /// has its meter.
    public static func album(_ tracks: [TrackLoudness]) -> (lufs: Double, peak: Double)? {
        let meters = tracks.compactMap(\.meter)
        guard meters.count == tracks.count, let lufs = LoudnessMeter.albumLUFS(meters) else { return nil }
        return (lufs, tracks.map(\.samplePeak).max() ?? 0)
    }

    public static func == (a: ReplayGainTags, b: ReplayGainTags) -> Bool {
        a.track == b.track && a.album?.lufs == b.album?.lufs && a.album?.peak == b.album?.peak
    }

    /// "-3.21 dB": two decimals, ASCII minus, as ReplayGain 2.0 writes gains.
    static func gain(_ lufs: Double) -> String { String(format: "%.2f dB", referenceLUFS - lufs) }
    static func peak(_ value: Double) -> String { String(format: "%.6f", value) }
    /// RFC 7845: a Q7.8 fixed-point gain in dB towards −23 LUFS, clamped to a signed 16-bit integer.
    static func r128(_ lufs: Double) -> String { String(Int(max(-32768, min(32767, ((r128ReferenceLUFS - lufs) * 256).rounded())))) }

    /// `REPLAYGAIN_*` entries (FLAC, Vorbis, MP3 `TXXX`; lowercased for MP4 freeform atoms).
    public var replayGain: [String: String] {
        var tags: [String: String] = [:]
        if let lufs = track.integratedLUFS {
            tags["REPLAYGAIN_TRACK_GAIN"] = Self.gain(lufs)
            tags["REPLAYGAIN_TRACK_PEAK"] = Self.peak(track.samplePeak)
        }
        if let album {
            tags["REPLAYGAIN_ALBUM_GAIN"] = Self.gain(album.lufs)
            tags["REPLAYGAIN_ALBUM_PEAK"] = Self.peak(album.peak)
        }
        return tags
    }

    /// `R128_TRACK_GAIN` / `R128_ALBUM_GAIN` (Opus).
    public var r128: [String: String] {
        var tags: [String: String] = [:]
        if let lufs = track.integratedLUFS { tags["R128_TRACK_GAIN"] = Self.r128(lufs) }
        if let album { tags["R128_ALBUM_GAIN"] = Self.r128(album.lufs) }
        return tags
    }
}
