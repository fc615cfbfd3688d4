import Basics
import Foundation
import Synchronization
import Placement
import Testing
import Tickets

@Suite("Placement on real files")
struct PlacerTests {
    let dir = TemporaryDirectory("downloader2-place")
    var root: String { dir.file("media") }
    var placer: Placer { Placer(mediaRoots: MediaRoots([root])) }

    init() throws {
        try FileManager.default.createDirectory(atPath: dir.file("media"), withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: dir.file("work"), withIntermediateDirectories: true)
    }

    func source(_ name: String, _ content: String) -> String {
        let path = dir.file("work/\(name)")
        #expect(FileManager.default.createFile(atPath: path, contents: Data(content.utf8)))
        return path
    }

    func read(_ path: String) -> String? { FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) } }

    func mode(_ path: String) -> Int { ((try? FileManager.default.attributesOfItem(atPath: path)[.posixPermissions]) as? Int) ?? -1 }

    @Test("a move creates the directories, lands the file with its mode, and removes the source")
    func moveIntoNewDirectories() throws {
        let src = source("a.ogg", "track one")
        let placed = try placer.place(src, at: root + "/artist/album/d1t01.ogg", moveSource: true)
        #expect(placed.outcome == .placed && placed.path == root + "/artist/album/d1t01.ogg")
        #expect(read(placed.path) == "track one")
        #expect(!FileManager.default.fileExists(atPath: src))
        #expect(mode(placed.path) == 0o644 && mode(root + "/artist/album") == 0o755)
        #expect(placed.digest == FileDigest(sha256: try SHA256Hasher().hash(Data("track one".utf8)), size: 9))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: root + "/artist/album")
        #expect(leftovers == ["d1t01.ogg"])
    }

    @Test("a copy keeps the source")
    func copyKeepsSource() throws {
        let src = source("b.ogg", "keep me")
        _ = try placer.place(src, at: root + "/b.ogg", moveSource: false)
        #expect(read(src) == "keep me" && read(root + "/b.ogg") == "keep me")
    }

    @Test("an identical file already there is left alone; a different one is refused, or replaced with overwrite")
    func existingDestination() throws {
        let target = root + "/x.ogg"
        _ = try placer.place(source("1", "same"), at: target, moveSource: true)
        let inode = try FileManager.default.attributesOfItem(atPath: target)[.systemFileNumber] as? Int
        let again = try placer.place(source("2", "same"), at: target, moveSource: true)
        #expect(again.outcome == .alreadyPresent)
        #expect(try FileManager.default.attributesOfItem(atPath: target)[.systemFileNumber] as? Int == inode)

        let different = source("3", "other content")
        do {
            _ = try placer.place(different, at: target, moveSource: true)
            Issue.record("a different file must not be overwritten by default")
        } catch {
            guard case .destinationExists = error else { Issue.record("\(error)"); return }
            #expect(error.description.contains("overwrite = true") && !error.isRetryable)
        }
        #expect(read(target) == "same" && read(different) == "other content")

        let replacing = Placer(mediaRoots: MediaRoots([root]), options: .init(overwrite: true))
        #expect(try replacing.place(different, at: target, moveSource: true).outcome == .replaced)
        #expect(read(target) == "other content")
    }

    @Test("escapes are refused before a byte is written: '..', elsewhere, a symlink out of the root")
    func escapesAreRefused() throws {
        let outside = dir.file("outside")
        try FileManager.default.createDirectory(atPath: outside, withIntermediateDirectories: true)
        try FileManager.default.createSymbolicLink(atPath: root + "/link", withDestinationPath: outside)
        for destination in [root + "/../outside/a.ogg", outside + "/a.ogg", root + "/link/a.ogg", root + "/link/deeper/a.ogg", "relative.ogg"] {
            let src = source("esc", "payload")
            do {
                _ = try placer.place(src, at: destination, moveSource: true)
                Issue.record("\(destination) was accepted")
            } catch {
                guard case .outsideMediaRoots = error else { Issue.record("\(destination): \(error)"); continue }
                #expect(error.code == "invalid_destination")
            }
            #expect(read(src) == "payload", "the source stays when placement is refused")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: outside).isEmpty)
    }

    @Test("across file systems the copy is verified and the source removed", .system)
    func crossDevice() throws {
        // The source on a tmpfs of its own: certainly another device than the media root.
        let other = try SmallFileSystem(at: dir.file("other-device"), size: "8m")
        defer { withExtendedLifetime(other) {} }
        var a = stat(), b = stat()
        #expect(stat(other.path, &a) == 0 && stat(root, &b) == 0 && a.st_dev != b.st_dev, "two devices")
        let src = other.path + "/downloader2-\(UUID().uuidString).ogg"
        let content = String(repeating: "cross device ", count: 200_000)
        #expect(FileManager.default.createFile(atPath: src, contents: Data(content.utf8)))
        defer { try? FileManager.default.removeItem(atPath: src) }
        let placed = try placer.place(src, at: root + "/cross/t.ogg", moveSource: true)
        #expect(placed.outcome == .placed && read(placed.path) == content)
        #expect(!FileManager.default.fileExists(atPath: src))
        #expect(try FileManager.default.contentsOfDirectory(atPath: root + "/cross") == ["t.ogg"])
    }

    @Test("one file system through two mounts (container volumes): the rename's EXDEV becomes a verified copy", .system)
    func crossMountSameDevice() async throws {
        // The media root bound onto a second folder: the same device, another mount, as a container's volumes are.
        try FileManager.default.createDirectory(atPath: dir.file("volume"), withIntermediateDirectories: true)
        let volume = try SmallFileSystem(binding: root, at: dir.file("volume"))
        defer { withExtendedLifetime(volume) {} }
        var a = stat(), b = stat()
        #expect(stat(dir.file("work"), &a) == 0 && stat(volume.path, &b) == 0 && a.st_dev == b.st_dev, "one device")
        let work = try #require(Mounts.mountID(of: dir.file("work")))
        let bound = try #require(Mounts.mountID(of: volume.path))
        #expect(work != bound, "two mounts")
        #expect(Mounts.mountID(of: root) == work, "the media root itself is on the work folder's mount")

        let src = source("v.ogg", "through a volume")
        let placed = try Placer(mediaRoots: MediaRoots([volume.path])).place(src, at: volume.path + "/a/v.ogg", moveSource: true)
        #expect(placed.outcome == .placed && read(placed.path) == "through a volume")
        #expect(!FileManager.default.fileExists(atPath: src), "the source is removed after the copy")
        #expect(try FileManager.default.contentsOfDirectory(atPath: volume.path + "/a") == ["v.ogg"], "no temporary file left")
        #expect(read(root + "/a/v.ogg") == "through a volume", "seen through the other mount too")
    }

    @Test("mountinfo: the nearest mount point above a path wins, the later of stacked ones, escaped names read")
    func mountTable() throws {
        // The table is the test's; the paths exist (realpath needs them), under a folder of the test's.
        let temporary = TemporaryDirectory("mounts")
        let base = try #require(
            realpath(temporary.path, nil).map { path in
                defer { free(path) }
                return String(cString: path)
            })
        for folder in ["my music/sub", "other", "my musicx"] {
            try FileManager.default.createDirectory(atPath: base + "/" + folder, withIntermediateDirectories: true)
        }
        let table = """
            21 1 254:0 / / rw,relatime - ext4 /dev/vda rw
            30 21 0:40 / \(base) rw - tmpfs tmpfs rw
            31 30 254:0 /data \(base)/my\\040music rw - ext4 /dev/vda rw
            32 30 254:0 /other \(base)/my\\040music rw - ext4 /dev/vda rw
            """
        #expect(Mounts.mountID(of: base + "/my music/sub", table: table) == 32, "the later of two mounts stacked on one point")
        #expect(Mounts.mountID(of: base + "/my music", table: table) == 32)
        #expect(Mounts.mountID(of: base + "/my musicx", table: table) == 30, "a name that only begins like a mount point is not under it")
        #expect(Mounts.mountID(of: base + "/other", table: table) == 30)
        #expect(Mounts.mountID(of: "/", table: table) == 21)
        #expect(Mounts.mountID(of: base + "/missing", table: table) == nil)
    }

    @Test("a reader never sees a half-written file while placements replace it")
    func atomicReplaceUnderConcurrentReader() async throws {
        let target = root + "/busy.flac"
        let versions = [String(repeating: "A", count: 3_000_000), String(repeating: "B", count: 2_000_000)]
        let hasher = SHA256Hasher()
        let allowed = Set(try versions.map { try hasher.hash(Data($0.utf8)) })
        _ = try placer.place(source("v0", versions[0]), at: target, moveSource: true)
        let replacing = Placer(mediaRoots: MediaRoots([root]), options: .init(overwrite: true))
        let done = ManagedFlag()
        let readCount = Mutex(0)
        let reader = Task.detached { () -> (reads: Int, torn: Int) in
            let hasher = SHA256Hasher()
            var reads = 0, torn = 0
            while !done.isSet {
                if let data = FileManager.default.contents(atPath: target) {
                    reads += 1
                    readCount.withLock { $0 = reads }
                    if !allowed.contains(try hasher.hash(data)) { torn += 1 }
                }
            }
            return (reads, torn)
        }
        // Replace while the reader is reading: from its first read until it has made 20, at least 30 times.
        #expect(await eventually(within: 60) { readCount.withLock { $0 } > 0 })
        var round = 0
        while round < 30 || (readCount.withLock { $0 } < 20 && round < 3000) {
            round += 1
            _ = try replacing.place(source("v\(round)", versions[round % 2]), at: target, moveSource: round % 3 != 0)
        }
        done.set()
        let (reads, torn) = try await reader.value
        #expect(reads >= 20)
        #expect(torn == 0, "\(torn) of \(reads) reads saw a partial file")
        #expect(try FileManager.default.contentsOfDirectory(atPath: root).filter { $0.contains("d2tmp") }.isEmpty)
    }

    @Test("a full disk is a retryable disk_full error; nothing half-written, earlier files intact", .system)
    func fullDisk() throws {
        let disk = try SmallFileSystem(at: dir.file("small"), size: "1m")
        defer { withExtendedLifetime(disk) {} }
        let small = disk.path
        let placer = Placer(mediaRoots: MediaRoots([small]))
        _ = try placer.place(source("first", "small file"), at: small + "/album/01.ogg", moveSource: false)
        let big = source("big", String(repeating: "x", count: 2_000_000))
        do {
            _ = try placer.place(big, at: small + "/album/02.ogg", moveSource: true)
            Issue.record("2 MB cannot fit in 1 MiB")
        } catch {
            #expect(error.code == "disk_full" && error.isRetryable, "\(error)")
        }
        #expect(read(small + "/album/01.ogg") == "small file")
        #expect(try FileManager.default.contentsOfDirectory(atPath: small + "/album") == ["01.ogg"])
        #expect(FileManager.default.fileExists(atPath: big))
    }
}

