public import Foundation

/// A person (or a program acting for one) who can sign in with an API key.
public struct User: Sendable, Hashable, Codable {
    /// The user's identifier in the store.
    public var id: Int64
    /// The unique, lowercase name (see ``QuarryCore/PrincipalName``).
    public var name: String
    /// Admins may read every document and manage Quarry.
    public var isAdmin: Bool
    /// The names of the groups the user belongs to, sorted.
    public var groups: [String]
    /// When the user was created.
    public var createdAt: Date
}

/// A named set of users, used in access policies as `group:NAME`.
public struct Group: Sendable, Hashable, Codable {
    /// The group's identifier in the store.
    public var id: Int64
    /// The unique, lowercase name.
    public var name: String
    /// The names of the members, sorted.
    public var members: [String]
    /// When the group was created.
    public var createdAt: Date
}

/// What is stored about an API key: never the key itself, only its hash and a short hint.
public struct APIKeyInfo: Sendable, Hashable, Codable {
    /// The key's identifier, used to revoke it.
    public var id: Int64
    /// The owner's name.
    public var userName: String
    /// A label saying what the key is for.
    public var label: String
    /// The first characters of the key, to recognise it.
    public var hint: String
    /// When the key was created.
    public var createdAt: Date
    /// When the key was last used to sign in (recorded at most once a minute).
    public var lastUsedAt: Date?
    /// When the key was revoked; a revoked key no longer signs anyone in.
    public var revokedAt: Date?
}
