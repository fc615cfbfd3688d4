import Foundation
import Placement
import Testing

@Suite("SHA-256 hashing")
struct HashingTests {
    let dir = TemporaryDirectory("downloader2-hash")

    func write(_ name: String, _ data: Data) -> String {
        let path = dir.file(name)
        #expect(FileManager.default.createFile(atPath: path, contents: data))
        return path
    }

    @Test("known vectors: empty input and \"abc\"")
    func knownVectors() throws {
        let hasher = SHA256Hasher()
        #expect(
            try hasher.hashFile(atPath: write("empty", Data()))
                == FileDigest(sha256: "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", size: 0))
        #expect(
            try hasher.hashFile(atPath: write("abc", Data("abc".utf8))).sha256 == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(try hasher.hash(Data("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test("a multi-buffer file hashes as openssl dgst says, whatever the buffer size", .system)
    func matchesOpenSSL() throws {
        var generator = SplitMix64(seed: 42)
        let bytes = (0..<(3_000_003 / 8 + 1)).flatMap { _ in withUnsafeBytes(of: generator.next()) { Array($0) } }.prefix(3_000_003)
        let path = write("big", Data(bytes))
        let reference = String(decoding: try ExternalTool.run("openssl", ["dgst", "-sha256", "-r", path]).stdout, as: UTF8.self).prefix(64)
        #expect(reference.count == 64)
        for size in [4096, 65536, 1 << 20, 4 << 20] {
            let digest = try SHA256Hasher(bufferSize: size).hashFile(atPath: path)
            #expect(digest.sha256 == String(reference), "buffer \(size)")
            #expect(digest.size == 3_000_003)
        }
    }

    @Test("a missing file or a directory is an error naming the path")
    func errors() throws {
        let hasher = SHA256Hasher()
        #expect(throws: PlacementError.self) { try hasher.hashFile(atPath: dir.file("missing")) }
        do {
            _ = try hasher.hashFile(atPath: dir.path)
            Issue.record("a directory has no content to hash")
        } catch {
            #expect(error.description.contains(dir.path))
        }
    }

    @Test("many files in parallel: one result per file, in order, errors in place")
    func parallel() async throws {
        let paths = (0..<12).map { write("f\($0)", Data(repeating: UInt8($0), count: 100_000 + $0)) } + [dir.file("absent")]
        let results = await ParallelHasher(width: 2).hash(paths)
        #expect(results.count == 13)
        let hasher = SHA256Hasher()
        for (path, result) in zip(paths.prefix(12), results) {
            #expect(try result.get() == hasher.hashFile(atPath: path))
        }
        guard case .failure(let error) = results[12] else { Issue.record("absent file hashed"); return }
        #expect(error.code == "io_error" && error.description.contains("absent"))
    }
}
