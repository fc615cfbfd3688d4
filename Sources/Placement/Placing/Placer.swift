import Foundation
import Tickets

/// Puts finished files at their `dest_path`: never half-written, never outside the media roots.
///
/// A file is written under a temporary name in the destination directory, fsynced, renamed onto
/// `dest_path` (atomic within a file system) and the directory fsynced. Across file systems the
/// copy is read back and its SHA-256 compared before the source is removed.
public struct Placer: Sendable {
    public struct Options: Sendable, Equatable {
        /// Replace a different existing file (atomically) instead of refusing.
        public var overwrite = false
        public var directoryMode: mode_t = 0o755
        public var fileMode: mode_t = 0o644
        /// Owner for placed files and created directories (NAS shares); nil keeps the process's.
        public var owner: (uid: uid_t, gid: gid_t)?

        public init(overwrite: Bool = false, directoryMode: mode_t = 0o755, fileMode: mode_t = 0o644, owner: (uid: uid_t, gid: gid_t)? = nil) {
            self.overwrite = overwrite
            self.directoryMode = directoryMode
            self.fileMode = fileMode
            self.owner = owner
        }

        public static func == (a: Options, b: Options) -> Bool {
            a.overwrite == b.overwrite && a.directoryMode == b.directoryMode && a.fileMode == b.fileMode
                && a.owner?.uid == b.owner?.uid && a.owner?.gid == b.owner?.gid
        }
    }

    /// What placing one file did.
    public enum Outcome: String, Sendable, Codable {
        /// The destination did not exist.
        case placed
        /// An identical file was already there; nothing was written.
        case alreadyPresent = "already_present"
        /// A different file was there and `overwrite` replaced it.
        case replaced
    }

    public struct PlacedFile: Sendable, Equatable {
        public var path: String
        public var digest: FileDigest
        public var outcome: Outcome
    }

    public let mediaRoots: MediaRoots
    public let options: Options

    public init(mediaRoots: MediaRoots, options: Options = Options()) {
        self.mediaRoots = mediaRoots
        self.options = options
    }

    /// Places `source` at `destination`; with `moveSource` the source is gone afterwards (it is
    /// kept on any failure). Nothing is written when the destination is outside the media roots.
    public func place(_ source: String, at destination: String, moveSource: Bool) throws(PlacementError) -> PlacedFile {
        let target = try resolve(destination)
        let hasher = SHA256Hasher()
        let digest = try hasher.hashFile(atPath: source)
        try makeDirectories(for: target)
        // The directories exist now: resolve again, so a link swapped in meanwhile cannot redirect the write.
        guard try resolve(destination) == target else {
            throw .outsideMediaRoots(path: destination, reason: "the destination changed while its directories were created")
        }

        var outcome = Outcome.placed
        if FileManager.default.fileExists(atPath: target) {
            let existing = try hasher.hashFile(atPath: target)
            if existing == digest {
                if moveSource { try? removeFile(source) }
                return PlacedFile(path: target, digest: digest, outcome: .alreadyPresent)
            }
            guard options.overwrite else {
                throw .destinationExists(path: target, existingSHA256: existing.sha256, newSHA256: digest.sha256)
            }
            outcome = .replaced
        }

        let directory = (target as NSString).deletingLastPathComponent
        var moved = false
        if moveSource, try sameFileSystem(source, directory) {
            try syncFile(source)
            try applyOwnership(source)
            // One file system seen through two mounts (a container's volumes, bind mounts) refuses
            // the rename with EXDEV: the file is copied and verified then, as across file systems.
            moved = try renameWithinMount(source, target)
        }
        if !moved {
            let temporary = (directory as NSString).appendingPathComponent(
                ".\((target as NSString).lastPathComponent).d2tmp-\(UUID().uuidString.prefix(8))")
            do throws(PlacementError) {
                try copy(source, to: temporary)
                let copied = try hasher.hashFile(atPath: temporary)
                guard copied == digest else { throw .verificationFailed(path: temporary, expected: digest.sha256, found: copied.sha256) }
                try applyOwnership(temporary)
                try rename(temporary, target)
            } catch {
                try? removeFile(temporary)
                throw error
            }
            if moveSource { try? removeFile(source) }
        }
        try syncDirectory(directory)
        return PlacedFile(path: target, digest: digest, outcome: outcome)
    }

    /// The resolved destination, or a refusal before anything is written.
    public func resolve(_ destination: String) throws(PlacementError) -> String {
        do {
            return try mediaRoots.resolveInside(destination)
        } catch {
            throw .outsideMediaRoots(path: destination, reason: error.description)
        }
    }
}
