import Foundation
import PackagePlugin

/// Embeds a target's text files into its code at build time: every file under the target's
/// `Embedded/` folder becomes a `String` constant of `EmbeddedText`, named after the file
/// (`openapi.json` → `openapi_json`). Nothing is read from disk at run time.
@main
struct EmbedTextPlugin: BuildToolPlugin {
    func createBuildCommands(context: PluginContext, target: any Target) throws -> [Command] {
        guard let module = target as? SourceModuleTarget else { return [] }
        let files = module.sourceFiles
            .map(\.url)
            .filter { $0.deletingLastPathComponent().lastPathComponent == "Embedded" }
            .sorted { $0.path < $1.path }
        guard !files.isEmpty else { return [] }
        let output = context.pluginWorkDirectoryURL.appending(path: "EmbeddedText.swift")
        let names = files.map { url in
            String(url.lastPathComponent.map { $0.isLetter || $0.isNumber ? $0 : "_" })
        }
        return [
            .buildCommand(
                displayName: "Embedding \(files.map(\.lastPathComponent).joined(separator: ", ")) in \(target.name)",
                executable: try context.tool(named: "embed-text").url,
                arguments: [output.path] + zip(names, files).map { "\($0)=\($1.path)" },
                inputFiles: files,
                outputFiles: [output])
        ]
    }
}
