import Foundation
import GRDB
public import QuarryCore

extension Store {
    /// Creates a connector, or updates the type and settings of the one with this name.
    @discardableResult
    public func saveConnector(name: String, type: String, configuration: String) async throws -> ConnectorRecord {
        let now = Date()
        return try await database.write { db in
            try db.execute(
                sql: """
                    INSERT INTO connector (name, type, configuration, created_at, updated_at) VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT (name) DO UPDATE SET type = excluded.type, configuration = excluded.configuration,
                        updated_at = excluded.updated_at
                    """,
                arguments: [name, type, configuration, now, now]
            )
            return try Self.fetchConnectors(where: "name = ?", [name], db)[0]
        }
    }

    /// The connector with this name, or nil.
    public func connector(named name: String) async throws -> ConnectorRecord? {
        try await database.read { db in try Self.fetchConnectors(where: "name = ?", [name], db).first }
    }

    /// Every connector, by name.
    public func connectors() async throws -> [ConnectorRecord] {
        try await database.read { db in try Self.fetchConnectors(where: "1", [], db) }
    }

    /// Deletes a connector with its documents, their passages and readers, and its run history.
    ///
    /// - Throws: ``StoreError/notFound(_:_:)`` if there is no such connector.
    ///
    /// Its documents are hidden at once, in one transaction; their passages are then deleted in
    /// short transactions, and the connector last.
    public func deleteConnector(named name: String) async throws {
        let id = try await database.write { db -> Int64 in
            guard let id = try Int64.fetchOne(db, sql: "SELECT id FROM connector WHERE name = ?", arguments: [name])
            else {
                throw StoreError.notFound("connector", name)
            }
            try db.execute(
                sql:
                    "DELETE FROM document_reader WHERE document_id IN (SELECT id FROM document WHERE connector_id = ?)",
                arguments: [id]
            )
            try db.execute(sql: "UPDATE document SET state = 'retired' WHERE connector_id = ?", arguments: [id])
            return id
        }
        try await purgeRetiredDocuments(connectorID: id)
        try await database.write { db in
            try db.execute(sql: "DELETE FROM connector WHERE id = ?", arguments: [id])
        }
    }

    /// The connector with this identifier, or nil.
    public func connector(id: Int64) async throws -> ConnectorRecord? {
        try await database.read { db in try Self.fetchConnectors(where: "id = ?", [id], db).first }
    }