extension PlacerTests {
    @Test("a destination that refuses writes is a permission_denied error, not retried; earlier files intact", .system)
    func permissionDenied() throws {
        let share = dir.file("share")
        try FileManager.default.createDirectory(atPath: share, withIntermediateDirectories: true)
        let placer = Placer(mediaRoots: MediaRoots([share]))
        // Root ignores file modes, so as root the share is a tmpfs remounted read-only (EROFS);
        // otherwise the album folder is made read-only (EACCES).
        let asRoot = getuid() == 0
        let disk = asRoot ? try SmallFileSystem(at: share, size: "1m") : nil
        defer { withExtendedLifetime(disk) {} }
        _ = try placer.place(source("first", "placed before"), at: share + "/album/01.ogg", moveSource: false)
        if let disk {
            #expect(disk.makeReadOnly(), "remount read-only")
            print("permission-denied placement: a read-only tmpfs (running as root)")
        } else {
            #expect(chmod(share + "/album", 0o555) == 0)
            print("permission-denied placement: a folder with mode 0555")
        }
        defer { if !asRoot { chmod(share + "/album", 0o755) } }
        let second = source("second", "refused")
        do {
            _ = try placer.place(second, at: share + "/album/02.ogg", moveSource: true)
            Issue.record("a read-only destination must refuse the file")
        } catch {
            #expect(error.code == "permission_denied" && !error.isRetryable, "\(error)")
            #expect(error.description.contains(share + "/album"), "the error names the path: \(error)")
        }
        #expect(read(share + "/album/01.ogg") == "placed before")
        #expect(try FileManager.default.contentsOfDirectory(atPath: share + "/album") == ["01.ogg"])
        #expect(FileManager.default.fileExists(atPath: second), "the source stays when placing fails")
    }
}

