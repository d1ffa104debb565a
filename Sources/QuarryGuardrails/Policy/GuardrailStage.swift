/// Where in a chat exchange a text is checked.
public enum GuardrailStage: String, Sendable, Hashable, Codable, CaseIterable {
    /// The user's question, before retrieval.
    case input
    /// A retrieved passage, before a generator sees it.
    case retrieval
    /// The answer, before the user sees it.
    case output
}
