import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Matching
import NIOCore
import Synchronization
import Testing
import Tickets

/// The language-model second opinion against a fixture server that speaks the real request and
/// response shapes of OpenAI's chat completions and Anthropic's messages APIs, including their
/// failure modes. The first path segment picks the fixture's behaviour.
@Suite("Matching: LLM second opinion over OpenAI- and Anthropic-shaped fixture servers")
struct SecondOpinionTests {
    static let key = "sk-fixture"
    static let names = ["Airbag", "Paranoid Android", "Subterranean Homesick Alien", "Exit Music (For a Film)", "Let Down", "Karma Police"]
    let ticket = Ticket(
        ticketId: "llm", search: TicketSearch(artist: "Radiohead", album: "OK Computer", year: 1997),
        tracks: names.enumerated().map {
            TicketTrack(catalogTrackId: "t\($0.offset + 1)", trackNumber: $0.offset + 1, name: $0.element, destPath: "/m/\($0.offset).ogg")
        },
        constraints: TicketConstraints(format: .oggVorbis, bitrateKbps: 320))

    func candidate(_ title: String, folder: String, hash: String, seeders: Int) -> TorrentCandidate {
        TorrentCandidate(
            title: title, indexer: "i", infoHash: hash, sizeBytes: 400_000_000, seeders: seeders, leechers: 0,
            files: Self.names.enumerated().map {
                TorrentFileEntry(path: "\(folder)/\(String(format: "%02d", $0.offset + 1)) - \($0.element).flac", sizeBytes: 30_000_000)
            })
    }

    /// Two equally good releases: the deterministic matcher cannot choose (MultipleGoodMatches).
    var twins: [TorrentCandidate] {
        [
            candidate("Radiohead - OK Computer (1997) [FLAC / Lossless / CD]", folder: "A", hash: "aa", seeders: 21),
            candidate("Radiohead - OK Computer (1997) [FLAC / Lossless / CD]", folder: "B", hash: "bb", seeders: 20),
        ]
    }

    final class Log: Sendable {
        let requests = Mutex<[(path: String, headers: [String: String], body: JSONValue)]>([])
        var all: [(path: String, headers: [String: String], body: JSONValue)] { requests.withLock { $0 } }
    }

    static func verdict(_ choice: String, _ confidence: Double) -> String {
        #"{"choice":\#(choice),"confidence":\#(confidence),"reasoning":"B's log shows a clean rip of the 1997 CD."}"#
    }

    /// The model's JSON as each API returns it, by behaviour.
    static func answer(mode: String, anthropic: Bool) -> (HTTPResponse.Status, String) {
        let content: String
        switch mode {
        case "sure": content = verdict("1", 0.95)
        case "unsure": content = verdict("1", 0.6)
        case "none": content = verdict("null", 0.8)
        case "extra-key": content = #"{"choice":1,"confidence":0.9,"reasoning":"x","release":"B"}"#
        case "out-of-range": content = verdict("7", 0.99)
        case "string-choice": content = verdict("\"1\"", 0.99)
        case "bad-confidence": content = verdict("1", 1.7)
        case "garbage": return (.ok, "<html>502 Bad Gateway</html>")
        case "error":
            return anthropic
                ? (
                    .tooManyRequests,
                    #"{"type":"error","error":{"type":"rate_limit_error","message":"Number of requests has exceeded your rate limit"}}"#
                )
                : (.unauthorized, #"{"error":{"message":"Incorrect API key provided","type":"invalid_request_error","code":"invalid_api_key"}}"#)
        default: content = "{}"
        }
        if anthropic {
            return (
                .ok,
                #"{"id":"msg_01","type":"message","role":"assistant","model":"claude-fixture","content":[{"type":"tool_use","id":"toolu_01","name":"choose_release","input":\#(content)}],"stop_reason":"tool_use","usage":{"input_tokens":900,"output_tokens":40}}"#
            )
        }
        let escaped = String(decoding: try! JSONEncoder().encode(content), as: UTF8.self)
        return (
            .ok,
            #"{"id":"chatcmpl-1","object":"chat.completion","created":1700000000,"model":"gpt-fixture","choices":[{"index":0,"message":{"role":"assistant","content":\#(escaped),"refusal":null},"finish_reason":"stop"}],"usage":{"prompt_tokens":900,"completion_tokens":40,"total_tokens":940}}"#
        )
    }

    static func withFixture(_ body: @Sendable (String, Log) async throws -> Void) async throws {
        let log = Log()
        let router = Router()
        @Sendable func handle(_ request: Request, _ context: BasicRequestContext, anthropic: Bool) async throws -> Response {
            let mode = context.parameters.get("mode") ?? ""
            let data = try await request.body.collect(upTo: 1 << 20)
            var headers: [String: String] = [:]
            for field in request.headers { headers[field.name.canonicalName] = field.value }
            log.requests.withLock { $0.append((request.uri.path, headers, (try? JSONValue(json: Data(buffer: data))) ?? .null)) }
            // A server that answers late, on purpose (the client's timeout is under test).
            if mode == "slow" { try await Task.sleep(for: .seconds(3)) }
            let (status, text) = answer(mode: mode, anthropic: anthropic)
            return Response(status: status, headers: [.contentType: "application/json"], body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
        }
        router.post(":mode/v1/chat/completions") { try await handle($0, $1, anthropic: false) }
        router.post(":mode/v1/messages") { try await handle($0, $1, anthropic: true) }
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        try await app.test(.live) { client in try await body("http://127.0.0.1:\(client.port!)", log) }
    }

    func openAI(_ base: String, _ mode: String, timeout: Double = 60) -> SecondOpinionMatcher {
        SecondOpinionMatcher(
            scorer: CandidateScorer(),
            client: OpenAIChatClient(model: "gpt-fixture", apiKey: Self.key, baseURL: "\(base)/\(mode)/v1", timeoutSecs: timeout))
    }

    func anthropic(_ base: String, _ mode: String) -> SecondOpinionMatcher {
        SecondOpinionMatcher(
            scorer: CandidateScorer(),
            client: AnthropicMessagesClient(
                model: "claude-fixture", apiKey: Self.key, baseURL: "\(base)/\(mode)", timeoutSecs: mode == "slow" ? 20 : 60))
    }

    @Test("OpenAI shape: a sure answer for a release that maps every track approves it; the request is the real chat-completions request")
    func openAISure() async throws {
        try await Self.withFixture { base, log in
            let report = await openAI(base, "sure").match(ticket, twins)
            guard case .autoApprove(let chosen) = report.decision else {
                Issue.record("expected approval: \(String(describing: report.decision))"); return
            }
            #expect(
                chosen.torrent.infoHash == "bb" && chosen.reasoning.contains("second opinion from openai gpt-fixture: candidate 1 (confidence 0.95)"))
            let request = try #require(log.all.first)
            #expect(request.path == "/sure/v1/chat/completions")
            #expect(request.headers["authorization"] == "Bearer \(Self.key)" && request.headers["content-type"] == "application/json")
            #expect(request.body["model"]?.stringValue == "gpt-fixture")
            #expect(
                request.body["messages"]
                    == .array([
                        .object(["role": .string("system"), "content": .string(SecondOpinionMatcher.systemPrompt)]),
                        .object([
                            "role": .string("user"), "content": .string(SecondOpinionMatcher.prompt(ticket, CandidateScorer().score(ticket, twins))),
                        ]),
                    ]))
            #expect(request.body["response_format"]?["type"]?.stringValue == "json_schema")
            #expect(request.body["response_format"]?["json_schema"]?["strict"] == .bool(true))
            #expect(request.body["response_format"]?["json_schema"]?["schema"] == SecondOpinionMatcher.schema)
        }
    }

