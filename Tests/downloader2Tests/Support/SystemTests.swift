import Foundation
import Testing

/// Unit tests need nothing but the Swift toolchain (and the libraries the package links); system
/// tests drive programs nobody here wrote — ffmpeg, mutagen, chromium, PostgreSQL, opentracker,
/// aria2c, mount. (The built `downloader2` run as a process is ours: `swift test` builds it.) `make test` sets `DOWNLOADER2_SYSTEM_TESTS=1`
/// and runs both, and there a missing program is a failure. A plain `swift test` runs the unit tests
/// and skips every suite marked `.system`, printing why.
///
/// The split is kept, not trusted: every launcher of an outside program in the test support calls
/// ``launching(_:)``, which fails a test that is not a system test when system tests are off. So a
/// `swift test` run here proves that the unit tests launch nothing.
enum SystemTests {
    static let enabled = ProcessInfo.processInfo.environment["DOWNLOADER2_SYSTEM_TESTS"] == "1"

    static let productsFolder = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().resolvingSymlinksInPath().path

    /// Called before a test starts an outside program.
    static func launching(_ program: String) throws {
        // The package's own products (the built service, the boundary check) are built by `swift test`.
        // Both sides with symlinks resolved: `.build/release` is a link to the triple's folder.
        let folder = URL(fileURLWithPath: program).deletingLastPathComponent().resolvingSymlinksInPath().path
        guard !enabled, folder != productsFolder else { return }
        Issue.record(
            "a test not marked .system launched \(program): a unit test needs nothing but the toolchain (mark its suite .system, or run `make test`)")
        throw CancellationError()
    }
}

extension Trait where Self == ConditionTrait {
    /// A suite that drives real programs: run by `make test` (DOWNLOADER2_SYSTEM_TESTS=1), skipped with
    /// this reason by a plain `swift test`.
    static var system: Self {
        .enabled(
            if: SystemTests.enabled,
            "a system test: it drives real programs (ffmpeg, chromium, PostgreSQL, the built service…); `make test` runs it with DOWNLOADER2_SYSTEM_TESTS=1"
        )
    }
}
