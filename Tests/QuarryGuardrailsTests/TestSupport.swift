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

/// The default policy with contact details masked in answers too (the default shows them there),
/// as an admin whose documents hold personal contact details would set it.
func maskingPolicyText() throws -> String {
    let text = try defaultPolicyText()
    let masked = text.replacingOccurrences(of: "{input: mask, output: log}", with: "mask")
    precondition(masked != text, "guardrails/default.yaml no longer logs contact details in answers")
    return masked
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