    @Test("Anthropic shape: the verdict comes as a forced tool call; an unsure answer only changes the recommendation")
    func anthropicUnsure() async throws {
        try await Self.withFixture { base, log in
            let report = await anthropic(base, "unsure").match(ticket, twins)
            guard case .needsApproval(let ranked, let recommended, .multipleGoodMatches) = report.decision else {
                Issue.record("expected approval by a person: \(String(describing: report.decision))"); return
            }
            #expect(recommended == 1 && ranked[1].torrent.infoHash == "bb")
            #expect(report.secondOpinion?.hasPrefix("anthropic claude-fixture: candidate 1 (confidence 0.60)") == true)
            let request = try #require(log.all.first)
            #expect(request.path == "/unsure/v1/messages")
            #expect(request.headers["x-api-key"] == Self.key && request.headers["anthropic-version"] == "2023-06-01")
            #expect(request.body["system"]?.stringValue == SecondOpinionMatcher.systemPrompt)
            #expect(request.body["max_tokens"]?.intValue == 1024)
            #expect(request.body["tool_choice"] == .object(["type": .string("tool"), "name": .string("choose_release")]))
            guard case .array(let tools)? = request.body["tools"] else { Issue.record("no tools"); return }
            #expect(tools.first?["input_schema"] == SecondOpinionMatcher.schema)
        }
    }

    @Test("'none of them' keeps a person deciding, and says so")
    func noneOfThem() async throws {
        try await Self.withFixture { base, _ in
            let report = await openAI(base, "none").match(ticket, twins)
            guard case .needsApproval(_, 0, _) = report.decision else { Issue.record("\(String(describing: report.decision))"); return }
            #expect(report.secondOpinion?.contains("none of them") == true)
        }
    }

    @Test(
        "any bad answer, error status or timeout leaves the deterministic result, and names the problem",
        arguments: [
            ("extra-key", "unexpected key(s): release"), ("out-of-range", "choice 7 is not one of the 2 candidates"),
            ("string-choice", "'choice' must be an integer or null"), ("bad-confidence", "outside 0…1"),
            ("garbage", "not JSON"), ("error", "HTTP 401: Incorrect API key provided"), ("slow", "did not answer within 1.0 s"),
        ])
    func failures(mode: String, problem: String) async throws {
        try await Self.withFixture { base, _ in
            let deterministic = CandidateScorer().decide(ticket, CandidateScorer().score(ticket, twins))
            // Only the slow fixture meets the 1 s timeout; the others get room on a loaded machine.
            for matcher in [openAI(base, mode, timeout: mode == "slow" ? 1 : 60), anthropic(base, mode)]
            where mode != "slow" || matcher.client is OpenAIChatClient {
                let report = await matcher.match(ticket, twins)
                #expect(report.decision == deterministic, "\(mode)")
                let said = report.secondOpinion ?? ""
                #expect(said.contains("gave no usable answer") && said.contains("deterministic result stands"), "\(said)")
                if mode == "error", matcher.client is AnthropicMessagesClient {
                    #expect(said.contains("HTTP 429: Number of requests has exceeded your rate limit"), "\(said)")
                } else {
                    #expect(said.contains(problem), "\(said)")
                }
            }
        }
    }

    @Test("a clear result asks no one")
    func clearResultAsksNoOne() async throws {
        try await Self.withFixture { base, log in
            let report = await openAI(base, "sure").match(ticket, [twins[0]])
            guard case .autoApprove = report.decision else { Issue.record("\(String(describing: report.decision))"); return }
            #expect(report.secondOpinion == nil && log.all.isEmpty)
        }
    }
}
