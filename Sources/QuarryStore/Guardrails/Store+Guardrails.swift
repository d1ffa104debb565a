import Foundation
import GRDB

extension Migrations {
    /// `v9`: guardrail policy versions (append-only), the one in force and the pseudonym key, and
    /// the decision audit.
    static func v9(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE guardrail_policy_version (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    source TEXT NOT NULL,
                    author TEXT NOT NULL,
                    created_at DATETIME NOT NULL,
                    restored_from INTEGER REFERENCES guardrail_policy_version(id)
                );
                CREATE TABLE guardrail_state (
                    id INTEGER PRIMARY KEY CHECK (id = 1),
                    active_version INTEGER REFERENCES guardrail_policy_version(id),
                    pseudonym_key BLOB NOT NULL
                );
                CREATE TABLE guardrail_decision (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    created_at DATETIME NOT NULL,
                    user_id INTEGER REFERENCES user(id) ON DELETE SET NULL,
                    conversation_id TEXT,
                    stage TEXT NOT NULL CHECK (stage IN ('input', 'retrieval', 'output')),
                    verdict TEXT NOT NULL CHECK (verdict IN ('allowed', 'modified', 'blocked')),
                    policy_version INTEGER,
                    blocked_rule TEXT,
                    findings TEXT NOT NULL
                );
                CREATE INDEX guardrail_decision_created ON guardrail_decision(created_at);
                """
        )
    }
}

extension Store {
    /// The policy version in force, or `nil` while the built-in default applies.
    public func activeGuardrailPolicy() async throws -> GuardrailPolicyVersion? {
        try await database.read { db in
            let row = try Row.fetchOne(
                db,
                sql: """
                    SELECT v.* FROM guardrail_state s JOIN guardrail_policy_version v ON v.id = s.active_version
                    WHERE s.id = 1
                    """
            )
            return row.map(Self.policyVersion)
        }
    }

    /// The number of the version in force (cheap; for caches), or `nil` for the built-in default.
    public func activeGuardrailPolicyID() async throws -> Int64? {
        try await database.read { db in
            try Int64.fetchOne(db, sql: "SELECT active_version FROM guardrail_state WHERE id = 1")
        }
    }

    /// Saves a new policy version and puts it in force. The caller validates `source` first.
    ///
    /// - Parameters:
    ///   - source: The policy's YAML.
    ///   - author: Who saves it.
    ///   - restoredFrom: The version it restores, for a rollback.
    @discardableResult
    public func saveGuardrailPolicy(
        source: String,
        author: String,
        restoredFrom: Int64? = nil
    ) async throws
        -> GuardrailPolicyVersion
    {
        let now = Date()
        return try await database.write { db in
            try db.execute(
                sql:
                    "INSERT INTO guardrail_policy_version (source, author, created_at, restored_from) VALUES (?, ?, ?, ?)",
                arguments: [source, author, now, restoredFrom]
            )
            let id = db.lastInsertedRowID
            try Self.ensureGuardrailState(db)
            try db.execute(sql: "UPDATE guardrail_state SET active_version = ? WHERE id = 1", arguments: [id])
            return GuardrailPolicyVersion(
                id: id,
                source: source,
                author: author,
                createdAt: now,
                restoredFrom: restoredFrom
            )
        }
    }

    /// Puts an earlier version back in force, as a new version with its text.
    ///
    /// - Throws: ``StoreError/notFound(_:_:)`` when there is no such version.
    public func rollBackGuardrailPolicy(to id: Int64, author: String) async throws -> GuardrailPolicyVersion {
        guard let old = try await guardrailPolicyVersion(id: id) else {
            throw StoreError.notFound("guardrail policy version", "\(id)")
        }
        return try await saveGuardrailPolicy(source: old.source, author: author, restoredFrom: id)
    }

    /// One version.
    public func guardrailPolicyVersion(id: Int64) async throws -> GuardrailPolicyVersion? {
        try await database.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM guardrail_policy_version WHERE id = ?", arguments: [id])
                .map(Self.policyVersion)
        }
    }

    /// Every version, newest first.
    public func guardrailPolicyVersions(limit: Int = 100) async throws -> [GuardrailPolicyVersion] {
        try await database.read { db in
            try Row.fetchAll(
                db,
                sql: "SELECT * FROM guardrail_policy_version ORDER BY id DESC LIMIT ?",
                arguments: [limit]
            ).map(Self.policyVersion)
        }
    }

    /// The secret key of `anonymize` pseudonyms, made on first use (16 random bytes).
    public func guardrailPseudonymKey() async throws -> [UInt8] {
        try await database.write { db in
            try Self.ensureGuardrailState(db)
            let data = try Data.fetchOne(db, sql: "SELECT pseudonym_key FROM guardrail_state WHERE id = 1") ?? Data()
            return Array(data)
        }
    }

    /// Appends a decision to the audit.
    public func recordGuardrailDecision(_ record: GuardrailDecisionRecord) async throws {
        try await database.write { db in
            try db.execute(
                sql: """
                    INSERT INTO guardrail_decision (created_at, user_id, conversation_id, stage, verdict,
                        policy_version, blocked_rule, findings)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    record.createdAt, record.userID, record.conversationID, record.stage, record.verdict,
                    record.policyVersion, record.blockedRule, record.findings,
                ]
            )
        }
    }

    private static func ensureGuardrailState(_ db: Database) throws {
        var generator = SystemRandomNumberGenerator()
        let key = Data((0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) })
        try db.execute(
            sql: "INSERT OR IGNORE INTO guardrail_state (id, active_version, pseudonym_key) VALUES (1, NULL, ?)",
            arguments: [key]
        )
    }

    private static func policyVersion(_ row: Row) -> GuardrailPolicyVersion {
        GuardrailPolicyVersion(
            id: row["id"],
            source: row["source"],
            author: row["author"],
            createdAt: row["created_at"],
            restoredFrom: row["restored_from"]
        )
    }
}
