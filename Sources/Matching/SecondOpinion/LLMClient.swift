import Foundation
import Search
import Tickets

/// Why a language model gave no usable answer. Every case ends in the deterministic result.
public struct LLMError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// A chat model asked for one JSON object that fits `schema`; returns that object.
public protocol LLMClient: Sendable {
    /// "provider model", for the reasoning shown to a person.
    var label: String { get }
    func complete(system: String, user: String, schema: JSONValue) async throws -> JSONValue
}

/// A provider's base URL without a trailing slash, and a fetcher bounded by the answer timeout.
private func connection(_ baseURL: String, timeoutSecs: Double) -> (base: String, fetcher: HTTPFetcher) {
    (
        baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL,
        HTTPFetcher(connectTimeout: min(10, timeoutSecs), totalTimeout: timeoutSecs, maxBytes: 1 << 20)
    )
}

private func encode(_ value: JSONValue) -> Data {
    (try? JSONEncoder().encode(value)) ?? Data("{}".utf8)
}

private func decodeBody(_ data: Data, from provider: String) throws -> JSONValue {
    do { return try JSONValue(json: data) } catch {
        throw LLMError("\(provider) answered something that is not JSON: \(String(decoding: data.prefix(200), as: UTF8.self))")
    }
}

/// POST with the fetcher; HTTP errors become an `LLMError` naming the provider and, when the body
/// is the provider's error object, its message.
private func send(_ fetcher: HTTPFetcher, _ url: String, headers: [String], body: JSONValue, provider: String) async throws -> JSONValue {
    do {
        return try decodeBody(try await fetcher.post(url, headers: headers + ["Content-Type: application/json"], body: encode(body)), from: provider)
    } catch let error as FetchError {
        let answered: (status: Int, excerpt: String)? =
            switch error {
            case .httpStatus(_, let status, let excerpt), .rateLimited(_, let status, _, let excerpt): (status, excerpt)
            default: nil
            }
        if let answered, let message = (try? JSONValue(json: Data(answered.excerpt.utf8)))?["error"]?["message"]?.stringValue {
            throw LLMError("\(provider) answered HTTP \(answered.status): \(message)")
        }
        throw LLMError("\(provider): \(error)")
    }
}

/// The OpenAI chat-completions API (and the many servers that speak it), with a strict JSON
/// schema as `response_format`.
public struct OpenAIChatClient: LLMClient {
    public let model: String
    let apiKey: String
    let baseURL: String
    let fetcher: HTTPFetcher

    public init(model: String, apiKey: String, baseURL: String = "https://api.openai.com/v1", timeoutSecs: Double = 30) {
        self.model = model
        self.apiKey = apiKey
        (self.baseURL, self.fetcher) = connection(baseURL, timeoutSecs: timeoutSecs)
    }

    public var label: String { "openai \(model)" }

    public func complete(system: String, user: String, schema: JSONValue) async throws -> JSONValue {
        let body: JSONValue = .object([
            "model": .string(model),
            "temperature": .number(0),
            "messages": .array([
                .object(["role": .string("system"), "content": .string(system)]),
                .object(["role": .string("user"), "content": .string(user)]),
            ]),
            "response_format": .object([
                "type": .string("json_schema"),
                "json_schema": .object(["name": .string("release_choice"), "strict": .bool(true), "schema": schema]),
            ]),
        ])
        let answer = try await send(
            fetcher, baseURL + "/chat/completions", headers: ["Authorization: Bearer \(apiKey)"], body: body, provider: "openai")
        guard case .array(let choices)? = answer["choices"], let message = choices.first?["message"] else {
            throw LLMError("openai: the answer has no choices[0].message")
        }
        if let refusal = message["refusal"]?.stringValue { throw LLMError("openai refused: \(refusal)") }
        if let reason = choices.first?["finish_reason"]?.stringValue, reason != "stop" {
            throw LLMError("openai stopped early (finish_reason \(reason))")
        }
        guard let content = message["content"]?.stringValue else { throw LLMError("openai: choices[0].message.content is not a string") }
        do { return try JSONValue(json: Data(content.utf8)) } catch {
            throw LLMError("openai: the message content is not JSON: \(content.prefix(200))")
        }
    }
}

/// The Anthropic messages API; the JSON object comes back as the input of a forced tool call.
public struct AnthropicMessagesClient: LLMClient {
    public let model: String
    let apiKey: String
    let baseURL: String
    let fetcher: HTTPFetcher
    static let toolName = "choose_release"

    public init(model: String, apiKey: String, baseURL: String = "https://api.anthropic.com", timeoutSecs: Double = 30) {
        self.model = model
        self.apiKey = apiKey
        (self.baseURL, self.fetcher) = connection(baseURL, timeoutSecs: timeoutSecs)
    }

    public var label: String { "anthropic \(model)" }

    public func complete(system: String, user: String, schema: JSONValue) async throws -> JSONValue {
        let body: JSONValue = .object([
            "model": .string(model),
            "max_tokens": .number(1024),
            "system": .string(system),
            "messages": .array([.object(["role": .string("user"), "content": .string(user)])]),
            "tools": .array([
                .object([
                    "name": .string(Self.toolName),
                    "description": .string("Report which candidate release is the album, how sure you are, and why."),
                    "input_schema": schema,
                ])
            ]),
            "tool_choice": .object(["type": .string("tool"), "name": .string(Self.toolName)]),
        ])
        let answer = try await send(
            fetcher, baseURL + "/v1/messages", headers: ["x-api-key: \(apiKey)", "anthropic-version: 2023-06-01"], body: body, provider: "anthropic")
        guard case .array(let content)? = answer["content"] else { throw LLMError("anthropic: the answer has no content array") }
        guard let call = content.first(where: { $0["type"]?.stringValue == "tool_use" && $0["name"]?.stringValue == Self.toolName }),
            let input = call["input"]
        else {
            throw LLMError("anthropic: the answer has no \(Self.toolName) tool call (stop_reason \(answer["stop_reason"]?.stringValue ?? "none"))")
        }
        return input
    }
}
