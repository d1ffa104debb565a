public import QuarryGuardrails

/// What a reply says about the guardrail that blocked or changed it: the stage and the rule, never
/// the text that matched.
public struct GuardrailNotice: Sendable, Hashable, Codable {
    /// `input` (the question was blocked) or `output` (the answer was blocked or masked).
    public var stage: String
    /// `topic`, `content`, `words` or `pii`.
    public var rule: String
    /// The topic's name, the category, the word list or the entity type.
    public var type: String
    /// `block`, `mask` or `anonymize`.
    public var action: String

    /// The notice for a finding.
    public init(stage: GuardrailStage, finding: GuardrailFinding) {
        self.stage = stage.rawValue
        self.rule = finding.rule.rawValue
        self.type = finding.type
        self.action = finding.action.rawValue
    }
}
