/// A store operation was refused: something already exists, is missing or is invalid.
///
/// Database failures themselves surface as GRDB's `DatabaseError`, whose description never
/// includes statement arguments.
public struct StoreError: Error, Equatable, Sendable, CustomStringConvertible {
    private enum Code: Equatable, Sendable {
        case alreadyExists(kind: String, name: String)
        case notFound(kind: String, name: String)
        case invalid(String)
        case newerSchema(String)
    }

    private let code: Code

    /// A user, group or connector with this name exists already.
    public static func alreadyExists(_ kind: String, _ name: String) -> StoreError {
        StoreError(code: .alreadyExists(kind: kind, name: name))
    }

    /// No user, group, key, connector or conversation goes by this name or id.
    public static func notFound(_ kind: String, _ name: String) -> StoreError {
        StoreError(code: .notFound(kind: kind, name: name))
    }

    /// The request makes no sense, for the given reason.
    public static func invalid(_ reason: String) -> StoreError {
        StoreError(code: .invalid(reason))
    }

    /// The database was written by a newer Quarry, whose schema this version does not know.
    public static func newerSchema(_ migration: String) -> StoreError {
        StoreError(code: .newerSchema(migration))
    }

    /// Whether this error means the thing asked for does not exist.
    public var isNotFound: Bool {
        if case .notFound = code { return true }
        return false
    }

    /// Whether this error means the thing to create exists already.
    public var isAlreadyExists: Bool {
        if case .alreadyExists = code { return true }
        return false
    }

    public var description: String {
        switch code {
        case .alreadyExists(let kind, let name): "\(kind) \"\(name)\" already exists"
        case .notFound(let kind, let name): "no \(kind) \"\(name)\""
        case .invalid(let reason): reason
        case .newerSchema(let migration):
            "the database was written by a newer version of Quarry (unknown migration \(migration)); upgrade Quarry"
        }
    }
}
