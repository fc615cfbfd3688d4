import Foundation

/// The directories under which tickets may place files.
///
/// Containment is decided on resolved paths: `..` is refused outright and symbolic links in the
/// existing part of a path are followed, so a link pointing out of a root cannot smuggle a file out.
/// This is the one read-only look at the filesystem the `Tickets` module makes.
public struct MediaRoots: Sendable, Equatable {
    /// Each root, absolute and with its symbolic links resolved.
    public let resolvedRoots: [String]

    public init(_ roots: [String]) {
        resolvedRoots = roots.map { Self.resolveExistingPrefix(of: ($0 as NSString).standardizingPath) }
    }

    /// Why a path cannot be used as a destination.
    public struct Refusal: Error, Sendable, CustomStringConvertible {
        public let description: String
    }

    /// The resolved form of `path` if it lies strictly inside a root, else a refusal naming why.
    public func resolveInside(_ path: String) throws(Refusal) -> String {
        guard path.hasPrefix("/") else { throw Refusal(description: "'\(path)' is not an absolute path") }
        let components = path.split(separator: "/", omittingEmptySubsequences: true)
        guard !components.contains("..") else { throw Refusal(description: "'\(path)' contains '..'") }
        guard !path.hasSuffix("/"), let last = components.last, last != "." else {
            throw Refusal(description: "'\(path)' names a directory, not a file")
        }
        guard !path.contains("\0") else { throw Refusal(description: "path contains a NUL byte") }
        guard !resolvedRoots.isEmpty else { throw Refusal(description: "no [placer] media_roots are configured") }
        // Absolute and free of `..`, so removing empty and `.` components is all the standardising
        // left to do; the links are resolved below, on the filesystem.
        let resolved = Self.resolveExistingPrefix(of: components.filter { $0 != "." }.map(String.init))
        guard resolvedRoots.contains(where: { resolved.hasPrefix($0 == "/" ? "/" : $0 + "/") && resolved != $0 }) else {
            throw Refusal(description: "'\(path)' resolves to '\(resolved)', outside the media roots \(resolvedRoots)")
        }
        return resolved
    }

    /// Resolves symbolic links in the longest existing prefix of `path` and appends the rest unchanged.
    static func resolveExistingPrefix(of path: String) -> String {
        resolveExistingPrefix(of: path.split(separator: "/", omittingEmptySubsequences: true).map(String.init))
    }

    /// The same for an absolute path given as its components: the longest prefix that `realpath`
    /// resolves, then the components past it as they are.
    static func resolveExistingPrefix(of components: [String]) -> String {
        var count = components.count
        while count > 0 {
            if let real = realpath("/" + components[..<count].joined(separator: "/"), nil) {
                defer { free(real) }
                let base = String(cString: real)
                guard count < components.count else { return base }
                return (base == "/" ? "" : base) + "/" + components[count...].joined(separator: "/")
            }
            count -= 1
        }
        return "/" + components.joined(separator: "/")
    }
}
