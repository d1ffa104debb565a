import Foundation
import QuarryCore

/// Settings of ``LanguageModelGenerator``, each with a default but the endpoint and the model.
///
/// | setting | environment variable |
/// |---|---|
/// | ``url`` | `QUARRY_LLM_URL` (such as `http://127.0.0.1:8000/v1`) |
/// | ``model`` | `QUARRY_LLM_MODEL` |
/// | ``apiKey`` (secret) | `QUARRY_LLM_API_KEY` |
/// | ``maximumTokens`` | `QUARRY_LLM_MAX_TOKENS` (800) |
/// | ``temperature`` | `QUARRY_LLM_TEMPERATURE` (0.1) |
/// | ``timeout`` | `QUARRY_LLM_TIMEOUT_SECONDS` (120) |
/// | ``maximumResponseBytes`` | (4 MiB) |
/// | ``maximumPassageCharacters``, ``maximumContextCharacters`` | (2,000 and 16,000) |
public struct LanguageModelConfiguration: Sendable, CustomStringConvertible {
    /// The API's base; requests go to `<url>/chat/completions` (a URL that already ends in
    /// `/chat/completions` is used as it is).
    public var url: String
    /// The model to ask for.
    public var model: String
    /// Sent as `Authorization: Bearer …`; never logged, printed or returned.
    public var apiKey: String?
    /// The longest answer asked for (`max_tokens`).
    public var maximumTokens: Int
    /// The sampling temperature (`temperature`), 0 to 2.
    public var temperature: Double
    /// The deadline of a whole answer, from the request to its last piece.
    public var timeout: Duration
    /// Longer answers are cut off with an error (and not read further).
    public var maximumResponseBytes: Int
    /// Each passage is quoted to the model up to this many characters.
    public var maximumPassageCharacters: Int
    /// All passages together are quoted up to this many characters (the best first).
    public var maximumContextCharacters: Int

    /// Creates a configuration.
    public init(
        url: String,
        model: String,
        apiKey: String? = nil,
        maximumTokens: Int = 800,
        temperature: Double = 0.1,
        timeout: Duration = .seconds(120),
        maximumResponseBytes: Int = 4 << 20,
        maximumPassageCharacters: Int = 2000,
        maximumContextCharacters: Int = 16000
    ) {
        self.url = url
        self.model = model
        self.apiKey = apiKey
        self.maximumTokens = maximumTokens
        self.temperature = temperature
        self.timeout = timeout
        self.maximumResponseBytes = maximumResponseBytes
        self.maximumPassageCharacters = maximumPassageCharacters
        self.maximumContextCharacters = maximumContextCharacters
    }

    /// The language model named by the `QUARRY_LLM_*` variables, or `nil` when `QUARRY_LLM_URL` is not set.
    ///
    /// - Throws: ``LanguageModelError`` when the URL is set but the model is missing, or a number is not one.
    public static func fromEnvironment(_ environment: [String: String]) throws -> LanguageModelConfiguration? {
        guard let url = environment["QUARRY_LLM_URL"], !url.isEmpty else { return nil }
        guard let model = environment["QUARRY_LLM_MODEL"], !model.isEmpty else {
            throw LanguageModelError.invalidConfiguration("QUARRY_LLM_URL is set: QUARRY_LLM_MODEL is needed too")
        }
        var configuration = LanguageModelConfiguration(
            url: url,
            model: model,
            apiKey: environment["QUARRY_LLM_API_KEY"].flatMap { $0.isEmpty ? nil : $0 }
        )
        func number(_ name: String, in range: ClosedRange<Double>) throws -> Double? {
            guard let text = environment[name], !text.isEmpty else { return nil }
            guard let value = Double(text), range.contains(value) else {
                throw LanguageModelError.invalidConfiguration(
                    "\(name) must be a number from \(range.lowerBound.formatted()) to \(range.upperBound.formatted()), not \(text)"
                )
            }
            return value
        }
        if let tokens = environment["QUARRY_LLM_MAX_TOKENS"], !tokens.isEmpty {
            guard let value = Int(tokens), (1...1_000_000).contains(value) else {
                throw LanguageModelError.invalidConfiguration(
                    "QUARRY_LLM_MAX_TOKENS must be a whole number from 1 to 1000000, not \(tokens)"
                )
            }
            configuration.maximumTokens = value
        }
        if let temperature = try number("QUARRY_LLM_TEMPERATURE", in: 0...2) { configuration.temperature = temperature }
        if let seconds = try number("QUARRY_LLM_TIMEOUT_SECONDS", in: 0.001...86_400) {
            configuration.timeout = .seconds(seconds)
        }
        return configuration
    }

    /// The endpoint the requests go to.
    public var endpoint: String { url.appendingAPIPath("/chat/completions") }

    /// The settings with the API key masked.
    public var description: String {
        "LanguageModelConfiguration(url: \(url.redactingURLSecrets), model: \(model), apiKey: \(apiKey == nil ? "none" : "<redacted>"), "
            + "maximumTokens: \(maximumTokens), temperature: \(temperature), timeout: \(timeout))"
    }
}