    /// The indexed documents of a connector.
    ///
    /// A list, not a dictionary keyed by `String`: two identifiers that differ only in Unicode
    /// normalisation are two documents, and Swift's `String` equality would merge them.
    public func documentStates(connectorID: Int64) async throws -> [IndexedDocumentState] {
        try await database.read { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT id, external_id, version, content_hash, policy, links FROM document
                    WHERE connector_id = ? AND state = 'live'
                    """,
                arguments: [connectorID]
            )
            return try rows.map { row in
                IndexedDocumentState(
                    id: row["id"],
                    externalID: row["external_id"],
                    version: row["version"],
                    contentHash: row["content_hash"],
                    policy: try Self.decodePolicy(row["policy"]),
                    links: try Self.decodeJSON([String].self, row["links"])
                )
            }
        }
    }

    /// Writes a document with its readers and passages in one transaction, replacing any earlier version.
    ///
    /// Readers see either the old version or the new one, never a mix. An earlier version of more
    /// than ``purgeBatchSize`` passages (a large CSV that shrank) is not deleted in that transaction:
    /// it is retired, the new version gets a new row recorded as its successor, and its passages
    /// are deleted afterwards in short transactions.
    /// - Returns: the document's identifier and whether it is new.
    @discardableResult
    public func saveDocument(_ snapshot: DocumentSnapshot, connectorID: Int64) async throws -> (id: Int64, isNew: Bool)
    {
        let policyJSON = try Self.encodePolicy(snapshot.item.policy)
        let linksJSON = try Self.encodeJSON(snapshot.links)
        let now = Date()
        let saved = try await database.write { db -> (id: Int64, isNew: Bool, retiredPrevious: Bool) in
            var retiredPrevious = false
            let existing = try Int64.fetchOne(
                db,
                sql: "SELECT id FROM document WHERE connector_id = ? AND external_id = ? AND state = 'live'",
                arguments: [connectorID, snapshot.item.externalID]
            )
            let documentID: Int64
            if let existing, try Self.hasMorePassages(than: Self.purgeBatchSize, documentID: existing, db) {
                try Self.retire(existing, db)
                documentID = try Self.insertDocument(snapshot, connectorID: connectorID, policyJSON, linksJSON, now, db)
                try Self.recordSuccessor(documentID, of: existing, db)
                retiredPrevious = true
            } else if let existing {
                documentID = existing
                try db.execute(
                    sql: """
                        UPDATE document SET uri = ?, title = ?, content_type = ?, version = ?, content_hash = ?,
                            policy = ?, links = ?, updated_at = ? WHERE id = ?
                        """,
                    arguments: [
                        snapshot.item.uri, snapshot.title, snapshot.contentType.rawValue, snapshot.item.version,
                        snapshot.contentHash, policyJSON, linksJSON, now, documentID,
                    ]
                )
                try db.execute(sql: "DELETE FROM passage WHERE document_id = ?", arguments: [documentID])
            } else {
                documentID = try Self.insertDocument(snapshot, connectorID: connectorID, policyJSON, linksJSON, now, db)
            }
            try Self.replaceReaders(of: documentID, with: snapshot.item.policy, db)
            try Self.insertPassages(snapshot.passages, documentID: documentID, title: snapshot.title, db)
            return (documentID, existing == nil, retiredPrevious)
        }
        if saved.retiredPrevious { try await purgeRetiredDocuments(connectorID: connectorID) }
        return (saved.id, saved.isNew)
    }

    private static func insertDocument(
        _ snapshot: DocumentSnapshot,
        connectorID: Int64,
        _ policyJSON: String,
        _ linksJSON: String,
        _ now: Date,
        _ db: Database
    ) throws -> Int64 {
        try db.execute(
            sql: """
                INSERT INTO document (connector_id, external_id, uri, title, content_type, version,
                    content_hash, policy, links, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: [
                connectorID, snapshot.item.externalID, snapshot.item.uri, snapshot.title,
                snapshot.contentType.rawValue, snapshot.item.version, snapshot.contentHash, policyJSON,
                linksJSON, now, now,
            ]
        )
        return db.lastInsertedRowID
    }

    private static func hasMorePassages(than count: Int, documentID: Int64, _ db: Database) throws -> Bool {
        try Bool.fetchOne(
            db,
            sql: "SELECT EXISTS (SELECT 1 FROM passage WHERE document_id = ? LIMIT 1 OFFSET ?)",
            arguments: [documentID, count]
        ) ?? false
    }

    /// Records a new version stamp and access policy for a document whose content did not change.
    public func updateDocument(id: Int64, version: String, policy: AccessPolicy) async throws {
        let policyJSON = try Self.encodePolicy(policy)
        try await database.write { db in
            try db.execute(
                sql: "UPDATE document SET version = ?, policy = ?, updated_at = ? WHERE id = ? AND state = 'live'",
                arguments: [version, policyJSON, Date(), id]
            )
            guard db.changesCount == 1 else { return }  // replaced or deleted meanwhile: no readers for it
            try Self.replaceReaders(of: id, with: policy, db)
        }
    }

    /// Deletes documents with their passages and readers.
    ///
    /// The documents are hidden from every search and listing in one transaction; their passages
    /// are then deleted in short transactions, so that removing a document of millions of passages
    /// never holds the database for long.
    public func deleteDocuments(ids: [Int64]) async throws {
        guard !ids.isEmpty else { return }
        let connectors = try await database.write { db -> Set<Int64> in
            var connectors = Set<Int64>()
            for id in ids {
                if let connector = try Int64.fetchOne(
                    db,
                    sql: "SELECT connector_id FROM document WHERE id = ?",
                    arguments: [id]
                ) {
                    connectors.insert(connector)
                }
                try Self.retire(id, db)
            }
            return connectors
        }
        for connector in connectors.sorted() { try await purgeRetiredDocuments(connectorID: connector) }
    }

    /// The indexed documents, optionally of one connector, by connector and external identifier.
    public func documents(connectorName: String? = nil) async throws -> [DocumentSummary] {
        try await database.read { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT d.id, c.name AS connector_name, d.external_id, d.title, d.uri, d.policy, d.updated_at,
                           (SELECT count(*) FROM passage p WHERE p.document_id = d.id) AS passage_count
                    FROM document d JOIN connector c ON c.id = d.connector_id
                    WHERE d.state = 'live' AND (? IS NULL OR c.name = ?)
                    ORDER BY c.name, d.external_id
                    """,
                arguments: [connectorName, connectorName]
            )
            return try rows.map { row in
                DocumentSummary(
                    id: row["id"],
                    connectorName: row["connector_name"],
                    externalID: row["external_id"],
                    title: row["title"],
                    uri: row["uri"],
                    policy: try Self.decodePolicy(row["policy"]),
                    passageCount: row["passage_count"],
                    updatedAt: row["updated_at"]
                )
            }
        }
    }

    /// The passages of a document, in order.
    public func passages(documentID: Int64) async throws -> [Passage] {
        try await database.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT ordinal, text, heading_path, start_offset, end_offset, page
                    FROM passage WHERE document_id = (SELECT id FROM document WHERE id = ? AND state = 'live')
                    ORDER BY ordinal
                    """,
                arguments: [documentID]
            ).map { try Self.decodePassage($0) }
        }
    }

    // MARK: - Helpers

    static func replaceReaders(of documentID: Int64, with policy: AccessPolicy, _ db: Database) throws {
        try db.execute(sql: "DELETE FROM document_reader WHERE document_id = ?", arguments: [documentID])
        for principal in policy.readers {
            try db.execute(
                sql: "INSERT INTO document_reader (principal, document_id) VALUES (?, ?)",
                arguments: [principal.key, documentID]
            )
        }
    }

    static func fetchConnectors(
        where condition: String,
        _ arguments: StatementArguments,
        _ db: Database
    ) throws
        -> [ConnectorRecord]
    {
        try Row.fetchAll(
            db,
            sql: "SELECT * FROM connector WHERE \(condition) ORDER BY name",
            arguments: arguments
        ).map { row in
            ConnectorRecord(
                id: row["id"],
                name: row["name"],
                type: row["type"],
                configuration: row["configuration"],
                createdAt: row["created_at"],
                updatedAt: row["updated_at"]
            )
        }
    }

    static func decodePassage(_ row: Row) throws -> Passage {
        Passage(
            ordinal: row["ordinal"],
            text: row["text"],
            headingPath: try decodeJSON([String].self, row["heading_path"]),
            range: TextRange(start: row["start_offset"], end: row["end_offset"]),
            page: row["page"]
        )
    }

    static func encodePolicy(_ policy: AccessPolicy) throws -> String {
        try encodeJSON(policy.readerKeys)
    }

    static func decodePolicy(_ json: String) throws -> AccessPolicy {
        try AccessPolicy(parsing: decodeJSON([String].self, json))
    }

    static func encodeJSON(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    static func decodeJSON<T: Decodable>(_ type: T.Type, _ json: String) throws -> T {
        try JSONDecoder().decode(type, from: Data(json.utf8))
    }
}
