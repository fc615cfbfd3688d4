import Benchmark
import Crypto
import Foundation
import Placement

/// SHA-256 of a 64 MiB file in the page cache: our OpenSSL EVP hasher beside swift-crypto's
/// SHA256 (BoringSSL) reading the same file with the same 1 MiB buffer. The faster one is what
/// `Placement` uses; `make bench-hash` adds openssl dgst and sha256sum on 1 GiB.
let benchmarks: @Sendable () -> Void = {
    let path = NSTemporaryDirectory() + "downloader2-hash-bench-\(getpid()).bin"
    let size = 64 << 20
    if !FileManager.default.fileExists(atPath: path) {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<(size / 8)).flatMap { _ in withUnsafeBytes(of: generator.next()) { Array($0) } }
        FileManager.default.createFile(atPath: path, contents: Data(bytes))
    }
    let configuration = Benchmark.Configuration(metrics: [.wallClock, .throughput], scalingFactor: .one, maxDuration: .seconds(5), maxIterations: 40)

    // The read size: 1 MiB is the default; 256 KiB and 4 MiB show what the size buys.
    for (label, bytes) in [("256 KiB", 256 << 10), ("1 MiB", 1 << 20), ("4 MiB", 4 << 20)] {
        Benchmark("SHA-256 64 MiB: OpenSSL EVP (Placement.SHA256Hasher), \(label) reads", configuration: configuration) { benchmark in
            let hasher = SHA256Hasher(bufferSize: bytes)
            benchmark.startMeasurement()
            for _ in benchmark.scaledIterations { blackHole(try hasher.hashFile(atPath: path)) }
        }
    }

    Benchmark("SHA-256 64 MiB: swift-crypto SHA256 (reference)", configuration: configuration) { benchmark in
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 1 << 20, alignment: 64)
        defer { buffer.deallocate() }
        benchmark.startMeasurement()
        for _ in benchmark.scaledIterations {
            let fd = open(path, O_RDONLY)
            var hash = SHA256()
            while true {
                let n = read(fd, buffer.baseAddress, buffer.count)
                if n <= 0 { break }
                hash.update(bufferPointer: UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
            }
            close(fd)
            blackHole(hash.finalize())
        }
    }
}
