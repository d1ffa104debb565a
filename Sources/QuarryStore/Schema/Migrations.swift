import GRDB

/// The store's schema, as a list of migrations applied in order and never edited once released.
///
/// - `v1`: people (users, groups, memberships, API keys), connectors, documents with their
///   readers, passages and the FTS5 keyword index.
/// - `v2`: conversations and messages, and the history of sync runs.
/// - `v3`: document identifiers are never reused (`AUTOINCREMENT`), so that a citation stored in a
///   conversation can never come to point at a different document.
/// - `v4`: a lease on each connector, so that only one sync of it runs at a time across processes;
///   the number of listing entries a run saw.
/// - `v5`: the links a document contains, so that a crawl can follow an unchanged page's links
///   without downloading it again.
/// - `v6`: a document's state: `live`, `staged` (a large document being written in batches, seen
///   by no search until it is swapped in) or `retired` (replaced or deleted, its passages being
///   removed in batches), the external identifier unique among live documents only; the successor of
///   a document replaced by a new row (so that conversations citing the old one follow it); the
///   warnings of sync runs (a CSV's ragged rows, undecodable bytes).
/// - `v7`: the embedding cache (`Embeddings/Store+Embeddings.swift`).
/// - `v8`: each passage's embedding key, the vector index's model, and the generation counters a
///   vector index follows (`Embeddings/Store+PassageVectors.swift`).
/// - `v9`: guardrail policy versions, the policy in force, the pseudonym key and the decision audit
///   (`Guardrails/Store+Guardrails.swift`).
/// - `v10`: the index on `passage.text_hash` dropped (`Embeddings/Store+PassageVectors.swift`).
/// - `v11`: an answer's `sources` (the documents its generator was shown besides those it cites,
///   re-checked when it is read back) and `basis` (documents, general knowledge or none).
enum Migrations {
    /// The identifiers of every migration, oldest first.
    static let identifiers = ["v1", "v2", "v3", "v4", "v5", "v6", "v7", "v8", "v9", "v10", "v11"]

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in try v1(db) }
        migrator.registerMigration("v2") { db in try v2(db) }
        migrator.registerMigration("v3") { db in try v3(db) }
        migrator.registerMigration("v4") { db in try v4(db) }
        migrator.registerMigration("v5") { db in
            try db.execute(sql: "ALTER TABLE document ADD COLUMN links TEXT NOT NULL DEFAULT '[]'")
        }
        migrator.registerMigration("v6") { db in try v6(db) }
        migrator.registerMigration("v7") { db in try v7(db) }
        migrator.registerMigration("v8") { db in try v8(db) }
        migrator.registerMigration("v9") { db in try v9(db) }
        migrator.registerMigration("v10") { db in try v10(db) }
        migrator.registerMigration("v11") { db in
            try db.execute(sql: "ALTER TABLE message ADD COLUMN sources TEXT NOT NULL DEFAULT '[]'")
            try db.execute(sql: "ALTER TABLE message ADD COLUMN basis TEXT")
        }
        return migrator
    }

    private static func v1(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE user (
                    id INTEGER PRIMARY KEY,
                    name TEXT NOT NULL UNIQUE,
                    is_admin INTEGER NOT NULL DEFAULT 0,
                    created_at DATETIME NOT NULL
                );
                CREATE TABLE "group" (
                    id INTEGER PRIMARY KEY,
                    name TEXT NOT NULL UNIQUE,
                    created_at DATETIME NOT NULL
                );
                CREATE TABLE membership (
                    user_id INTEGER NOT NULL REFERENCES user(id) ON DELETE CASCADE,
                    group_id INTEGER NOT NULL REFERENCES "group"(id) ON DELETE CASCADE,
                    PRIMARY KEY (user_id, group_id)
                ) WITHOUT ROWID;
                CREATE INDEX membership_group ON membership(group_id);
                CREATE TABLE api_key (
                    id INTEGER PRIMARY KEY,
                    user_id INTEGER NOT NULL REFERENCES user(id) ON DELETE CASCADE,
                    label TEXT NOT NULL,
                    secret_hash BLOB NOT NULL UNIQUE,
                    hint TEXT NOT NULL,
                    created_at DATETIME NOT NULL,
                    last_used_at DATETIME,
                    revoked_at DATETIME
                );
                CREATE INDEX api_key_user ON api_key(user_id);
                CREATE TABLE connector (
                    id INTEGER PRIMARY KEY,
                    name TEXT NOT NULL UNIQUE,
                    type TEXT NOT NULL,
                    configuration TEXT NOT NULL,
                    created_at DATETIME NOT NULL,
                    updated_at DATETIME NOT NULL
                );
                CREATE TABLE document (
                    id INTEGER PRIMARY KEY,
                    connector_id INTEGER NOT NULL REFERENCES connector(id) ON DELETE CASCADE,
                    external_id TEXT NOT NULL,
                    uri TEXT NOT NULL,
                    title TEXT NOT NULL,
                    content_type TEXT NOT NULL,
                    version TEXT NOT NULL,
                    content_hash TEXT NOT NULL,
                    policy TEXT NOT NULL,
                    created_at DATETIME NOT NULL,
                    updated_at DATETIME NOT NULL,
                    UNIQUE (connector_id, external_id)
                );
                CREATE TABLE document_reader (
                    principal TEXT NOT NULL,
                    document_id INTEGER NOT NULL REFERENCES document(id) ON DELETE CASCADE,
                    PRIMARY KEY (principal, document_id)
                ) WITHOUT ROWID;
                CREATE INDEX document_reader_document ON document_reader(document_id);
                CREATE TABLE passage (
                    id INTEGER PRIMARY KEY,
                    document_id INTEGER NOT NULL REFERENCES document(id) ON DELETE CASCADE,
                    ordinal INTEGER NOT NULL,
                    text TEXT NOT NULL,
                    heading TEXT NOT NULL,
                    heading_path TEXT NOT NULL,
                    title TEXT NOT NULL,
                    start_offset INTEGER NOT NULL,
                    end_offset INTEGER NOT NULL,
                    page INTEGER
                );
                CREATE INDEX passage_document ON passage(document_id, ordinal);
                CREATE VIRTUAL TABLE passage_fts USING fts5(
                    text, heading, title,
                    content = 'passage', content_rowid = 'id',
                    tokenize = 'porter unicode61 remove_diacritics 2'
                );
                CREATE TABLE passage_count (
                    id INTEGER PRIMARY KEY CHECK (id = 1),
                    value INTEGER NOT NULL
                );
                INSERT INTO passage_count (id, value) VALUES (1, 0);
                CREATE TRIGGER passage_fts_insert AFTER INSERT ON passage BEGIN
                    INSERT INTO passage_fts(rowid, text, heading, title)
                    VALUES (new.id, new.text, new.heading, new.title);
                    UPDATE passage_count SET value = value + 1 WHERE id = 1;
                END;
                CREATE TRIGGER passage_fts_delete AFTER DELETE ON passage BEGIN
                    INSERT INTO passage_fts(passage_fts, rowid, text, heading, title)
                    VALUES ('delete', old.id, old.text, old.heading, old.title);
                    UPDATE passage_count SET value = value - 1 WHERE id = 1;
                END;
                CREATE TRIGGER passage_fts_update AFTER UPDATE ON passage BEGIN
                    INSERT INTO passage_fts(passage_fts, rowid, text, heading, title)
                    VALUES ('delete', old.id, old.text, old.heading, old.title);
                    INSERT INTO passage_fts(rowid, text, heading, title)
                    VALUES (new.id, new.text, new.heading, new.title);
                END;
                CREATE VIRTUAL TABLE passage_vocab USING fts5vocab(passage_fts, 'row');
                """
        )
    }

    private static func v2(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE conversation (
                    id TEXT PRIMARY KEY,
                    user_id INTEGER NOT NULL REFERENCES user(id) ON DELETE CASCADE,
                    title TEXT NOT NULL,
                    created_at DATETIME NOT NULL,
                    updated_at DATETIME NOT NULL
                );
                CREATE INDEX conversation_user ON conversation(user_id, updated_at);
                CREATE TABLE message (
                    id TEXT PRIMARY KEY,
                    conversation_id TEXT NOT NULL REFERENCES conversation(id) ON DELETE CASCADE,
                    role TEXT NOT NULL CHECK (role IN ('user', 'assistant')),
                    content TEXT NOT NULL,
                    citations TEXT NOT NULL DEFAULT '[]',
                    created_at DATETIME NOT NULL
                );
                CREATE INDEX message_conversation ON message(conversation_id, created_at);
                CREATE TABLE sync_run (
                    id INTEGER PRIMARY KEY,
                    connector_id INTEGER NOT NULL REFERENCES connector(id) ON DELETE CASCADE,
                    mode TEXT NOT NULL,
                    status TEXT NOT NULL,
                    started_at DATETIME NOT NULL,
                    finished_at DATETIME,
                    added INTEGER NOT NULL DEFAULT 0,
                    updated INTEGER NOT NULL DEFAULT 0,
                    unchanged INTEGER NOT NULL DEFAULT 0,
                    deleted INTEGER NOT NULL DEFAULT 0,
                    failed INTEGER NOT NULL DEFAULT 0,
                    error TEXT
                );
                CREATE INDEX sync_run_connector ON sync_run(connector_id, started_at);
                CREATE TABLE sync_failure (
                    sync_run_id INTEGER NOT NULL REFERENCES sync_run(id) ON DELETE CASCADE,
                    external_id TEXT NOT NULL,
                    reason TEXT NOT NULL
                );
                CREATE INDEX sync_failure_run ON sync_failure(sync_run_id);
                """
        )
    }

    private static func v3(_ db: Database) throws {
        // SQLite's table rebuild: foreign keys are off during GRDB migrations and checked at the end.
        try db.execute(
            sql: """
                CREATE TABLE document_new (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    connector_id INTEGER NOT NULL REFERENCES connector(id) ON DELETE CASCADE,
                    external_id TEXT NOT NULL,
                    uri TEXT NOT NULL,
                    title TEXT NOT NULL,
                    content_type TEXT NOT NULL,
                    version TEXT NOT NULL,
                    content_hash TEXT NOT NULL,
                    policy TEXT NOT NULL,
                    created_at DATETIME NOT NULL,
                    updated_at DATETIME NOT NULL,
                    UNIQUE (connector_id, external_id)
                );
                INSERT INTO document_new SELECT id, connector_id, external_id, uri, title, content_type, version,
                    content_hash, policy, created_at, updated_at FROM document;
                DROP TABLE document;
                ALTER TABLE document_new RENAME TO document;
                """
        )
    }

    private static func v6(_ db: Database) throws {
        // A staged or retired document may share its external identifier with the live one, so the
        // identifier is unique among live documents only: the table is rebuilt without its UNIQUE.
        try db.execute(
            sql: """
                CREATE TABLE document_new (
                    id INTEGER PRIMARY KEY AUTOINCREMENT,
                    connector_id INTEGER NOT NULL REFERENCES connector(id) ON DELETE CASCADE,
                    external_id TEXT NOT NULL,
                    uri TEXT NOT NULL,
                    title TEXT NOT NULL,
                    content_type TEXT NOT NULL,
                    version TEXT NOT NULL,
                    content_hash TEXT NOT NULL,
                    policy TEXT NOT NULL,
                    created_at DATETIME NOT NULL,
                    updated_at DATETIME NOT NULL,
                    links TEXT NOT NULL DEFAULT '[]',
                    state TEXT NOT NULL DEFAULT 'live' CHECK (state IN ('live', 'staged', 'retired'))
                );
                INSERT INTO document_new (id, connector_id, external_id, uri, title, content_type, version,
                    content_hash, policy, created_at, updated_at, links)
                SELECT id, connector_id, external_id, uri, title, content_type, version, content_hash, policy,
                    created_at, updated_at, links FROM document;
                -- Identifiers are never reused: the new table continues the old one's sequence, which
                -- may be past the largest remaining id (documents deleted since).
                DELETE FROM sqlite_sequence WHERE name = 'document_new';
                INSERT INTO sqlite_sequence (name, seq) SELECT 'document_new', seq FROM sqlite_sequence
                    WHERE name = 'document';
                DROP TABLE document;
                ALTER TABLE document_new RENAME TO document;
                CREATE UNIQUE INDEX document_external ON document(connector_id, external_id) WHERE state = 'live';
                CREATE INDEX document_connector_state ON document(connector_id, state);
                CREATE TABLE document_successor (
                    document_id INTEGER PRIMARY KEY,
                    successor_id INTEGER NOT NULL
                );
                CREATE TABLE sync_warning (
                    sync_run_id INTEGER NOT NULL REFERENCES sync_run(id) ON DELETE CASCADE,
                    external_id TEXT NOT NULL,
                    message TEXT NOT NULL
                );
                CREATE INDEX sync_warning_run ON sync_warning(sync_run_id);
                """
        )
    }

    private static func v4(_ db: Database) throws {
        try db.execute(
            sql: """
                ALTER TABLE connector ADD COLUMN lease_holder TEXT;
                ALTER TABLE connector ADD COLUMN lease_expires_at DATETIME;
                ALTER TABLE sync_run ADD COLUMN seen INTEGER NOT NULL DEFAULT 0;
                """
        )
    }
}
