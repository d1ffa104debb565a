extension GuardrailPolicy {
    /// The text of `guardrails/default.yaml`, embedded at build time (by `scripts/make_guardrail_data.py`).
    public static let defaultYAML = BuiltinLists.defaultPolicy + "\n"

    /// The shipped default policy, in force until an admin sets another.
    public static var `default`: GuardrailPolicy {
        // The shipped file is checked by the tests; failing to parse it is a build defect.
        try! GuardrailPolicy(yaml: defaultYAML)
    }
}
