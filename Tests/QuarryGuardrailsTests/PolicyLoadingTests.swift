import QuarryGuardrails
import Testing

/// What an admin checks when writing a policy: the default loads, and every mistake is named with its line.
struct PolicyLoadingTests {
    @Test func defaultPolicyLoads() throws {
        let policy = try GuardrailPolicy(yaml: try defaultPolicyText())
        #expect(policy.name == "default")
        #expect(policy.stages == [.input, .output])
        #expect(policy.pii.entities["CREDIT_CARD"]?[.output] == .block)
        #expect(policy.pii.entities["IP_ADDRESS"]?[.input] == .log)
        #expect(policy.pii.entities["EMAIL_ADDRESS"]?[.output] == .log)
        #expect(policy.pii.entities["IP_ADDRESS"]?[.output] == .mask)
        #expect(policy.pii.custom.map(\.name) == ["EMPLOYEE_ID"])
        #expect(policy.words.profanity)
        #expect(policy.content.filters[.promptAttack]?.input == .high)
        #expect(policy.content.filters[.promptAttack]?.output == FilterStrength.none)
        #expect(policy.topics.map(\.name) == ["investment-advice", "legal-advice"])
    }

    @Test func emptyDocumentAllowsEverything() throws {
        let policy = try GuardrailPolicy(yaml: "")
        #expect(policy.pii.entities.isEmpty && policy.topics.isEmpty && policy.content.filters.isEmpty)
    }

    @Test(arguments: [
        (
            "pii:\n  custom:\n    - name: CODE\n      pattern: '[a-'\n", 4,
            "pattern of CODE is not a valid regular expression"
        ),
        ("content:\n  hate: high\n  hates: low\n", 3, "unknown content category \"hates\""),
        (
            "topics:\n  - name: x\n    definition: y\n    threshold: 1.5\n", 4,
            "threshold must be between 0 and 1, not \"1.5\""
        ),
        ("pii:\n  entities:\n    EMAIL_ADDRESS: redact\n", 3, "unknown action \"redact\""),
        ("pii:\n  entities:\n    PASSPORT: mask\n", 3, "unknown entity type \"PASSPORT\""),
        ("content:\n  insults: {input: extreme}\n", 2, "strength must be none, low, medium or high, not \"extreme\""),
        ("pii:\n  min_score: -0.1\n", 2, "min_score must be between 0 and 1"),
        ("name: x\ncolour: red\n", 2, "unknown key \"colour\""),
        ("words:\n  action: anonymize\n", 2, "unknown action \"anonymize\" here (expected one of block, mask, log)"),
        ("topics:\n  - name: x\n", 2, "topics: definition is required"),
        ("pii:\n  custom:\n    - name: ANY\n      pattern: 'x*'\n", 4, "matches the empty string"),
        ("stages:\n  input: maybe\n", 2, "expected true or false"),
        ("name: [unclosed\n", 2, "not valid YAML"),
    ])
    func invalidPoliciesNameLineAndReason(yaml: String, line: Int, reason: String) {
        do {
            _ = try GuardrailPolicy(yaml: yaml)
            Issue.record("accepted an invalid policy: \(yaml)")
        } catch let error as GuardrailPolicyError {
            #expect(error.line == line, "\(error)")
            #expect(error.reason.contains(reason), "\(error)")
            #expect(error.description.hasPrefix("line \(line): "))
        } catch {
            Issue.record("unexpected error \(error)")
        }
    }

    @Test func jsonIsAcceptedToo() throws {
        let policy = try GuardrailPolicy(
            yaml: #"{"pii": {"entities": {"EMAIL_ADDRESS": "anonymize"}}, "content": {"hate": "low"}}"#
        )
        #expect(policy.pii.entities["EMAIL_ADDRESS"]?[.input] == .anonymize)
        #expect(policy.content.filters[.hate] == GuardrailPolicy.Strengths(input: .low, output: .low))
    }
}
