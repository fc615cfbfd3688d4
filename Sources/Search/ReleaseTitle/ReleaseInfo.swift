import Basics
/// What a release title says about the release, before any file is seen.
public struct ReleaseInfo: Codable, Sendable, Equatable {
    public enum Format: String, Codable, Sendable, CaseIterable {
        case flac, alac, ape, wavpack, wav, dsd, mp3, aac, oggVorbis = "ogg_vorbis", opus

        public var isLossless: Bool {
            switch self {
            case .flac, .alac, .ape, .wavpack, .wav, .dsd: true
            case .mp3, .aac, .oggVorbis, .opus: false
            }
        }
    }

    public enum Source: String, Codable, Sendable {
        case cd, web, vinyl, sacd, cassette, bluray
    }

    /// Which naming convention the title follows.
    public enum Style: String, Codable, Sendable {
        case scene, gazelle, rutracker, plain
    }

    public var artist: String?
    public var album: String?
    public var year: Int?
    public var format: Format?
    /// "320", "256", "192", "128", "V0", "V2", "Q8"…
    public var bitrate: String?
    public var bitDepth: Int?
    public var sampleRateHz: Int?
    public var source: Source?
    public var lossless = false
    public var discography = false
    public var compilation = false
    public var variousArtists = false
    /// deluxe, expanded, remaster, anniversary, reissue, special edition…
    public var editions: [String] = []
    public var live = false
    public var single = false
    public var ep = false
    public var bootleg = false
    public var hasLog = false
    public var hasCue = false
    public var imageCue = false
    public var scans = false
    public var sceneGroup: String?
    public var style: Style = .plain

    public init() {}
}
