import Foundation
import QuarryEmbed
import QuarryGuardrails

/// The repository's root, from this file's path.
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

/// The shipped default policy's text.
func defaultPolicyText() throws -> String {
    try String(contentsOf: repositoryRoot.appendingPathComponent("guardrails/default.yaml"), encoding: .utf8)
}

/// The default policy with contact details masked in answers (the default only records them).
func maskingPolicy() throws -> GuardrailPolicy {
    var policy = try GuardrailPolicy(yaml: try defaultPolicyText())
    for entity in ["EMAIL_ADDRESS", "PHONE_NUMBER", "ADDRESS"] { policy.pii.entities[entity] = .init(all: .mask) }
    return policy
}

/// The real embedding model, loaded once for the test process.
enum TestModel {
    static let loaded: Result<MiniLMEmbedder, any Error> = Result {
        try MiniLMEmbedder(configuration: EmbeddingConfiguration(environment: ProcessInfo.processInfo.environment))
    }

    static func embedder() throws -> MiniLMEmbedder { try loaded.get() }
}

/// The text of a scalar span.
func slice(_ text: String, _ start: Int?, _ end: Int?) -> String {
    guard let start, let end else { return "" }
    let scalars = Array(text.unicodeScalars)
    var view = String.UnicodeScalarView()
    view.append(contentsOf: scalars[start..<end])
    return String(view)
}

/// The (entity, text) pairs an analyzer finds.
func found(_ text: String, _ analyzer: PIIAnalyzer) -> [String] {
    analyzer.analyze(text).map { "\($0.entity):\(slice(text, $0.start, $0.end))" }
}
