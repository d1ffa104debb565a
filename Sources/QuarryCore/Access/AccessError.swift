/// An access policy or principal could not be understood.
public struct AccessError: Error, Equatable, Sendable, CustomStringConvertible {
    private enum Code: Equatable, Sendable {
        case invalidPrincipal(text: String, reason: String)
    }

    private let code: Code

    /// A reader string that is not `everyone`, `user:NAME` or `group:NAME`.
    public static func invalidPrincipal(_ text: String, reason: String) -> AccessError {
        AccessError(code: .invalidPrincipal(text: text, reason: reason))
    }

    public var description: String {
        switch code {
        case .invalidPrincipal(let text, let reason):
            "invalid reader \"\(text.prefix(80))\": \(reason)"
        }
    }
}
