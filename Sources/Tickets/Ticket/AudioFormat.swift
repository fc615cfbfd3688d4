/// The output formats a ticket may ask for.
public enum AudioFormat: String, Codable, Sendable, CaseIterable {
    case oggVorbis = "ogg_vorbis"
    case opus
    case mp3
    case aac
    case flac
    case alac

    /// The usual extension of this format's files.
    public var fileExtension: String {
        switch self {
        case .oggVorbis: "ogg"
        case .opus: "opus"
        case .mp3: "mp3"
        case .aac, .alac: "m4a"
        case .flac: "flac"
        }
    }

    /// File extensions a `dest_path` may carry for this format.
    public var allowedExtensions: Set<String> {
        switch self {
        case .oggVorbis: ["ogg", "oga"]
        case .opus: ["opus", "ogg"]
        case .mp3: ["mp3"]
        case .aac: ["m4a", "mp4", "aac"]
        case .flac: ["flac"]
        case .alac: ["m4a"]
        }
    }

    /// Lossless formats never accept a lossy source (no lossy→lossless transcode).
    public var isLossless: Bool { self == .flac || self == .alac }
}
