/// What a rule does when it fires.
public enum GuardrailAction: String, Sendable, Hashable, Codable, CaseIterable {
    /// Refuse the whole text: the admin's message is returned instead.
    case block
    /// Replace the matched text with a label such as `[EMAIL_ADDRESS]`.
    case mask
    /// Replace the matched text with a pseudonym that stays the same within a conversation.
    case anonymize
    /// Record the finding for audit only; the text is left as it is.
    case log
}
