import Foundation
public import Logging
public import QuarryCore
public import QuarryGuardrails
public import QuarryStore

/// The guardrail policy in force for a store, applied and audited.
///
/// Reads the active policy version from the store on every check (one indexed row) and rebuilds
/// its ``GuardrailEngine`` only when the version changes, so a policy set by `quarry guardrails
/// set` or the admin API applies to the next question in every process. Every decision is
/// recorded in the store's audit without the text.
public actor GuardrailService {
    private let store: Store
    private let embedder: (any Embedder)?
    private let classifier: (any ContentClassifier)?
    private let logger: Logger
    private var cached: (version: Int64?, engine: GuardrailEngine)?

    /// A service over `store`.
    ///
    /// - Parameters:
    ///   - embedder: The model for topic similarity (without one, topics fire on keywords only).
    ///   - classifier: Scores content categories before the built-in scorer (a moderation endpoint).
    ///   - logger: Where policy problems are logged.
    public init(
        store: Store,
        embedder: (any Embedder)?,
        classifier: (any ContentClassifier)? = nil,
        logger: Logger
    ) {
        self.store = store
        self.embedder = embedder
        self.classifier = classifier
        self.logger = logger
    }

    /// The engine for the policy in force, and that policy's version (`nil`: the built-in default).
    ///
    /// - Throws: Store errors; what the embedder throws while preparing topics.
    public func engine() async throws -> (engine: GuardrailEngine, version: Int64?) {
        let version = try await store.activeGuardrailPolicyID()
        if let cached, cached.version == version { return (cached.engine, version) }
        var policy = GuardrailPolicy.default
        if version != nil, let stored = try await store.activeGuardrailPolicy() {
            do {
                policy = try GuardrailPolicy(yaml: stored.source)
            } catch {
                // Saved policies are validated first; one that no longer parses falls back to the default.
                logger.error(
                    "stored guardrail policy does not parse; using the default",
                    metadata: ["policy.version": "\(stored.id)"]
                )
            }
        }
        let key = try await store.guardrailPseudonymKey()
        let pseudonymizer = key.count == 16 ? Pseudonymizer(key: key) : .random()
        let engine = try await GuardrailEngine(
            policy: policy,
            embedder: embedder,
            pseudonymizer: pseudonymizer,
            classifier: classifier
        )
        cached = (version, engine)
        return (engine, version)
    }

    /// An engine for a draft policy (to test it before saving), with this service's embedder.
    ///
    /// - Throws: What the embedder throws while preparing topics.
    public func engine(for policy: GuardrailPolicy) async throws -> GuardrailEngine {
        try await GuardrailEngine(policy: policy, embedder: embedder, classifier: classifier)
    }

    /// Checks `text` at `stage` and records the decision.
    ///
    /// - Parameter prepared: An ``engine()`` already read for this request (several checks of one
    ///   question then read the policy version once); `nil` reads it.
    /// - Throws: Store errors; what the embedder throws.
    public func check(
        _ text: String,
        stage: GuardrailStage,
        userID: Int64?,
        conversationID: String?,
        using prepared: (engine: GuardrailEngine, version: Int64?)? = nil
    ) async throws
        -> GuardrailResult
    {
        let (engine, version): (GuardrailEngine, Int64?)
        if let prepared { (engine, version) = prepared } else { (engine, version) = try await self.engine() }
        let result = try await engine.evaluate(text, stage: stage, conversationID: conversationID)
        if engine.policy.stages.contains(stage) {
            try await record(result, userID: userID, conversationID: conversationID, version: version)
        }
        return result
    }

    /// Records a decision made elsewhere (a streamed answer's redactor, say).
    public func record(_ result: GuardrailResult, userID: Int64?, conversationID: String?, version: Int64?) async throws
    {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let findings = String(decoding: try encoder.encode(result.findings), as: UTF8.self)
        try await store.recordGuardrailDecision(
            GuardrailDecisionRecord(
                userID: userID,
                conversationID: conversationID,
                stage: result.stage.rawValue,
                verdict: result.verdict.rawValue,
                policyVersion: version,
                blockedRule: result.blockedBy.map { "\($0.rule.rawValue)/\($0.type)" },
                findings: findings
            )
        )
    }
}
