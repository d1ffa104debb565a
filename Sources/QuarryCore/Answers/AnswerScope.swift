/// What an answer may draw on, as the guardrail policy's `answer_scope` says.
///
/// Only a generator that can know things (a language model) is affected: the extractive generator
/// quotes documents and nothing else whatever the scope.
public enum AnswerScope: String, Sendable, Hashable, Codable, CaseIterable {
    /// Only the company documents the asker may read; when none answers, the reply says so.
    case documents
    /// The documents first; when none the asker may read answers, the model may answer from what it
    /// knows, and the answer is marked ``AnswerBasis/generalKnowledge`` and cites nothing.
    case generalKnowledge = "general_knowledge"
}

/// What an ``Answer`` rests on.
public enum AnswerBasis: String, Sendable, Hashable, Codable, CaseIterable {
    /// Passages of company documents, which its citations name.
    case documents
    /// The model's general knowledge (allowed by ``AnswerScope/generalKnowledge``); no citations.
    case generalKnowledge = "general_knowledge"
    /// Nothing: the question was not answered (not found, or withheld).
    case none
}
