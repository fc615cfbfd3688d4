import Tickets

/// What a conversion should produce: format, rate and quality, independent of any source.
public struct OutputSpec: Sendable, Equatable {
    public var format: AudioFormat
    /// Nominal bitrate in kbit/s for lossy formats; nil or 0 asks for the format's quality mode.
    public var bitrateKbps: Int?
    /// Target sample rate; nil keeps the source's when the encoder accepts it. Opus is always 48 kHz.
    public var sampleRateHz: Int?

    public init(format: AudioFormat, bitrateKbps: Int? = nil, sampleRateHz: Int? = nil) {
        self.format = format
        self.bitrateKbps = bitrateKbps
        self.sampleRateHz = sampleRateHz
    }

    /// libav's encoder for the format.
    var encoderName: String {
        switch format {
        case .oggVorbis: "libvorbis"
        case .opus: "libopus"
        case .mp3: "libmp3lame"
        case .aac: "aac"
        case .flac: "flac"
        case .alac: "alac"
        }
    }

    /// libav's codec name as a reader reports it (ffprobe's `codec_name`).
    public var codecName: String {
        switch format {
        case .oggVorbis: "vorbis"
        case .opus: "opus"
        case .mp3: "mp3"
        case .aac: "aac"
        case .flac: "flac"
        case .alac: "alac"
        }
    }

    /// The muxer for an output path: chosen by the format, refined by the extension where they differ.
    func muxerName(forPath path: String) -> String {
        let ext = path.split(separator: ".").last.map { $0.lowercased() } ?? ""
        switch format {
        case .oggVorbis: return "ogg"
        case .opus: return "ogg"
        case .mp3: return "mp3"
        case .flac: return "flac"
        case .aac: return ext == "aac" ? "adts" : (ext == "mp4" ? "mp4" : "ipod")
        case .alac: return ext == "mp4" ? "mp4" : "ipod"
        }
    }

    /// How tags are named inside the container the muxer writes.
    func tagStyle(muxer: String) -> TagStyle {
        switch muxer {
        case "ogg", "flac": .vorbisComment
        case "mp3": .id3v24
        case "ipod", "mp4": .mp4
        default: .none
        }
    }

    /// Default bitrate when a lossy ticket names none and the encoder has no quality mode we use.
    var defaultBitrateKbps: Int {
        switch format {
        case .opus: 160
        case .aac: 256
        default: 320
        }
    }

    /// The VBR quality used when no bitrate is given: Vorbis q6 (~192 kbit/s), LAME V0.
    var qualityMode: Double? {
        switch format {
        case .oggVorbis: 6
        case .mp3: 0
        default: nil
        }
    }
}

/// How a container names its tags.
enum TagStyle: Equatable {
    case vorbisComment, id3v24, mp4, none
}
