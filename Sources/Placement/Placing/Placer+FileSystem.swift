import Foundation

// The system calls placement is made of, each turning errno into a classified PlacementError.
extension Placer {
    func makeDirectories(for target: String) throws(PlacementError) {
        var missing: [String] = []
        var directory = (target as NSString).deletingLastPathComponent
        while !FileManager.default.fileExists(atPath: directory), directory != "/" {
            missing.append(directory)
            directory = (directory as NSString).deletingLastPathComponent
        }
        for path in missing.reversed() {
            if mkdir(path, options.directoryMode) != 0, errno != EEXIST {
                throw .from(errno: errno, path: path, operation: "create directory")
            }
            try applyOwnership(path)
        }
    }

    func sameFileSystem(_ a: String, _ b: String) throws(PlacementError) -> Bool {
        var sa = stat(), sb = stat()
        guard stat(a, &sa) == 0 else { throw .from(errno: errno, path: a, operation: "stat") }
        guard stat(b, &sb) == 0 else { throw .from(errno: errno, path: b, operation: "stat") }
        return sa.st_dev == sb.st_dev
    }

    /// Copies with one reused buffer into a new file of `options.fileMode`, fsynced before returning.
    func copy(_ source: String, to destination: String) throws(PlacementError) {
        let input = open(source, O_RDONLY | O_CLOEXEC)
        guard input >= 0 else { throw .from(errno: errno, path: source, operation: "open") }
        defer { close(input) }
        _ = posix_fadvise(input, 0, 0, POSIX_FADV_SEQUENTIAL)
        let output = open(destination, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, options.fileMode)
        guard output >= 0 else { throw .from(errno: errno, path: destination, operation: "create") }
        defer { close(output) }
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 64)
        defer { buffer.deallocate() }
        while true {
            let count = read(input, buffer.baseAddress, buffer.count)
            if count == 0 { break }
            if count < 0 {
                if errno == EINTR { continue }
                throw .from(errno: errno, path: source, operation: "read")
            }
            var written = 0
            while written < count {
                let n = write(output, buffer.baseAddress! + written, count - written)
                if n < 0 {
                    if errno == EINTR { continue }
                    throw .from(errno: errno, path: destination, operation: "write")
                }
                written += n
            }
        }
        _ = fchmod(output, options.fileMode)
        guard fsync(output) == 0 else { throw .from(errno: errno, path: destination, operation: "fsync") }
    }

    func syncFile(_ path: String) throws(PlacementError) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw .from(errno: errno, path: path, operation: "open") }
        defer { close(fd) }
        _ = fchmod(fd, options.fileMode)
        guard fsync(fd) == 0 else { throw .from(errno: errno, path: path, operation: "fsync") }
    }

    /// Makes a rename durable: the directory entry itself is fsynced.
    func syncDirectory(_ path: String) throws(PlacementError) {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw .from(errno: errno, path: path, operation: "open directory") }
        defer { close(fd) }
        guard fsync(fd) == 0 else { throw .from(errno: errno, path: path, operation: "fsync directory") }
    }

    func rename(_ from: String, _ to: String) throws(PlacementError) {
        guard Foundation.rename(from, to) == 0 else { throw .from(errno: errno, path: to, operation: "rename") }
    }

    /// Renames, or returns false when the two paths are on different mounts (EXDEV).
    func renameWithinMount(_ from: String, _ to: String) throws(PlacementError) -> Bool {
        if Foundation.rename(from, to) == 0 { return true }
        if errno == EXDEV { return false }
        throw .from(errno: errno, path: to, operation: "rename")
    }

    func removeFile(_ path: String) throws(PlacementError) {
        guard unlink(path) == 0 || errno == ENOENT else { throw .from(errno: errno, path: path, operation: "remove") }
    }

    func applyOwnership(_ path: String) throws(PlacementError) {
        guard let owner = options.owner else { return }
        guard chown(path, owner.uid, owner.gid) == 0 else { throw .from(errno: errno, path: path, operation: "chown") }
    }
}
