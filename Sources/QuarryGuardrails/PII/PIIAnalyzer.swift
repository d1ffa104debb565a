import Foundation

/// Finds personal data in a text: the built-in recognisers, the policy's custom entities, context
/// words, then the best of any overlapping findings.
///
/// ```swift
/// let analyzer = try PIIAnalyzer(entities: ["EMAIL_ADDRESS", "PHONE_NUMBER"])
/// analyzer.analyze("Write to ana@example.com")  // [PIIMatch(entity: "EMAIL_ADDRESS", start: 9, end: 24, score: 0.9)]
/// ```
public struct PIIAnalyzer: Sendable {
    /// Added to a finding's score when one of its recogniser's context words is among (or, for
    /// words of four letters or more, inside one of) the five words before it or the two after it
    /// (Presidio's factor); the result is at least 0.4.
    public static let contextBoost = 0.35

    private let recognizers: [PatternRecognizer]
    private let names: NameRecognizer
    private let minimumScore: Double
    private let allow: Set<String>

    /// An analyzer for the given types.
    ///
    /// - Parameters:
    ///   - entities: The built-in types to detect (``PIIEntityType/all`` by default).
    ///   - custom: The policy's own regular-expression entities.
    ///   - minimumScore: Findings scoring less are dropped.
    ///   - allow: Values never reported, compared case-insensitively.
    /// - Throws: ``GuardrailPolicyError`` for a custom pattern that does not compile.
    public init(
        entities: Set<String> = Set(PIIEntityType.all),
        custom: [GuardrailPolicy.CustomEntity] = [],
        minimumScore: Double = 0.5,
        allow: [String] = []
    ) throws {
        var recognizers = BuiltinRecognizers.all.filter { entities.contains($0.entity) }
        for entity in custom {
            let regex: NSRegularExpression
            do {
                regex = try NSRegularExpression(pattern: entity.pattern)
            } catch {
                throw GuardrailPolicyError(
                    line: nil,
                    reason: "pattern of \(entity.name) is not a valid regular expression"
                )
            }
            recognizers.append(
                PatternRecognizer(
                    entity: entity.name,
                    compiled: regex,
                    score: entity.score,
                    context: entity.context.map { $0.lowercased() }
                )
            )
        }
        self.recognizers = recognizers
        self.names = NameRecognizer(
            detectPeople: entities.contains(PIIEntityType.person),
            detectPlaces: entities.contains(PIIEntityType.location)
        )
        self.minimumScore = minimumScore
        self.allow = Set(allow.map { $0.lowercased() })
    }

    /// The personal data in `text`, in order, without overlaps.
    public func analyze(_ text: String) -> [PIIMatch] {
        guard !text.isEmpty else { return [] }
        let scanned = ScannedText(text)
        let tokens = WordToken.tokens(of: scanned.scalars)
        var candidates: [PIIMatch] = []
        for recognizer in recognizers {
            for match in recognizer.recognize(scanned) {
                candidates.append(boosted(match, context: recognizer.context, tokens: tokens))
            }
        }
        for match in names.recognize(scanned, tokens: tokens) {
            let context = match.entity == PIIEntityType.person ? NameRecognizer.personContext : []
            candidates.append(boosted(match, context: context, tokens: tokens))
        }
        candidates.removeAll { match in
            match.score < minimumScore
                || (!allow.isEmpty && allow.contains(scanned.text(match.start..<match.end).lowercased()))
        }
        return Self.resolveOverlaps(candidates)
    }

    /// Keeps the best of overlapping findings: highest score, then longest, then first.
    static func resolveOverlaps(_ candidates: [PIIMatch]) -> [PIIMatch] {
        let ranked = candidates.sorted { a, b in
            if a.score != b.score { return a.score > b.score }
            if a.end - a.start != b.end - b.start { return a.end - a.start > b.end - b.start }
            return a.start < b.start
        }
        var kept: [PIIMatch] = []
        for candidate in ranked where !kept.contains(where: { $0.overlaps(candidate) }) {
            kept.append(candidate)
        }
        return kept.sorted { $0.start < $1.start }
    }

    private func boosted(_ match: PIIMatch, context: [String], tokens: [WordToken]) -> PIIMatch {
        guard !context.isEmpty else { return match }
        // The first token at or after the match.
        var low = 0
        var high = tokens.count
        while low < high {
            let middle = (low + high) / 2
            if tokens[middle].end <= match.start { low = middle + 1 } else { high = middle }
        }
        var window: [WordToken] = Array(tokens[max(0, low - 5)..<low])
        var after = low
        while after < tokens.count, tokens[after].start < match.end { after += 1 }
        window += tokens[after..<min(tokens.count, after + 2)]
        let found = window.contains { token in
            let word = token.text.lowercased()
            // A context word inside a longer word counts too ("telephone", a "\\nPhone" glued to an escape).
            return context.contains { word == $0 || ($0.count >= 4 && word.contains($0)) }
        }
        guard found else { return match }
        var result = match
        result.score = min(1, max(match.score + Self.contextBoost, 0.4))
        return result
    }
}
