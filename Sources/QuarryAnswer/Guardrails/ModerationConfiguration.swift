import QuarryCore

/// Settings of ``ModerationClassifier``.
///
/// | setting | environment variable |
/// |---|---|
/// | ``url`` | `QUARRY_MODERATION_URL` (such as `https://api.openai.com/v1`) |
/// | ``model`` | `QUARRY_MODERATION_MODEL` (`omni-moderation-latest`) |
/// | ``apiKey`` (secret) | `QUARRY_MODERATION_API_KEY` |
/// | ``timeout`` | `QUARRY_MODERATION_TIMEOUT_SECONDS` (10) |
public struct ModerationConfiguration: Sendable, CustomStringConvertible {
    /// The API's base; requests go to `<url>/moderations` (a URL already ending in `/moderations` is used as it is).
    public var url: String
    /// The moderation model.
    public var model: String
    /// Sent as `Authorization: Bearer …`; never logged, printed or returned.
    public var apiKey: String?
    /// Each request's deadline; a late answer leaves the text to the built-in scorer.
    public var timeout: Duration
    /// Larger answers are refused (and not read).
    public var maximumResponseBytes: Int

    /// Creates a configuration.
    public init(
        url: String,
        model: String = "omni-moderation-latest",
        apiKey: String? = nil,
        timeout: Duration = .seconds(10),
        maximumResponseBytes: Int = 1 << 20
    ) {
        self.url = url
        self.model = model
        self.apiKey = apiKey
        self.timeout = timeout
        self.maximumResponseBytes = maximumResponseBytes
    }

    /// The endpoint named by the `QUARRY_MODERATION_*` variables, or `nil` when `QUARRY_MODERATION_URL` is not set.
    ///
    /// - Throws: ``LanguageModelError`` for a timeout that is not a positive number.
    public static func fromEnvironment(_ environment: [String: String]) throws -> ModerationConfiguration? {
        guard let url = environment["QUARRY_MODERATION_URL"], !url.isEmpty else { return nil }
        var configuration = ModerationConfiguration(
            url: url,
            apiKey: environment["QUARRY_MODERATION_API_KEY"].flatMap { $0.isEmpty ? nil : $0 }
        )
        if let model = environment["QUARRY_MODERATION_MODEL"], !model.isEmpty { configuration.model = model }
        if let text = environment["QUARRY_MODERATION_TIMEOUT_SECONDS"], !text.isEmpty {
            guard let seconds = Double(text), seconds > 0, seconds <= 86_400 else {
                throw LanguageModelError.invalidConfiguration(
                    "QUARRY_MODERATION_TIMEOUT_SECONDS must be a number above 0 and at most 86400, not \(text)"
                )
            }
            configuration.timeout = .seconds(seconds)
        }
        return configuration
    }

    /// The endpoint the requests go to.
    public var endpoint: String { url.appendingAPIPath("/moderations") }

    /// The settings with the API key masked.
    public var description: String {
        "ModerationConfiguration(url: \(url.redactingURLSecrets), model: \(model), apiKey: \(apiKey == nil ? "none" : "<redacted>"), "
            + "timeout: \(timeout))"
    }
}
