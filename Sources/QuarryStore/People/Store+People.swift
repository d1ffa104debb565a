import Foundation
import GRDB
public import QuarryCore

extension Store {
    /// Creates a user, creating any group named for the first time.
    ///
    /// - Throws: ``StoreError/alreadyExists(_:_:)`` if the name is taken, ``StoreError/invalid(_:)``
    ///   for an invalid user or group name.
    @discardableResult
    public func createUser(name: String, groups: [String] = [], isAdmin: Bool = false) async throws -> User {
        let userName = try validName(name, kind: "user")
        let groupNames = try groups.map { try validName($0, kind: "group") }
        return try await database.write { db in
            if try Int64.fetchOne(db, sql: "SELECT id FROM user WHERE name = ?", arguments: [userName]) != nil {
                throw StoreError.alreadyExists("user", userName)
            }
            try db.execute(
                sql: "INSERT INTO user (name, is_admin, created_at) VALUES (?, ?, ?)",
                arguments: [userName, isAdmin, Date()]
            )
            let userID = db.lastInsertedRowID
            for group in Set(groupNames) {
                let groupID = try Self.groupID(named: group, creating: true, db)!
                try db.execute(
                    sql: "INSERT OR IGNORE INTO membership (user_id, group_id) VALUES (?, ?)",
                    arguments: [userID, groupID]
                )
            }
            return try Self.fetchUser(where: "u.id = ?", [userID], db)!
        }
    }

    /// The user with this name, or nil.
    public func user(named name: String) async throws -> User? {
        let normalised = name.trimmingASCIIWhitespace().lowercased()
        return try await database.read { db in try Self.fetchUser(where: "u.name = ?", [normalised], db) }
    }

    /// The user with this identifier, or nil.
    public func user(id: Int64) async throws -> User? {
        try await database.read { db in try Self.fetchUser(where: "u.id = ?", [id], db) }
    }

    /// Every user, by name.
    public func users() async throws -> [User] {
        try await database.read { db in try Self.fetchUsers(where: "1", [], db) }
    }

    /// Deletes a user with their memberships, keys and conversations.
    ///
    /// - Throws: ``StoreError/notFound(_:_:)`` if there is no such user.
    public func deleteUser(named name: String) async throws {
        let normalised = name.trimmingASCIIWhitespace().lowercased()
        try await database.write { db in
            try db.execute(sql: "DELETE FROM user WHERE name = ?", arguments: [normalised])
            if db.changesCount == 0 { throw StoreError.notFound("user", normalised) }
        }
    }

    /// Grants or withdraws the admin role.
    public func setAdmin(_ isAdmin: Bool, userName: String) async throws {
        let normalised = userName.trimmingASCIIWhitespace().lowercased()
        try await database.write { db in
            try db.execute(sql: "UPDATE user SET is_admin = ? WHERE name = ?", arguments: [isAdmin, normalised])
            if db.changesCount == 0 { throw StoreError.notFound("user", normalised) }
        }
    }

    /// Creates an empty group.
    ///
    /// - Throws: ``StoreError/alreadyExists(_:_:)`` if the name is taken.
    @discardableResult
    public func createGroup(name: String) async throws -> Group {
        let groupName = try validName(name, kind: "group")
        return try await database.write { db in
            if try Self.groupID(named: groupName, creating: false, db) != nil {
                throw StoreError.alreadyExists("group", groupName)
            }
            _ = try Self.groupID(named: groupName, creating: true, db)
            return try Self.fetchGroups(where: "g.name = ?", [groupName], db)[0]
        }
    }

    /// Every group with its members, by name.
    public func groups() async throws -> [Group] {
        try await database.read { db in try Self.fetchGroups(where: "1", [], db) }
    }

    /// Deletes a group; its members stay, without that membership.
    public func deleteGroup(named name: String) async throws {
        let normalised = name.trimmingASCIIWhitespace().lowercased()
        try await database.write { db in
            try db.execute(sql: "DELETE FROM \"group\" WHERE name = ?", arguments: [normalised])
            if db.changesCount == 0 { throw StoreError.notFound("group", normalised) }
        }
    }

