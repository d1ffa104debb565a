public import QuarryCore

/// Detects the policy's blocked topics in a text.
///
/// With an embedder, the text and each of its sentences are embedded and compared (cosine) with
/// the topic's definition and each example; the topic's score is the best of those similarities,
/// and it fires at its threshold. A keyword (whole word, through the word filters' obfuscation
/// handling) fires the topic with score 1. Without an embedder only keywords work.
public struct TopicDetector: Sendable {
    /// A topic found in a text.
    public struct Hit: Sendable, Hashable {
        /// The topic's name.
        public var topic: String
        /// The best similarity, or 1 for a keyword.
        public var score: Double
        /// The sentence (or keyword) that matched best, in scalars.
        public var span: Range<Int>
        /// Whether the topic reached its threshold (or a keyword matched).
        public var fired: Bool
    }

    private struct Compiled: Sendable {
        let topic: GuardrailPolicy.Topic
        let vectors: [[Float]]
        let keywords: PhraseMatcher
    }

    private let compiled: [Compiled]
    private let embedder: (any Embedder)?

    /// Prepares the topics, embedding every definition and example once.
    ///
    /// - Throws: What the embedder throws.
    public init(topics: [GuardrailPolicy.Topic], embedder: (any Embedder)?) async throws {
        var compiled: [Compiled] = []
        for topic in topics {
            let vectors = try await embedder?.embed([topic.definition] + topic.examples) ?? []
            compiled.append(Compiled(topic: topic, vectors: vectors, keywords: PhraseMatcher(topic.keywords)))
        }
        self.compiled = compiled
        self.embedder = embedder
    }

    /// Whether any topic is defined.
    public var isEmpty: Bool { compiled.isEmpty }

    /// Every topic checked at `stage` with its best score (fired or not, so that admins can tune thresholds).
    ///
    /// - Throws: What the embedder throws.
    public func detect(_ text: String, stage: GuardrailStage) async throws -> [Hit] {
        let active = compiled.filter { $0.topic.stages.contains(stage) }
        guard !active.isEmpty, !text.isEmpty else { return [] }
        let length = text.unicodeScalars.count
        var units: [Range<Int>] = [0..<length]
        let sentences = SentenceSplitter.sentenceRanges(in: text).map { $0.start..<$0.end }
        if sentences.count > 1 { units += sentences }
        var vectors: [[Float]] = []
        if let embedder, active.contains(where: { !$0.vectors.isEmpty }) {
            let scalars = Array(text.unicodeScalars)
            vectors = try await embedder.embed(
                units.map { range in
                    var view = String.UnicodeScalarView()
                    view.append(contentsOf: scalars[range])
                    return String(view)
                }
            )
        }
        var hits: [Hit] = []
        for topic in active {
            var best = Hit(topic: topic.topic.name, score: 0, span: 0..<length, fired: false)
            for (unit, vector) in zip(units, vectors) {
                for reference in topic.vectors {
                    let similarity = Double(zip(vector, reference).reduce(Float(0)) { $0 + $1.0 * $1.1 })
                    if similarity > best.score {
                        best.score = similarity
                        best.span = unit
                    }
                }
            }
            best.fired = best.score >= topic.topic.threshold
            if let keyword = topic.keywords.matches(in: text).first {
                best = Hit(topic: topic.topic.name, score: 1, span: keyword.start..<keyword.end, fired: true)
            }
            hits.append(best)
        }
        return hits
    }
}
