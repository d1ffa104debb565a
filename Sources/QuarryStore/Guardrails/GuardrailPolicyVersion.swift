public import Foundation

/// One saved version of the guardrail policy. Versions are never edited or deleted: a rollback
/// saves a new version with an old one's text.
public struct GuardrailPolicyVersion: Sendable, Hashable, Codable {
    /// The version number (1, 2, …).
    public var id: Int64
    /// The policy's YAML, exactly as the admin sent it.
    public var source: String
    /// Who saved it (a user's name, or `cli`).
    public var author: String
    /// When it was saved.
    public var createdAt: Date
    /// The version this one restored, for a rollback.
    public var restoredFrom: Int64?
}

/// A guardrail decision as stored for audit: which rules fired and what they did, never the text.
public struct GuardrailDecisionRecord: Sendable, Hashable, Codable {
    /// The record's number.
    public var id: Int64?
    /// When the decision was made.
    public var createdAt: Date
    /// The asker, when there is one.
    public var userID: Int64?
    /// The conversation, when there is one.
    public var conversationID: String?
    /// `input`, `retrieval` or `output`.
    public var stage: String
    /// `allowed`, `modified` or `blocked`.
    public var verdict: String
    /// The policy version in force (absent for the built-in default).
    public var policyVersion: Int64?
    /// The kind and type of the rule that blocked (`topic`/`investment-advice`), if any.
    public var blockedRule: String?
    /// The findings as JSON (rule, type, span offsets, score, action).
    public var findings: String

    /// A record.
    public init(
        createdAt: Date = Date(),
        userID: Int64?,
        conversationID: String?,
        stage: String,
        verdict: String,
        policyVersion: Int64?,
        blockedRule: String?,
        findings: String
    ) {
        self.createdAt = createdAt
        self.userID = userID
        self.conversationID = conversationID
        self.stage = stage
        self.verdict = verdict
        self.policyVersion = policyVersion
        self.blockedRule = blockedRule
        self.findings = findings
    }
}
