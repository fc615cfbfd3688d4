import Foundation
import PackagePlugin

/// Keeps the C boundary at build time: a Swift file that imports one of the package's C modules
/// (its system libraries and C/C++ shims) fails the build unless it is one of the files that wrap
/// that library and imports it `internal` or `private`. docs/ARCHITECTURE.md, "The C boundary".
///
/// The check runs as a build command over the target's Swift files; its output is an empty Swift
/// file compiled into the target, which is what makes the build run it (and fail with it).
@main
struct CBoundaryPlugin: BuildToolPlugin {
    /// The files allowed to import a C module, as paths from the package's root: the `Native/`
    /// folders of Torrent and Audio, and the one file that wraps libcurl, libcrypto or a digest.
    static let wrappers = [
        "Sources/Audio/Native/", "Sources/Torrent/Native/",
        "Sources/Search/Fetch/HTTPFetcher.swift", "Sources/Search/HTTPLibraryInfo.swift",
        "Sources/Basics/Digests.swift", "Sources/Basics/SafeName.swift",
        "Sources/Placement/Hashing/SHA256Hasher.swift",
    ]

    func createBuildCommands(context: PluginContext, target: any Target) throws -> [Command] {
        guard let module = target as? SwiftSourceModuleTarget else { return [] }
        let cModules = context.package.targets.filter { $0 is SystemLibraryTarget || $0 is ClangSourceModuleTarget }.map(\.name)
        let files = module.sourceFiles(withSuffix: "swift").map(\.url).sorted { $0.path < $1.path }
        guard !files.isEmpty else { return [] }
        let output = context.pluginWorkDirectoryURL.appending(path: "CBoundaryChecked.swift")
        let root = context.package.directoryURL.path
        return [
            .buildCommand(
                displayName: "Checking the C boundary of \(target.name)",
                executable: try context.tool(named: "check-c-boundary").url,
                arguments: ["--root", root, "--output", output.path]
                    + cModules.flatMap { ["--module", $0] } + Self.wrappers.flatMap { ["--wrapper", $0] } + files.map(\.path),
                inputFiles: files,
                outputFiles: [output])
        ]
    }
}
