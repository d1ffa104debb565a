/// One rule that fired on a text: what kind, where, how strongly, and what it did.
///
/// Findings never hold the matched text, so they can be stored for audit and shown to anyone
/// entitled to see that a rule fired.
public struct GuardrailFinding: Sendable, Hashable, Codable {
    /// The kind of rule that fired.
    public enum Rule: String, Sendable, Hashable, Codable {
        /// A personal data type (built-in or custom).
        case pii
        /// A word filter (the policy's list or the built-in profanity list).
        case words
        /// A content filter category.
        case content
        /// A blocked topic.
        case topic
    }

    /// The kind of rule.
    public var rule: Rule
    /// Which one: the entity type, `custom` or `profanity`, the category, or the topic's name.
    public var type: String
    /// The first scalar of the span the finding is about (absent when it is about the whole text).
    public var start: Int?
    /// One past the last scalar.
    public var end: Int?
    /// The score (0…1).
    public var score: Double
    /// What the rule did.
    public var action: GuardrailAction

    /// A finding.
    public init(rule: Rule, type: String, start: Int?, end: Int?, score: Double, action: GuardrailAction) {
        self.rule = rule
        self.type = type
        self.start = start
        self.end = end
        self.score = score
        self.action = action
    }
}
