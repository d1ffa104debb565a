import Foundation
import QuarryGuardrails
import Testing

/// The embedded word list must be the one shipped in guardrails/data (regenerate with scripts/make_guardrail_data.py).
struct BuiltinDataTests {
    @Test func embeddedProfanityListMatchesTheDataFile() throws {
        let file = try String(
            contentsOf: repositoryRoot.appendingPathComponent("guardrails/data/profanity.txt"),
            encoding: .utf8
        )
        #expect(WordFilter.profanity == file.split(separator: "\n").map(String.init))
    }
}

struct EmbeddedDefaultPolicyTests {
    @Test func embeddedDefaultPolicyIsTheShippedFile() throws {
        #expect(GuardrailPolicy.defaultYAML == (try defaultPolicyText()))
        #expect(GuardrailPolicy.default == (try GuardrailPolicy(yaml: try defaultPolicyText())))
    }
}
