/// What one asker may read: the principals that stand for them, or everything for an admin.
///
/// A scope is computed once per request from the user and their group memberships, and
/// every retrieval path takes it as an argument so that the restriction happens inside the search.
public struct AccessScope: Hashable, Sendable {
    /// The user the scope belongs to.
    public let userName: String
    /// Admins may read every document, including those whose policy names nobody.
    public let isAdmin: Bool
    /// `everyone`, `user:NAME` and one `group:G` per membership.
    public let principals: Set<Principal>

    /// Builds the scope of a user from their name, group names and role.
    public init(userName: String, groups: some Sequence<String>, isAdmin: Bool) {
        self.userName = userName
        self.isAdmin = isAdmin
        var principals: Set<Principal> = [.everyone, .user(userName)]
        for group in groups {
            principals.insert(.group(group))
        }
        self.principals = principals
    }

    /// Whether a document with `policy` may be read within this scope.
    public func canRead(_ policy: AccessPolicy) -> Bool {
        isAdmin || !policy.readers.isDisjoint(with: principals)
    }

    /// The principal keys, sorted, as stored beside documents.
    public var principalKeys: [String] { principals.sorted().map(\.key) }
}
