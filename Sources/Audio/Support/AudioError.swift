#if canImport(Glibc)
import Glibc
#endif

/// Why an audio operation failed. libav's numeric codes become these in `Native/` (LibavError.swift) and travel no further.
public enum AudioError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file could not be opened or is not a container libav knows.
    case unreadable(path: String, reason: String)
    /// The container holds no audio stream.
    case noAudioStream(path: String)
    /// No decoder for the source codec in this libav build.
    case decoderUnavailable(codec: String)
    /// No encoder for the requested format in this libav build.
    case encoderUnavailable(name: String)
    /// The source's data is damaged: a decoder or demuxer rejected it part-way.
    case corruptInput(path: String, reason: String)
    /// The source ends before the length its own header declares.
    case truncatedInput(path: String, decodedSecs: Double, declaredSecs: Double)
    /// The output could not be written (permissions, a muxer refusal, an I/O error).
    case writeFailed(path: String, reason: String)
    /// The file system of the output is full (ENOSPC) or over its quota (EDQUOT).
    case diskFull(path: String)
    /// The written file does not match what was asked for.
    case validationFailed(path: String, reason: String)
    /// A request that cannot be satisfied (e.g. lossy source to lossless target, an empty range).
    case invalidRequest(String)
    /// A CUE sheet that cannot be used.
    case invalidCueSheet(String)
    /// The caller cancelled the work.
    case cancelled
    /// The caller asked for no new track (a pause) before this one started.
    case notStarted
    /// A cover that cannot be turned into the format the destination's extension names.
    case imageConversion(String)

    public var description: String {
        switch self {
        case .unreadable(let path, let reason): "cannot read audio file '\(path)': \(reason)"
        case .noAudioStream(let path): "'\(path)' contains no audio stream"
        case .decoderUnavailable(let codec): "no decoder for codec '\(codec)' in this libav build"
        case .encoderUnavailable(let name): "encoder '\(name)' is not available in this libav build"
        case .corruptInput(let path, let reason): "corrupt audio in '\(path)': \(reason)"
        case .imageConversion(let reason): "cannot convert the cover image: \(reason)"
        case .truncatedInput(let path, let decoded, let declared):
            "truncated audio in '\(path)': decoded \(Self.secs(decoded)) of the \(Self.secs(declared)) its header declares"
        case .writeFailed(let path, let reason): "cannot write '\(path)': \(reason)"
        case .diskFull(let path): "cannot write '\(path)': no space left on its file system"
        case .validationFailed(let path, let reason): "output '\(path)' failed validation: \(reason)"
        case .invalidRequest(let reason): "invalid conversion request: \(reason)"
        case .invalidCueSheet(let reason): "invalid CUE sheet: \(reason)"
        case .cancelled: "conversion cancelled"
        case .notStarted: "conversion not started (paused)"
        }
    }

    /// Whether the source itself is bad (so retrying the same file cannot help).
    public var isSourceDefect: Bool {
        switch self {
        case .unreadable, .noAudioStream, .corruptInput, .truncatedInput, .invalidCueSheet: true
        default: false
        }
    }

    private static func secs(_ value: Double) -> String { String(format: "%.2f s", value) }
}

extension AudioError {
    /// A failed file-system call from its errno: ENOSPC and EDQUOT become ``diskFull``, the rest
    /// ``writeFailed`` with the system's text.
    static func fileSystem(_ path: String, errno code: Int32) -> AudioError {
        if code == ENOSPC || code == EDQUOT { return .diskFull(path: path) }
        return .writeFailed(path: path, reason: String(cString: strerror(code)))
    }
}
