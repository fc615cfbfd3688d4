import Foundation
import Testing

/// The build command behind Plugins/CBoundary, run on files made for the test: a C module imported
/// outside its wrapper, or imported public, fails it (and so the build) with the file and line; the
/// wrappers importing it internal or private pass. The plugin runs it on every target of the package
/// at every build, which is how the real sources are checked.
@Suite("The C boundary is a build rule")
struct CBoundaryTests {
    static let tool = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("check-c-boundary-tool").path

    static func check(_ files: [String: String]) throws -> (status: Int32, stderr: String, stamped: Bool) {
        let dir = TemporaryDirectory("c-boundary")
        var paths: [String] = []
        for (path, text) in files.sorted(by: { $0.key < $1.key }) {
            let full = dir.file(path)
            try FileManager.default.createDirectory(atPath: (full as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
            try text.write(toFile: full, atomically: true, encoding: .utf8)
            paths.append(full)
        }
        let stamp = dir.file("out/CBoundaryChecked.swift")
        let result = try ExternalTool.outcome(
            tool,
            [
                "--root", dir.path, "--output", stamp, "--module", "CAudio", "--module", "CCurl", "--wrapper", "Sources/Audio/Native/", "--wrapper",
                "Sources/Search/Fetch/HTTPFetcher.swift",
            ] + paths)
        return (result.status, result.stderr, FileManager.default.fileExists(atPath: stamp))
    }

    @Test("a C module imported outside its wrapper, or public, fails with file and line; internal or private imports in the wrappers pass")
    func boundary() throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.tool), "\(Self.tool) is built with the package (the CBoundary plugin's tool)")
        let good = try Self.check([
            "Sources/Audio/Native/Decoder.swift": "import Foundation\ninternal import CAudio\n",
            "Sources/Search/Fetch/HTTPFetcher.swift": "@preconcurrency private import CCurl\n",
            "Sources/Pipeline/Work.swift": "import Foundation\nimport Audio\n// import CAudio is not done here\n",
        ])
        #expect(good.status == 0 && good.stamped, "\(good.stderr)")

        let bad = try Self.check([
            "Sources/Audio/Native/Decoder.swift": "public import CAudio\n",
            "Sources/Audio/Verify/Detector.swift": "import Foundation\n\ninternal import CAudio\n",
            "Sources/Search/Query.swift": "import struct CCurl.CURLcode\n",
        ])
        #expect(bad.status == 1 && !bad.stamped)
        #expect(bad.stderr.contains("Sources/Audio/Native/Decoder.swift:1: error: a C module is imported `internal import CAudio`"), "\(bad.stderr)")
        #expect(bad.stderr.contains("Sources/Audio/Verify/Detector.swift:3: error: only the code that wraps a C library imports it"), "\(bad.stderr)")
        #expect(bad.stderr.contains("Sources/Search/Query.swift:1: error: only the code that wraps"), "\(bad.stderr)")
        #expect(!bad.stderr.contains("Decoder.swift:1: error: only the code"), "the wrapper is not told it is outside: \(bad.stderr)")
    }
}
