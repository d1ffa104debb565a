public import QuarryCore

/// Applies a ``GuardrailPolicy`` to questions, retrieved passages and answers.
///
/// Build one per policy (it embeds the topics' definitions and examples once) and share it: it is
/// an immutable `Sendable` value. ``evaluate(_:stage:conversationID:)`` runs every control that
/// applies to the stage and decides: blocked (a rule with action `block` fired), modified (masks
/// or pseudonyms replaced spans) or allowed.
///
/// ```swift
/// let engine = try await GuardrailEngine(policy: policy, embedder: embedder)
/// let checked = try await engine.evaluate(question, stage: .input, conversationID: id)
/// if checked.verdict == .blocked { return checked.message }      // the admin's message
/// ```
///
/// ## Topics
/// - ``evaluate(_:stage:conversationID:)``
/// - ``redactor(conversationID:)``
/// - ``GuardrailResult``
public struct GuardrailEngine: Sendable {
    /// The policy in force.
    public let policy: GuardrailPolicy

    private let analyzers: [GuardrailStage: PIIAnalyzer]
    private let wordFilter: WordFilter
    private let scorer = ContentScorer()
    private let classifier: (any ContentClassifier)?
    private let topics: TopicDetector
    private let pseudonymizer: Pseudonymizer

    /// The text that replaces a masked word.
    public static let wordMask = "[FILTERED]"

    /// Prepares the engine.
    ///
    /// - Parameters:
    ///   - policy: The policy to apply.
    ///   - embedder: The model for topic similarity; without one, topics fire on keywords only.
    ///   - pseudonymizer: Makes `anonymize` pseudonyms (pass a stored key for pseudonyms stable across restarts).
    ///   - classifier: Scores the content categories it knows instead of the built-in ``ContentScorer``.
    /// - Throws: ``GuardrailPolicyError`` for a custom pattern that does not compile; what the embedder throws.
    public init(
        policy: GuardrailPolicy,
        embedder: (any Embedder)? = nil,
        pseudonymizer: Pseudonymizer = .random(),
        classifier: (any ContentClassifier)? = nil
    )
        async throws
    {
        self.policy = policy
        var analyzers: [GuardrailStage: PIIAnalyzer] = [:]
        for stage in GuardrailStage.allCases {
            let entities = Set(policy.pii.entities.filter { $0.value[stage] != nil }.keys)
            let custom = policy.pii.custom.filter { $0.actions[stage] != nil }
            analyzers[stage] = try PIIAnalyzer(
                entities: entities,
                custom: custom,
                minimumScore: policy.pii.minimumScore,
                allow: policy.pii.allow
            )
        }
        self.analyzers = analyzers
        self.wordFilter = WordFilter(words: policy.words.list, profanity: policy.words.profanity)
        self.topics = try await TopicDetector(topics: policy.topics, embedder: embedder)
        self.pseudonymizer = pseudonymizer
        self.classifier = classifier
    }

    /// Checks `text` at `stage` and decides what happens to it.
    ///
    /// - Parameters:
    ///   - text: The question, passage or answer.
    ///   - stage: Where it is in the exchange; a stage the policy does not check allows everything.
    ///   - conversationID: Scopes `anonymize` pseudonyms (the same value gets the same pseudonym within it).
    /// - Throws: What the embedder throws.
    public func evaluate(
        _ text: String,
        stage: GuardrailStage,
        conversationID: String? = nil
    ) async throws
        -> GuardrailResult
    {
        guard policy.stages.contains(stage) else {
            return GuardrailResult(
                stage: stage,
                verdict: .allowed,
                text: text,
                message: nil,
                blockedBy: nil,
                findings: [],
                redactedText: text
            )
        }
        var findings = piiFindings(text, stage: stage) + wordFindings(text, stage: stage)
        findings += await contentFindings(text, stage: stage)
        var blockingTopic: GuardrailPolicy.Topic?
        for hit in try await topics.detect(text, stage: stage) where hit.fired {
            findings.append(
                GuardrailFinding(
                    rule: .topic,
                    type: hit.topic,
                    start: hit.span.lowerBound,
                    end: hit.span.upperBound,
                    score: hit.score,
                    action: .block
                )
            )
            if blockingTopic == nil { blockingTopic = policy.topics.first { $0.name == hit.topic } }
        }
        findings.sort { ($0.start ?? -1, $0.end ?? -1) < ($1.start ?? -1, $1.end ?? -1) }

        let order: [GuardrailFinding.Rule] = [.topic, .content, .words, .pii]
        let blocking = order.lazy.compactMap { rule in findings.first { $0.rule == rule && $0.action == .block } }.first
        if let blocking {
            let message: String?
            switch stage {
            case .input:
                message = (blocking.rule == .topic ? blockingTopic?.message : nil) ?? policy.messages.blockedInput
            case .output:
                message = (blocking.rule == .topic ? blockingTopic?.message : nil) ?? policy.messages.blockedOutput
            case .retrieval: message = nil
            }
            return GuardrailResult(
                stage: stage,
                verdict: .blocked,
                text: message ?? "",
                message: message,
                blockedBy: blocking,
                findings: findings,
                redactedText: replacing(
                    text,
                    findings: findings.map { finding in
                        var masked = finding
                        masked.action = .mask
                        return masked
                    },
                    conversationID: conversationID
                )
            )
        }
        let replaced = replacing(text, findings: findings, conversationID: conversationID)
        return GuardrailResult(
            stage: stage,
            verdict: replaced == text ? .allowed : .modified,
            text: replaced,
            message: nil,
            blockedBy: nil,
            findings: findings,
            redactedText: replaced
        )
    }

