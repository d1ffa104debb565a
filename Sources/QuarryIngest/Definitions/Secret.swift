public import Foundation

/// A secret setting: written as the value itself or as `env:VARIABLE`, read at sync time.
///
/// Its `description` never shows a literal value, so a secret cannot leak through logging or
/// string interpolation; ``redacted`` is what the API and the CLI show.
public enum Secret: Sendable, Hashable, CustomStringConvertible, CustomReflectable {
    /// The value as written in the configuration.
    case literal(String)
    /// The name of an environment variable holding the value.
    case environment(String)

    /// Reads `env:NAME` or a literal value.
    public init(configurationText text: String) {
        if text.hasPrefix("env:") {
            self = .environment(String(text.dropFirst(4)))
        } else {
            self = .literal(text)
        }
    }

    /// The text stored in the configuration (the literal itself: only the store ever holds it).
    public var configurationText: String {
        switch self {
        case .literal(let value): value
        case .environment(let name): "env:\(name)"
        }
    }

    /// What may be shown: `********` for a literal, `env:NAME` for a variable.
    public var redacted: String {
        switch self {
        case .literal: Self.mask
        case .environment(let name): "env:\(name)"
        }
    }

    /// The placeholder shown instead of a literal secret; sending it back keeps the stored value.
    public static let mask = "********"

    /// The value, from the environment if need be.
    ///
    /// - Throws: ``ConnectorDefinitionError`` naming the variable when it is not set.
    public func resolve(
        field: String,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) throws
        -> String
    {
        switch self {
        case .literal(let value):
            return value
        case .environment(let name):
            guard let value = environment[name], !value.isEmpty else {
                throw ConnectorDefinitionError(
                    line: nil,
                    field: field,
                    message: "the environment variable \(name) is not set"
                )
            }
            return value
        }
    }

    public var description: String { redacted }

    /// Mirrors (`dump`, `String(reflecting:)`) show the redacted form too.
    public var customMirror: Mirror { Mirror(self, children: ["redacted": redacted]) }
}
