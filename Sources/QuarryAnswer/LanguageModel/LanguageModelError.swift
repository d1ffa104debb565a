/// A language model that cannot be used, or that did not answer properly.
///
/// Messages name the endpoint, the status and the error's type; never the API key, the question
/// or the passages (which only the asker may see).
public struct LanguageModelError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Whether the settings are wrong (as opposed to the model failing to answer).
    public let isConfigurationError: Bool
    /// What went wrong.
    public let message: String

    /// Settings that cannot work.
    public static func invalidConfiguration(_ message: String) -> LanguageModelError {
        LanguageModelError(isConfigurationError: true, message: message)
    }

    /// The endpoint could not be reached, refused the request or answered something unusable.
    public static func failed(_ message: String) -> LanguageModelError {
        LanguageModelError(isConfigurationError: false, message: message)
    }

    public var description: String { message }
}