    /// `text` with every value the personal-data and word rules of `stage` would mask, anonymize or
    /// block replaced (a blocked value masked), and those findings; topics and content filters, which
    /// judge a whole message and mask nothing, do not run. For quotations shown beside an answer,
    /// such as its citations' snippets. A stage the policy does not check changes nothing.
    public func maskingValues(
        in text: String,
        stage: GuardrailStage,
        conversationID: String? = nil
    ) -> (text: String, findings: [GuardrailFinding]) {
        guard policy.stages.contains(stage) else { return (text, []) }
        let findings = (piiFindings(text, stage: stage) + wordFindings(text, stage: stage))
            .filter { $0.action != .log }
            .sorted { ($0.start ?? -1, $0.end ?? -1) < ($1.start ?? -1, $1.end ?? -1) }
        return (replacing(text, findings: findings, conversationID: conversationID), findings)
    }

    /// A redactor for an answer delivered in chunks, applying this policy's masks and pseudonyms
    /// for the output stage.
    public func redactor(conversationID: String? = nil) -> StreamingRedactor {
        StreamingRedactor(engine: self, conversationID: conversationID)
    }

    // MARK: - Controls

    func piiFindings(_ text: String, stage: GuardrailStage) -> [GuardrailFinding] {
        guard let analyzer = analyzers[stage] else { return [] }
        return analyzer.analyze(text).compactMap { match in
            let actions =
                policy.pii.entities[match.entity] ?? policy.pii.custom.first { $0.name == match.entity }?.actions
            guard let action = actions?[stage] else { return nil }
            return GuardrailFinding(
                rule: .pii,
                type: match.entity,
                start: match.start,
                end: match.end,
                score: match.score,
                action: action
            )
        }
    }

    func wordFindings(_ text: String, stage: GuardrailStage) -> [GuardrailFinding] {
        guard let action = policy.words.actions[stage], !wordFilter.isEmpty else { return [] }
        return wordFilter.matches(in: text).map { match in
            GuardrailFinding(
                rule: .words,
                type: match.list,
                start: match.start,
                end: match.end,
                score: 1,
                action: action
            )
        }
    }

    /// The content filters over their stage's threshold: the classifier's scores (whole text, no
    /// span) where it gave one, the built-in scorer's for the other categories.
    private func contentFindings(_ text: String, stage: GuardrailStage) async -> [GuardrailFinding] {
        let thresholds = policy.content.filters.compactMapValues { $0[stage].threshold }
        guard !thresholds.isEmpty, !text.isEmpty else { return [] }
        let categories = Set(thresholds.keys)
        let judged =
            await classifier?.scores(text, categories: categories).filter { categories.contains($0.key) } ?? [:]
        let scores =
            judged.map { ContentScorer.Score(category: $0.key, score: min(1, max(0, $0.value)), spans: []) }
            .sorted { $0.category.rawValue < $1.category.rawValue }
            + scorer.scores(text, categories: categories.subtracting(judged.keys))
        return scores.compactMap { score in
            guard let threshold = thresholds[score.category], score.score >= threshold else { return nil }
            return GuardrailFinding(
                rule: .content,
                type: score.category.rawValue,
                start: score.spans.first?.lowerBound,
                end: score.spans.last?.upperBound,
                score: score.score,
                action: policy.content.action
            )
        }
    }

    /// The text with every masked or anonymized span replaced (overlaps keep the first span).
    func replacing(_ text: String, findings: [GuardrailFinding], conversationID: String?) -> String {
        let edits = findings.filter {
            ($0.action == .mask || $0.action == .anonymize || $0.action == .block) && $0.start != nil
        }
        .filter { $0.rule == .pii || $0.rule == .words }
        .sorted { $0.start! < $1.start! }
        guard !edits.isEmpty else { return text }
        let scalars = Array(text.unicodeScalars)
        var result = String.UnicodeScalarView()
        var position = 0
        for edit in edits {
            guard let start = edit.start, let end = edit.end, start >= position else { continue }
            result.append(contentsOf: scalars[position..<start])
            result.append(
                contentsOf: replacement(for: edit, original: scalars[start..<end], conversationID: conversationID)
                    .unicodeScalars
            )
            position = end
        }
        result.append(contentsOf: scalars[position...])
        return String(result)
    }

    private func replacement(
        for finding: GuardrailFinding,
        original: ArraySlice<Unicode.Scalar>,
        conversationID: String?
    ) -> String {
        if finding.rule == .words { return Self.wordMask }
        if finding.action == .anonymize {
            var view = String.UnicodeScalarView()
            view.append(contentsOf: original)
            return pseudonymizer.pseudonym(for: String(view), entity: finding.type, conversation: conversationID)
        }
        return "[\(finding.type)]"
    }
}
