import Foundation

/// What hashing and placing files can fail at, classified for the Orchestrator.
public enum PlacementError: Error, Sendable, Equatable, CustomStringConvertible {
    case io(path: String, operation: String, errno: Int32)
    /// The destination file system is full: retrying later can succeed.
    case diskFull(path: String)
    case permissionDenied(path: String, operation: String)
    /// `dest_path` does not resolve inside the media roots.
    case outsideMediaRoots(path: String, reason: String)
    /// A different file is at `dest_path` and `[placer] overwrite` is off.
    case destinationExists(path: String, existingSHA256: String, newSHA256: String)
    /// A copy across file systems did not read back as written.
    case verificationFailed(path: String, expected: String, found: String)
    case crypto(String)

    public var description: String {
        switch self {
        case .io(let path, let op, let code): "\(op) \(path): \(String(cString: strerror(code)))"
        case .diskFull(let path): "no space left on the device of \(path)"
        case .permissionDenied(let path, let op): "permission denied: \(op) \(path)"
        case .outsideMediaRoots(let path, let reason): "refusing to write \(path): \(reason)"
        case .destinationExists(let path, let old, let new):
            "\(path) already exists with different content (sha256 \(old.prefix(12))… vs new \(new.prefix(12))…); set [placer] overwrite = true to replace it"
        case .verificationFailed(let path, let expected, let found):
            "\(path) reads back as sha256 \(found.prefix(12))…, expected \(expected.prefix(12))…"
        case .crypto(let message): "SHA-256: \(message)"
        }
    }

    /// A stable code for the ticket's error (`disk_full`, `permission_denied`, …).
    public var code: String {
        switch self {
        case .io: "io_error"
        case .diskFull: "disk_full"
        case .permissionDenied: "permission_denied"
        case .outsideMediaRoots: "invalid_destination"
        case .destinationExists: "destination_exists"
        case .verificationFailed: "verification_failed"
        case .crypto: "internal_error"
        }
    }

    /// Whether trying again later can help (space may be freed; I/O hiccups pass).
    public var isRetryable: Bool {
        switch self {
        case .diskFull, .io, .verificationFailed: true
        default: false
        }
    }

    /// Classifies an `errno` from `operation` on `path`.
    static func from(errno code: Int32, path: String, operation: String) -> PlacementError {
        switch code {
        case ENOSPC, EDQUOT: .diskFull(path: path)
        case EACCES, EPERM, EROFS: .permissionDenied(path: path, operation: operation)
        default: .io(path: path, operation: operation, errno: code)
        }
    }
}
