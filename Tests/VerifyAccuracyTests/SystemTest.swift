import Foundation
import Testing

extension Trait where Self == ConditionTrait {
    /// These suites make their audio with ffmpeg, lame, oggenc, opusenc, sox and fluidsynth: system
    /// tests, run by `make test` and `make verify-accuracy` (DOWNLOADER2_SYSTEM_TESTS=1) and skipped,
    /// with this reason, by a plain `swift test` on a bare toolchain.
    static var systemTest: Self {
        .enabled(
            if: ProcessInfo.processInfo.environment["DOWNLOADER2_SYSTEM_TESTS"] == "1",
            "a system test: it makes its audio with ffmpeg, lame, oggenc, opusenc, sox and fluidsynth; `make test` runs it with DOWNLOADER2_SYSTEM_TESTS=1"
        )
    }
}
