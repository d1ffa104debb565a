/// A policy that cannot be used, with the line of the YAML document that is wrong and why.
public struct GuardrailPolicyError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The line (from 1) of the offending value, when known.
    public let line: Int?
    /// What is wrong, such as `unknown content category "hates" (expected hate, insults, …)`.
    public let reason: String

    /// An error at `line`.
    public init(line: Int?, reason: String) {
        self.line = line
        self.reason = reason
    }

    /// `line 12: threshold must be between 0 and 1, not 1.5`.
    public var description: String {
        if let line { return "line \(line): \(reason)" }
        return reason
    }
}
