/// Who may read a document.
///
/// A policy is a set of ``Principal`` readers. An empty set means *nobody but admins*, which is
/// also what a connector applies to documents that carry no policy of their own unless its
/// configuration says otherwise.
public struct AccessPolicy: Hashable, Sendable, Codable {
    /// The principals allowed to read. Empty: admins only.
    public var readers: Set<Principal>

    /// Creates a policy from its readers.
    public init(readers: Set<Principal>) {
        self.readers = readers
    }

    /// Readable by admins only.
    public static let adminsOnly = AccessPolicy(readers: [])
    /// Readable by every signed-in user.
    public static let everyone = AccessPolicy(readers: [.everyone])

    /// Parses reader strings such as `["group:hr", "user:bob"]` or `["everyone"]`.
    ///
    /// - Throws: ``AccessError`` naming the first reader that is not a valid ``Principal``.
    public init(parsing readers: [String]) throws(AccessError) {
        var parsed = Set<Principal>()
        for reader in readers {
            parsed.insert(try Principal(parsing: reader))
        }
        self.readers = parsed
    }

    /// The readers' keys, sorted, for display and storage.
    public var readerKeys: [String] { readers.sorted().map(\.key) }
}
