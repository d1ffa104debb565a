/// A second judge of the content categories, such as a moderation model behind an API
/// (`QuarryAnswer.ModerationClassifier`, for any OpenAI-compatible `/v1/moderations`).
///
/// The engine asks it first for the categories a stage filters and keeps the built-in
/// ``ContentScorer`` for every category it returns no score for: the ones it does not know
/// (`prompt_attack` for OpenAI's models), and all of them when it cannot answer. A classifier
/// never throws: it reports its own failures (to its log) and returns what it could judge.
public protocol ContentClassifier: Sendable {
    /// What it is, for findings and logs: `moderation:omni-moderation-latest`.
    var name: String { get }

    /// Scores from 0 to 1 for those of `categories` it can judge in `text`; empty when it could not judge.
    func scores(_ text: String, categories: Set<ContentCategory>) async -> [ContentCategory: Double]
}
