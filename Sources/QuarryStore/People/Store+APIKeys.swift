import Crypto
import Foundation
import GRDB
import QuarryCore

extension Store {
    /// Creates an API key for a user and returns it; the key itself is never stored, only its SHA-256.
    ///
    /// Keys are `qk_` followed by 43 characters of base64url: 256 random bits from the system's
    /// cryptographic generator. Show the secret once; it cannot be recovered.
    ///
    /// - Throws: ``StoreError/notFound(_:_:)`` if there is no such user.
    public func createAPIKey(userName: String, label: String) async throws -> (key: APIKeyInfo, secret: String) {
        let user = userName.trimmingASCIIWhitespace().lowercased()
        let label = label.trimmingASCIIWhitespace()
        guard label.count <= 200 else { throw StoreError.invalid("a key label is at most 200 characters") }
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        let secret = "qk_" + Data(bytes).base64URLEncoded()
        let hint = String(secret.prefix(7))
        let hash = Self.hash(secret)
        let info = try await database.write { db in
            guard let userID = try Int64.fetchOne(db, sql: "SELECT id FROM user WHERE name = ?", arguments: [user])
            else {
                throw StoreError.notFound("user", user)
            }
            try db.execute(
                sql: "INSERT INTO api_key (user_id, label, secret_hash, hint, created_at) VALUES (?, ?, ?, ?, ?)",
                arguments: [userID, label.isEmpty ? "default" : label, hash, hint, Date()]
            )
            return try Self.fetchKeys(where: "k.id = ?", [db.lastInsertedRowID], db)[0]
        }
        return (info, secret)
    }

    /// The keys of one user, or of everyone, newest first. Revoked keys are included.
    public func apiKeys(userName: String? = nil) async throws -> [APIKeyInfo] {
        try await database.read { db in
            if let userName {
                return try Self.fetchKeys(where: "u.name = ?", [userName.lowercased()], db)
            }
            return try Self.fetchKeys(where: "1", [], db)
        }
    }

    /// Revokes a key: from now on it signs nobody in.
    ///
    /// - Throws: ``StoreError/notFound(_:_:)`` if no unrevoked key has this identifier.
    public func revokeAPIKey(id: Int64) async throws {
        try await database.write { db in
            try db.execute(
                sql: "UPDATE api_key SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL",
                arguments: [Date(), id]
            )
            if db.changesCount == 0 { throw StoreError.notFound("active API key", "\(id)") }
        }
    }

    /// The user a key signs in, or nil for an unknown or revoked key. Records when the key was used.
    ///
    /// The key is looked up by its SHA-256, so the lookup neither stores nor compares secrets.
    public func authenticate(apiKey secret: String) async throws -> User? {
        guard secret.hasPrefix("qk_"), secret.utf8.count < 200 else { return nil }
        let hash = Self.hash(secret)
        let now = Date()
        let found: (keyID: Int64, userID: Int64, lastUsed: Date?)? = try await database.read { db in
            try Row.fetchOne(
                db,
                sql: "SELECT id, user_id, last_used_at FROM api_key WHERE secret_hash = ? AND revoked_at IS NULL",
                arguments: [hash]
            ).map { ($0["id"], $0["user_id"], $0["last_used_at"]) }
        }
        guard let (keyID, userID, lastUsed) = found else { return nil }
        if lastUsed.map({ now.timeIntervalSince($0) >= 60 }) ?? true {
            try await database.write { db in
                try db.execute(sql: "UPDATE api_key SET last_used_at = ? WHERE id = ?", arguments: [now, keyID])
            }
        }
        return try await user(id: userID)
    }

    static func hash(_ secret: String) -> Data {
        Data(SHA256.hash(data: Data(secret.utf8)))
    }

    static func fetchKeys(
        where condition: String,
        _ arguments: StatementArguments,
        _ db: Database
    ) throws -> [APIKeyInfo] {
        try Row.fetchAll(
            db,
            sql: """
                SELECT k.id, u.name AS user_name, k.label, k.hint, k.created_at, k.last_used_at, k.revoked_at
                FROM api_key k JOIN user u ON u.id = k.user_id
                WHERE \(condition) ORDER BY k.created_at DESC, k.id DESC
                """,
            arguments: arguments
        ).map { row in
            APIKeyInfo(
                id: row["id"],
                userName: row["user_name"],
                label: row["label"],
                hint: row["hint"],
                createdAt: row["created_at"],
                lastUsedAt: row["last_used_at"],
                revokedAt: row["revoked_at"]
            )
        }
    }
}

extension Data {
    /// Base64url without padding (RFC 4648 §5).
    func base64URLEncoded() -> String {
        base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
