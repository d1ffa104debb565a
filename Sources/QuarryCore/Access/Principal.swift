/// Someone a document can be shared with: one user, every member of a group, or everyone.
///
/// Principals are written as strings in ACL files, object metadata and the API:
/// `"everyone"`, `"user:bob"`, `"group:hr"`. Names are case-insensitive and stored lowercased.
public enum Principal: Hashable, Sendable, Comparable {
    /// Every signed-in user.
    case everyone
    /// One user, by name.
    case user(String)
    /// Every member of a group, by name.
    case group(String)

    /// Parses `"everyone"`, `"user:NAME"` or `"group:NAME"`.
    ///
    /// - Throws: ``AccessError`` when the text is not one of these forms or the name is not a valid ``PrincipalName``.
    public init(parsing text: String) throws(AccessError) {
        let trimmed = text.trimmingASCIIWhitespace()
        if trimmed.lowercased() == "everyone" {
            self = .everyone
            return
        }
        guard let colon = trimmed.firstIndex(of: ":") else {
            throw .invalidPrincipal(text, reason: "expected \"everyone\", \"user:NAME\" or \"group:NAME\"")
        }
        let kind = trimmed[..<colon].lowercased()
        let rawName = String(trimmed[trimmed.index(after: colon)...])
        let name: String
        do {
            name = try PrincipalName.validated(rawName)
        } catch {
            throw .invalidPrincipal(text, reason: error.reason)
        }
        switch kind {
        case "user": self = .user(name)
        case "group": self = .group(name)
        default: throw .invalidPrincipal(text, reason: "unknown kind \"\(kind)\"; expected user or group")
        }
    }

    /// The canonical text form: `everyone`, `user:NAME` or `group:NAME`.
    ///
    /// This is also the key stored beside each document in the store.
    public var key: String {
        switch self {
        case .everyone: "everyone"
        case .user(let name): "user:\(name)"
        case .group(let name): "group:\(name)"
        }
    }

    public static func < (lhs: Principal, rhs: Principal) -> Bool { lhs.key < rhs.key }
}

extension Principal: CustomStringConvertible {
    public var description: String { key }
}

extension Principal: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        do {
            self = try Principal(parsing: text)
        } catch {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: error.description)
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(key)
    }
}
