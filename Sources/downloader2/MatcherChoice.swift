import Matching
import Server

/// The matcher the config asks for: the deterministic scorer alone, or with a language model's
/// second opinion.
enum MatcherChoice {
    static func make(_ config: AppConfig.Matcher) throws -> any Matcher {
        let scorer = CandidateScorer(autoApproveThreshold: config.autoApproveThreshold, preferFreeleech: config.preferFreeleech)
        let timeout = Double(config.llmTimeoutSecs)
        switch config.llmProvider {
        case "", "none":
            return scorer
        case let provider:
            guard !config.llmModel.isEmpty else { throw CLIError("matcher.llm_model is required when matcher.llm_provider is \"\(provider)\"") }
            let client: any LLMClient =
                provider == "anthropic"
                ? AnthropicMessagesClient(
                    model: config.llmModel, apiKey: config.apiKey, baseURL: config.baseUrl.isEmpty ? "https://api.anthropic.com" : config.baseUrl,
                    timeoutSecs: timeout)
                : OpenAIChatClient(
                    model: config.llmModel, apiKey: config.apiKey, baseURL: config.baseUrl.isEmpty ? "https://api.openai.com/v1" : config.baseUrl,
                    timeoutSecs: timeout)
            return SecondOpinionMatcher(scorer: scorer, client: client)
        }
    }
}