    /// Adds a user to a group, creating the group if it is new.
    public func addMember(userName: String, toGroup groupName: String) async throws {
        let user = userName.trimmingASCIIWhitespace().lowercased()
        let group = try validName(groupName, kind: "group")
        try await database.write { db in
            guard let userID = try Int64.fetchOne(db, sql: "SELECT id FROM user WHERE name = ?", arguments: [user])
            else {
                throw StoreError.notFound("user", user)
            }
            let groupID = try Self.groupID(named: group, creating: true, db)!
            try db.execute(
                sql: "INSERT OR IGNORE INTO membership (user_id, group_id) VALUES (?, ?)",
                arguments: [userID, groupID]
            )
        }
    }

    /// Removes a user from a group.
    public func removeMember(userName: String, fromGroup groupName: String) async throws {
        let user = userName.trimmingASCIIWhitespace().lowercased()
        let group = groupName.trimmingASCIIWhitespace().lowercased()
        try await database.write { db in
            try db.execute(
                sql: """
                    DELETE FROM membership
                    WHERE user_id = (SELECT id FROM user WHERE name = ?)
                      AND group_id = (SELECT id FROM "group" WHERE name = ?)
                    """,
                arguments: [user, group]
            )
            if db.changesCount == 0 {
                throw StoreError.notFound("membership", "\(user) in \(group)")
            }
        }
    }

    /// What a user may read, from their current groups and role.
    ///
    /// Computed afresh on every call, so a membership change is honoured by the next request.
    public func accessScope(forUserID userID: Int64) async throws -> AccessScope {
        guard let user = try await user(id: userID) else { throw StoreError.notFound("user", "#\(userID)") }
        return AccessScope(userName: user.name, groups: user.groups, isAdmin: user.isAdmin)
    }

    // MARK: - Helpers

    func validName(_ name: String, kind: String) throws -> String {
        do {
            return try PrincipalName.validated(name)
        } catch {
            throw StoreError.invalid("invalid \(kind) name \"\(name.prefix(80))\": \(error.reason)")
        }
    }

    static func groupID(named name: String, creating: Bool, _ db: Database) throws -> Int64? {
        if let id = try Int64.fetchOne(db, sql: "SELECT id FROM \"group\" WHERE name = ?", arguments: [name]) {
            return id
        }
        guard creating else { return nil }
        try db.execute(sql: "INSERT INTO \"group\" (name, created_at) VALUES (?, ?)", arguments: [name, Date()])
        return db.lastInsertedRowID
    }

    static func fetchUser(where condition: String, _ arguments: StatementArguments, _ db: Database) throws -> User? {
        try fetchUsers(where: condition, arguments, db).first
    }

    static func fetchUsers(where condition: String, _ arguments: StatementArguments, _ db: Database) throws -> [User] {
        let rows = try Row.fetchAll(
            db,
            sql: """
                SELECT u.id, u.name, u.is_admin, u.created_at,
                       (SELECT group_concat(name, char(10)) FROM (
                           SELECT g.name FROM membership m JOIN "group" g ON g.id = m.group_id
                           WHERE m.user_id = u.id ORDER BY g.name)) AS groups
                FROM user u WHERE \(condition) ORDER BY u.name
                """,
            arguments: arguments
        )
        return rows.map { row in
            let groups: String? = row["groups"]
            return User(
                id: row["id"],
                name: row["name"],
                isAdmin: row["is_admin"],
                groups: groups.map { $0.split(separator: "\n").map(String.init) } ?? [],
                createdAt: row["created_at"]
            )
        }
    }

    static func fetchGroups(where condition: String, _ arguments: StatementArguments, _ db: Database) throws -> [Group]
    {
        let rows = try Row.fetchAll(
            db,
            sql: """
                SELECT g.id, g.name, g.created_at,
                       (SELECT group_concat(name, char(10)) FROM (
                           SELECT u.name FROM membership m JOIN user u ON u.id = m.user_id
                           WHERE m.group_id = g.id ORDER BY u.name)) AS members
                FROM "group" g WHERE \(condition) ORDER BY g.name
                """,
            arguments: arguments
        )
        return rows.map { row in
            let members: String? = row["members"]
            return Group(
                id: row["id"],
                name: row["name"],
                members: members.map { $0.split(separator: "\n").map(String.init) } ?? [],
                createdAt: row["created_at"]
            )
        }
    }
}
