import Foundation

/// A personal data type found by regular expressions, then checked by a validator.
struct PatternRecognizer: Sendable {
    /// One expression and the score of a match that passes validation (unless the validator scores it).
    struct Pattern: Sendable {
        let regex: SharedRegex
        let score: Double
    }

    /// The result of validation: the score to use, and how many scalars of the match to keep.
    struct Verdict {
        var score: Double?
        var length: Int?
    }

    let entity: String
    let patterns: [Pattern]
    /// Lower-case words that, shortly before (or just after) a match, raise its score.
    let context: [String]
    /// Checks a match's text; `nil` rejects it.
    let validate: (@Sendable (String) -> Verdict?)?

    init(
        entity: String,
        patterns: [(String, Double)],
        context: [String] = [],
        caseInsensitive: Bool = false,
        validate: (@Sendable (String) -> Verdict?)? = nil
    ) {
        self.entity = entity
        self.patterns = patterns.map {
            Pattern(regex: SharedRegex($0.0, caseInsensitive: caseInsensitive), score: $0.1)
        }
        self.context = context
        self.validate = validate
    }

    init(entity: String, compiled: NSRegularExpression, score: Double, context: [String]) {
        self.entity = entity
        self.patterns = [Pattern(regex: SharedRegex(compiled: compiled), score: score)]
        self.context = context
        self.validate = nil
    }

    /// Every validated match in `text`.
    func recognize(_ text: ScannedText) -> [PIIMatch] {
        var results: [PIIMatch] = []
        for pattern in patterns {
            for match in text.matches(pattern.regex.regex) where match.range.length > 0 {
                var range = text.scalarRange(match.range)
                var score = pattern.score
                if let validate {
                    guard let verdict = validate(text.text(range)) else { continue }
                    if let length = verdict.length { range = range.lowerBound..<(range.lowerBound + length) }
                    if let validated = verdict.score { score = validated }
                }
                results.append(PIIMatch(entity: entity, start: range.lowerBound, end: range.upperBound, score: score))
            }
        }
        return results
    }
}
