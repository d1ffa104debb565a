/// The engine's decision on one text at one stage.
public struct GuardrailResult: Sendable, Hashable {
    /// What happens to the text.
    public enum Verdict: String, Sendable, Hashable, Codable, CaseIterable {
        /// It passes unchanged.
        case allowed
        /// It passes with masks or pseudonyms in place of some spans.
        case modified
        /// It is replaced: by the admin's message (question, answer) or dropped (retrieved passage).
        case blocked
    }

    /// The stage evaluated.
    public var stage: GuardrailStage
    /// The decision.
    public var verdict: Verdict
    /// The text to use: the original, the modified text, or the admin's message when blocked.
    public var text: String
    /// The admin's message when blocked.
    public var message: String?
    /// The finding that blocked the text (topics first, then content, words, personal data).
    public var blockedBy: GuardrailFinding?
    /// Every rule that fired, in the order of their spans (whole-text findings first).
    public var findings: [GuardrailFinding]
    /// The original text with every personal data and filtered-word span masked whatever its action,
    /// for keeping a blocked question in the conversation without what it exposed.
    public var redactedText: String

    /// What to store for audit: the findings without any text.
    public var audit: GuardrailAuditRecord {
        GuardrailAuditRecord(stage: stage, verdict: verdict, blockedBy: blockedBy, findings: findings)
    }
}

/// A decision as it is stored for audit and analytics: which rules fired, where and what they did,
/// never the text or what was detected in it.
public struct GuardrailAuditRecord: Sendable, Hashable, Codable {
    /// The stage.
    public var stage: GuardrailStage
    /// The decision.
    public var verdict: GuardrailResult.Verdict
    /// The finding that blocked, if any.
    public var blockedBy: GuardrailFinding?
    /// Every finding.
    public var findings: [GuardrailFinding]

    /// A record.
    public init(
        stage: GuardrailStage,
        verdict: GuardrailResult.Verdict,
        blockedBy: GuardrailFinding?,
        findings: [GuardrailFinding]
    ) {
        self.stage = stage
        self.verdict = verdict
        self.blockedBy = blockedBy
        self.findings = findings
    }
}
