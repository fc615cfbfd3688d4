internal import CAudio
import Tickets

/// Versions of the libav* libraries linked in-process.
public enum AudioLibraryInfo {
    /// `major.minor.micro` of each library, keyed by its name.
    public static var versions: [String: String] {
        [
            "libavformat": dotted(avformat_version()),
            "libavcodec": dotted(avcodec_version()),
            "libswresample": dotted(swresample_version()),
            "libavutil": dotted(avutil_version()),
        ]
    }

    /// The libav encoder each target format needs, with whether this libav build has it.
    public static func encoders() -> [(format: AudioFormat, encoder: String, present: Bool)] {
        AudioFormat.allCases.map { format in
            let name = OutputSpec(format: format).encoderName
            return (format, name, avcodec_find_encoder_by_name(name) != nil)
        }
    }

    private static func dotted(_ v: UInt32) -> String { "\(v >> 16).\((v >> 8) & 0xFF).\(v & 0xFF)" }
}

/// libav's own logging, set once: errors only. Problems reach callers as `AudioError`s; libav's
/// warnings about normal files ("EOI missing", "timescale not set") would only be noise on a NAS log.
let quietLibAVLogging: Void = av_log_set_level(AV_LOG_ERROR)
