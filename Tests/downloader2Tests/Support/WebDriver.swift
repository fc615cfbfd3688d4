import Foundation
import Search
import Tickets

/// A W3C WebDriver client over chromedriver's HTTP API, enough to drive the admin page in Debian's
/// headless chromium: navigate, find by CSS, click, type, read text, take screenshots.
struct WebDriver: Sendable {
    let base: String
    let sessionId: String
    static let elementKey = "element-6066-11e4-a52e-4f735466cecf"

    struct Failure: Error, CustomStringConvertible { let description: String }

    /// Over the project's own libcurl fetcher (Foundation's URLSession fails on chromedriver's answers here).
    private static func send(_ method: String, _ url: String, _ body: JSONValue? = nil) async throws -> JSONValue {
        let fetcher = HTTPFetcher(connectTimeout: 10, totalTimeout: 60, maxBytes: 64 << 20)
        let data: Data
        do {
            switch method {
            case "GET":
                guard case .body(let bytes, _, _, _) = try await fetcher.get(url) else { throw Failure(description: "GET \(url): a redirect") }
                data = bytes
            default:
                data = try await fetcher.post(url, headers: ["Content-Type: application/json"], body: try JSONEncoder().encode(body ?? .object([:])))
            }
        } catch let error as FetchError {
            throw Failure(description: "\(method) \(url): \(error)")
        }
        return (try JSONValue(json: data))["value"] ?? .null
    }

    /// Opens a headless chromium session (no sandbox: the tests run as root).
    static func start(driverPort: Int, width: Int = 1200, height: Int = 900) async throws -> WebDriver {
        try SystemTests.launching("chromedriver")
        let base = "http://127.0.0.1:\(driverPort)"
        let capabilities: JSONValue = .object([
            "capabilities": .object([
                "alwaysMatch": .object([
                    "browserName": .string("chrome"),
                    "goog:chromeOptions": .object([
                        "binary": .string("/usr/bin/chromium"),
                        "args": .array(
                            ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=\(width),\(height)"].map {
                                .string($0)
                            }),
                    ]),
                ])
            ])
        ])
        let value = try await send("POST", base + "/session", capabilities)
        guard let id = value["sessionId"]?.stringValue else { throw Failure(description: "no session id in \(value)") }
        return WebDriver(base: base, sessionId: id)
    }

    private var session: String { "\(base)/session/\(sessionId)" }

    /// Ends the session, which closes the browser: chromedriver stopped alone leaves chromium and its
    /// helpers running (a fresh-clone `make test` left 30 of them behind). DELETE through Debian's curl,
    /// since the project's fetcher speaks only GET and POST.
    func quit() {
        let curl = Process()
        curl.executableURL = URL(fileURLWithPath: "/usr/bin/curl")
        curl.arguments = ["-s", "-m", "10", "-X", "DELETE", session]
        curl.standardOutput = FileHandle(forWritingAtPath: "/dev/null")
        curl.standardError = FileHandle(forWritingAtPath: "/dev/null")
        guard (try? curl.run()) != nil else { return }
        curl.waitUntilExit()
    }

    func open(_ url: String) async throws { _ = try await Self.send("POST", session + "/url", .object(["url": .string(url)])) }

    func setWindow(width: Int, height: Int) async throws {
        _ = try await Self.send("POST", session + "/window/rect", .object(["width": .number(Double(width)), "height": .number(Double(height))]))
    }

    /// Every element matching `css`, as WebDriver element ids.
    func all(_ css: String) async throws -> [String] {
        let value = try await Self.send("POST", session + "/elements", .object(["using": .string("css selector"), "value": .string(css)]))
        guard case .array(let items) = value else { return [] }
        return items.compactMap { $0[Self.elementKey]?.stringValue }
    }

    /// Waits up to `seconds` for an element matching `css` (whose text contains `text`, if given).
    func wait(for css: String, containing text: String? = nil, seconds: Double = 20) async throws -> String {
        let deadline = Date().addingTimeInterval(seconds)
        repeat {
            for element in try await all(css) {
                guard let text else { return element }
                // The page re-renders as events arrive: an element gone meanwhile is looked up again.
                if let found = try? await self.text(element), found.contains(text) { return element }
            }
            // The poll interval of a wait for an element (bounded by `seconds`).
            try await Task.sleep(for: .milliseconds(100))
        } while Date() < deadline
        throw Failure(description: "no element '\(css)'" + (text.map { " containing '\($0)'" } ?? "") + " within \(seconds) s")
    }

    func clickElement(_ element: String) async throws { _ = try await Self.send("POST", "\(session)/element/\(element)/click", .object([:])) }

    /// Finds and clicks in one go, again if the page re-rendered the element in between.
    func click(_ css: String, containing text: String? = nil) async throws {
        for attempt in 1...5 {
            do {
                try await clickElement(try await wait(for: css, containing: text))
                return
            } catch let failure as Failure where failure.description.contains("stale element") && attempt < 5 {
                // A retry interval after the page re-rendered under the click (bounded: 5 tries).
                try await Task.sleep(for: .milliseconds(100))
            }
        }
    }

    func clear(_ element: String) async throws { _ = try await Self.send("POST", "\(session)/element/\(element)/clear", .object([:])) }

    func type(_ text: String, into element: String) async throws {
        _ = try await Self.send("POST", "\(session)/element/\(element)/value", .object(["text": .string(text)]))
    }

    func text(_ element: String) async throws -> String {
        try await Self.send("GET", "\(session)/element/\(element)/text").stringValue ?? ""
    }

    func script(_ source: String) async throws -> JSONValue {
        try await Self.send("POST", session + "/execute/sync", .object(["script": .string(source), "args": .array([])]))
    }

    /// A PNG of the viewport, written to `path`.
    func screenshot(to path: String) async throws {
        guard let base64 = try await Self.send("GET", session + "/screenshot").stringValue, let png = Data(base64Encoded: base64) else {
            throw Failure(description: "no screenshot")
        }
        try png.write(to: URL(fileURLWithPath: path))
    }
}
