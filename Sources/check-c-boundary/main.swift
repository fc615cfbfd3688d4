import Foundation

// The build command behind the CBoundary plugin: reads a target's Swift files and fails (exit 1,
// one `file:line: error:` per finding, as a compiler would) when a C module is imported outside the
// files that wrap it, or imported with more than internal access. On success it writes the empty
// Swift file the build compiles. Arguments: --root DIR --output FILE (--module NAME)…
// (--wrapper PATH-PREFIX)… SWIFT-FILE…

var root = ""
var output = ""
var modules: Set<String> = []
var wrappers: [String] = []
var files: [String] = []
var arguments = CommandLine.arguments.dropFirst().makeIterator()
while let argument = arguments.next() {
    switch argument {
    case "--root": root = arguments.next() ?? ""
    case "--output": output = arguments.next() ?? ""
    case "--module": modules.insert(arguments.next() ?? "")
    case "--wrapper": wrappers.append(arguments.next() ?? "")
    default: files.append(argument)
    }
}
guard !output.isEmpty else {
    FileHandle.standardError.write(Data("check-c-boundary: --output is required\n".utf8))
    exit(2)
}

/// The access level and module of an import line, if it is one.
func parseImport(_ line: Substring) -> (access: String?, module: String)? {
    var words = line.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
    while let first = words.first, first.hasPrefix("@") { words.removeFirst() }  // @_implementationOnly, @preconcurrency
    var access: String?
    if let first = words.first, ["public", "package", "internal", "private", "fileprivate", "open"].contains(first) {
        access = first
        words.removeFirst()
    }
    guard words.count >= 2, words[0] == "import" else { return nil }
    // `import struct Module.Name` and `import Module.Sub` name the module first.
    let name =
        words.count >= 3 && ["struct", "class", "enum", "protocol", "typealias", "func", "var", "let"].contains(words[1]) ? words[2] : words[1]
    return (access, String(name.split(separator: ".").first ?? ""))
}

var findings: [String] = []
for file in files {
    guard let text = try? String(contentsOfFile: file, encoding: .utf8) else {
        findings.append("\(file):1: error: cannot read the file to check its imports")
        continue
    }
    let relative = file.hasPrefix(root + "/") ? String(file.dropFirst(root.count + 1)) : file
    let isWrapper = wrappers.contains { relative.hasPrefix($0) }
    for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
        let trimmed = line.drop(while: { $0 == " " || $0 == "\t" })
        guard trimmed.hasPrefix("import") || trimmed.hasPrefix("@") || trimmed.first?.isLetter == true,
            let (access, module) = parseImport(trimmed), modules.contains(module)
        else { continue }
        if !isWrapper {
            findings.append(
                "\(file):\(index + 1): error: only the code that wraps a C library imports it (Audio/Native, Torrent/Native, "
                    + "HTTPFetcher, the digest files); \(module) is imported here")
        }
        if !["internal", "private", "fileprivate"].contains(access ?? "") {
            findings.append(
                "\(file):\(index + 1): error: a C module is imported `internal import \(module)` (or private), so that no C type "
                    + "reaches a public declaration")
        }
    }
}
if !findings.isEmpty {
    FileHandle.standardError.write(Data((findings.joined(separator: "\n") + "\n").utf8))
    exit(1)
}
let stamp = "// The C boundary of this target was checked at build time (Plugins/CBoundary): \(files.count) files.\n"
do {
    let folder = (output as NSString).deletingLastPathComponent
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    try stamp.write(toFile: output, atomically: true, encoding: .utf8)
} catch {
    FileHandle.standardError.write(Data("check-c-boundary: cannot write \(output): \(error)\n".utf8))
    exit(2)
}
