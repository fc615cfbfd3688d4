import Foundation
import Testing

/// A tmpfs of a given size mounted at a folder of the test's, for full-disk, read-only and
/// cross-device scenarios. Tests need root for it (CI runs as root); where mounting is impossible
/// the test fails with the reason, it never passes without having run its scenario.
final class SmallFileSystem: @unchecked Sendable {
    // @unchecked: immutable after init; deinit only unmounts.
    let path: String

    /// Mounts it, or records why it cannot and throws (the test stops there, failed). With `ext4`,
    /// an ext4 image of that size on a loop device instead (a filesystem that takes O_DIRECT, which
    /// tmpfs refuses); `size` is then in MiB.
    init(at path: String, size: String, ext4: Bool = false) throws {
        try SystemTests.launching("mount")
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        var (status, message) = (Int32(0), "")
        if ext4 {
            let image = path + ".img"
            (status, message) = Self.run("/usr/bin/truncate", ["-s", "\(size)M", image])
            if status == 0 { (status, message) = Self.run("/sbin/mkfs.ext4", ["-q", "-F", image]) }
            if status == 0 { (status, message) = Self.run("mount", ["-o", "loop", image, path]) }
        } else {
            (status, message) = Self.run("mount", ["-t", "tmpfs", "-o", "size=\(size)", "tmpfs", path])
        }
        guard status == 0 else {
            Issue.record(
                "cannot mount a \(size) \(ext4 ? "MiB ext4 image" : "tmpfs") at \(path) (exited \(status): \(message)); this scenario needs root, as CI runs"
            )
            throw CancellationError()
        }
        self.path = path
    }

    /// `source` bound at `path` (`mount --bind`): the same file system through a second mount.
    init(binding source: String, at path: String) throws {
        try SystemTests.launching("mount")
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        let (status, message) = Self.run("mount", ["--bind", source, path])
        guard status == 0 else {
            Issue.record("cannot bind \(source) at \(path) (exited \(status): \(message)); this scenario needs root, as CI runs")
            throw CancellationError()
        }
        self.path = path
    }

    /// Remounts it read-only (EROFS for every write, even root's).
    func makeReadOnly() -> Bool { Self.run("mount", ["-o", "remount,ro", path]).status == 0 }

    deinit { _ = Self.run("umount", ["-l", path]) }

    private static func run(_ tool: String, _ arguments: [String]) -> (status: Int32, message: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool.hasPrefix("/") ? tool : "/bin/\(tool)")
        process.arguments = arguments
        let pipe = Pipe()
        process.standardError = pipe
        process.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
        do { try process.run() } catch { return (-1, "\(error)") }
        process.waitUntilExit()
        let message = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        return (process.terminationStatus, message.trimmingCharacters(in: .whitespacesAndNewlines))
    }
}
