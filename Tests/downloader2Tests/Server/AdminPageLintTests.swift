import Foundation
import Testing

/// The admin page as the router serves it, checked by HTML Tidy (Debian's `tidy`, an HTML5 linter
/// nobody here wrote): no error and no warning, i.e. exit status 0 and nothing printed.
@Suite("Admin page linted as HTML", .system)
struct AdminPageLintTests {
    @Test("the page served at / passes tidy with no error and no warning")
    func servedPageIsCleanHTML() async throws {
        let harness = try APIHarness()
        let (status, body) = try await harness.raw(.get, "/")
        #expect(status == .ok)
        let page = String(decoding: body, as: UTF8.self)
        #expect(page.lowercased().hasPrefix("<!doctype html>"), "the page starts with its doctype: \(page.prefix(40))")
        let result = try Self.tidy(page)
        #expect(result.status == 0, "tidy exited \(result.status):\n\(result.messages)")
        #expect(result.messages.isEmpty, "tidy said:\n\(result.messages)")
    }

    @Test("the check can fail: a page with a misnested element and a repeated id is refused")
    func brokenPageIsRefused() throws {
        let page = """
            <!DOCTYPE html>
            <html lang="en"><head><title>x</title></head>
            <body><div><span>a</div><p id="a"></p><p id="a"></p></body></html>
            """
        let result = try Self.tidy(page)
        #expect(result.status != 0)
        #expect(result.messages.contains("missing </span>"), "\(result.messages)")
        #expect(result.messages.contains("already defined"), "\(result.messages)")
    }

    /// Runs `tidy -errors -quiet` on `page`: exit 0 is clean, 1 warnings, 2 errors; the messages go
    /// to stderr, one a line.
    static func tidy(_ page: String) throws -> (status: Int32, messages: String) {
        let dir = TemporaryDirectory("downloader2-tidy")
        let path = dir.path + "/admin.html"
        try page.write(toFile: path, atomically: true, encoding: .utf8)
        let output = try ExternalTool.outcome("tidy", ["-errors", "-quiet", path])
        return (output.status, output.stderr.trimmingCharacters(in: .whitespacesAndNewlines))
    }
}
