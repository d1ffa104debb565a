public import QuarryCore

/// What an organisation's assistant will not talk about, will not say, and which personal data never leaves it.
///
/// A policy is read from YAML with ``GuardrailPolicy/init(yaml:)`` (the default ships as
/// `guardrails/default.yaml`, documented line by line) and applied by a ``GuardrailEngine``.
/// Every field has a default, so an empty document is a valid policy that allows everything.
///
/// ```swift
/// let policy = try GuardrailPolicy(yaml: String(contentsOfFile: "guardrails/default.yaml", encoding: .utf8))
/// let engine = try await GuardrailEngine(policy: policy, embedder: embedder)
/// ```
public struct GuardrailPolicy: Sendable, Hashable {
    /// The admin's name for the policy.
    public var name = "default"
    /// The texts shown instead of a blocked question or answer.
    public var messages = Messages()
    /// The stages the policy checks; others pass unchecked.
    public var stages: Set<GuardrailStage> = [.input, .output]
    /// Personal data recognisers and what to do with each type.
    public var pii = PII()
    /// Word and phrase filters.
    public var words = Words()
    /// Content filters by category.
    public var content = Content()
    /// Topics the assistant will not discuss.
    public var topics: [Topic] = []
    /// What answers may draw on when a language model writes them (`answer_scope`).
    public var answerScope = AnswerScope.documents

    /// A policy that checks nothing.
    public init() {}

    /// The texts returned instead of blocked content.
    public struct Messages: Sendable, Hashable {
        /// Returned instead of an answer when the question is blocked.
        public var blockedInput = "Sorry, I can't help with that request."
        /// Returned instead of an answer that was blocked.
        public var blockedOutput = "Sorry, the answer was withheld by your organisation's guardrails."

        /// The defaults.
        public init() {}
    }

    /// One action per stage (a rule that has none for a stage does not run there).
    public struct StageActions: Sendable, Hashable {
        /// The action on the question.
        public var input: GuardrailAction?
        /// The action on retrieved passages.
        public var retrieval: GuardrailAction?
        /// The action on the answer.
        public var output: GuardrailAction?

        /// The same action on every stage.
        public init(all action: GuardrailAction) {
            input = action
            retrieval = action
            output = action
        }

        /// Actions stage by stage.
        public init(input: GuardrailAction?, retrieval: GuardrailAction?, output: GuardrailAction?) {
            self.input = input
            self.retrieval = retrieval
            self.output = output
        }

        /// The action for `stage`, if the rule runs there.
        public subscript(stage: GuardrailStage) -> GuardrailAction? {
            switch stage {
            case .input: input
            case .retrieval: retrieval
            case .output: output
            }
        }
    }

    /// Personal data detection.
    public struct PII: Sendable, Hashable {
        /// Findings scoring below this (0…1) are ignored.
        public var minimumScore = 0.5
        /// The built-in entity types to detect, with their actions; types not listed are not detected.
        public var entities: [String: StageActions] = [:]
        /// The policy's own regular-expression entities.
        public var custom: [CustomEntity] = []
        /// Values never reported (a published support address, say), compared case-insensitively.
        public var allow: [String] = []

        /// Detects nothing.
        public init() {}
    }

    /// A regular-expression entity defined by the policy.
    public struct CustomEntity: Sendable, Hashable {
        /// The entity type, such as `EMPLOYEE_ID` (upper case, digits and `_`).
        public var name: String
        /// An ICU regular expression (`NSRegularExpression` syntax).
        public var pattern: String
        /// The score of a match (0…1).
        public var score = 0.8
        /// Words near a match that raise its score.
        public var context: [String] = []
        /// What to do with a match.
        public var actions = StageActions(all: .mask)

        /// A custom entity.
        public init(name: String, pattern: String) {
            self.name = name
            self.pattern = pattern
        }
    }

    /// Word and phrase filters.
    public struct Words: Sendable, Hashable {
        /// Whether the built-in profanity list (`guardrails/profanity.txt`) applies.
        public var profanity = false
        /// The admin's own words and phrases.
        public var list: [String] = []
        /// What a match does.
        public var actions = StageActions(all: .block)

        /// No filters.
        public init() {}
    }

    /// Content filters.
    public struct Content: Sendable, Hashable {
        /// Strength per category and stage; a category that is not listed is off.
        public var filters: [ContentCategory: Strengths] = [:]
        /// What a category over its threshold does (`block` or `log`).
        public var action = GuardrailAction.block

        /// No filters.
        public init() {}
    }

    /// A content filter's strength on the question and on the answer.
    public struct Strengths: Sendable, Hashable {
        /// On the question.
        public var input: FilterStrength
        /// On the answer (and on retrieved passages).
        public var output: FilterStrength

        /// Strengths for both sides.
        public init(input: FilterStrength, output: FilterStrength) {
            self.input = input
            self.output = output
        }

        /// The strength for `stage`.
        public subscript(stage: GuardrailStage) -> FilterStrength {
            stage == .input ? input : output
        }
    }

    /// A topic the assistant will not discuss.
    public struct Topic: Sendable, Hashable {
        /// A short name (shown in the `guardrail` object of a blocked reply).
        public var name: String
        /// What the topic is, in a sentence or two.
        public var definition: String
        /// Example phrases that belong to the topic.
        public var examples: [String] = []
        /// The similarity (cosine, 0…1) of a message or one of its sentences to the definition or an
        /// example at which the topic fires.
        public var threshold = 0.6
        /// Words or phrases that fire the topic on their own (whole words, case-insensitive).
        public var keywords: [String] = []
        /// Returned instead of the policy's message when this topic blocks.
        public var message: String?
        /// The stages the topic is checked on (`input` and `output` by default).
        public var stages: Set<GuardrailStage> = [.input, .output]

        /// A topic with a definition.
        public init(name: String, definition: String) {
            self.name = name
            self.definition = definition
        }
    }
}