/// A flag set once by one task and polled by another.
final class ManagedFlag: Sendable {
    private let value = Mutex(false)
    var isSet: Bool { value.withLock { $0 } }
    func set() { value.withLock { $0 = true } }
}

@Suite("Placement options for NAS shares")
struct PlacerOptionsTests {
    let dir = TemporaryDirectory("downloader2-placeopts")

    @Test("configured modes and owner apply to placed files and created directories")
    func modesAndOwner() throws {
        let root = dir.file("media")
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        let src = dir.file("src")
        #expect(FileManager.default.createFile(atPath: src, contents: Data("x".utf8)))
        let owner = (uid: getuid(), gid: getgid())
        let placer = Placer(mediaRoots: MediaRoots([root]), options: .init(directoryMode: 0o750, fileMode: 0o640, owner: owner))
        let placed = try placer.place(src, at: root + "/share/album/t.ogg", moveSource: false)
        let file = try FileManager.default.attributesOfItem(atPath: placed.path)
        let folder = try FileManager.default.attributesOfItem(atPath: root + "/share/album")
        #expect(file[.posixPermissions] as? Int == 0o640)
        #expect(folder[.posixPermissions] as? Int == 0o750)
        #expect((file[.ownerAccountID] as? NSNumber)?.uint32Value == owner.uid)
        #expect((folder[.groupOwnerAccountID] as? NSNumber)?.uint32Value == owner.gid)
    }
}
