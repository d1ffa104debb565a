import Foundation
import GRDB
public import QuarryCore

/// A document written a batch of passages at a time, invisible to every search until it is
/// committed. Made by ``Store/beginStagedDocument(connectorID:)``.
public struct StagedDocument: Sendable, Hashable {
    /// The staged document's identifier in the store (it keeps it once committed).
    public let id: Int64
    let connectorID: Int64
}

extension Store {
    /// How many passages one purge transaction deletes, so that no write holds the database long.
    static let purgeBatchSize = 5_000

    /// Starts a document too large to write in one transaction (a CSV export of millions of rows).
    ///
    /// Its passages are added with ``appendPassages(_:to:title:)`` in as many transactions as
    /// needed, while readers go on seeing the indexed version, if any; ``commit(_:as:replacing:)``
    /// then swaps the new version in at once. A staged document has no readers and is excluded
    /// from every search and listing, admins' included, until then.
    public func beginStagedDocument(connectorID: Int64) async throws -> StagedDocument {
        let now = Date()
        let id = try await database.write { db in
            try db.execute(
                sql: """
                    INSERT INTO document (connector_id, external_id, uri, title, content_type, version, content_hash,
                        policy, created_at, updated_at, state)
                    VALUES (?, '', '', '', '', '', '', '[]', ?, ?, 'staged')
                    """,
                arguments: [connectorID, now, now]
            )
            return db.lastInsertedRowID
        }
        return StagedDocument(id: id, connectorID: connectorID)
    }

    /// Adds passages to a staged document in one transaction, blocking the calling thread.
    ///
    /// Called from the thread that streams the document's extraction, never from Swift's
    /// cooperative pool: the wait is what keeps a fast parser from running ahead of the database.
    public func appendPassages(_ passages: [Passage], to document: StagedDocument, title: String) throws {
        try database.write { db in
            try Self.insertPassages(passages, documentID: document.id, title: title, db)
        }
    }

    /// Makes a staged document the indexed version of `snapshot.item`, in one short transaction.
    ///
    /// The previous version, if any, is retired in the same transaction (hidden, its readers
    /// removed) and its passages deleted afterwards in batches; readers see the old version or the
    /// new one, never both or neither. `snapshot.passages` is ignored: the passages are the staged ones.
    ///
    /// - Returns: whether the document is new to the connector.
    @discardableResult
    public func commit(
        _ document: StagedDocument,
        as snapshot: DocumentSnapshot,
        replacing previousID: Int64?
    )
        async throws -> Bool
    {
        let policyJSON = try Self.encodePolicy(snapshot.item.policy)
        let linksJSON = try Self.encodeJSON(snapshot.links)
        let now = Date()
        let isNew = try await database.write { db -> Bool in
            let existing = try Int64.fetchOne(
                db,
                sql: "SELECT id FROM document WHERE connector_id = ? AND external_id = ? AND state = 'live'",
                arguments: [document.connectorID, snapshot.item.externalID]
            )
            if let existing {
                try Self.retire(existing, db)
            }
            try db.execute(
                sql: """
                    UPDATE document SET external_id = ?, uri = ?, title = ?, content_type = ?, version = ?,
                        content_hash = ?, policy = ?, links = ?, updated_at = ?, state = 'live'
                    WHERE id = ? AND state = 'staged'
                    """,
                arguments: [
                    snapshot.item.externalID, snapshot.item.uri, snapshot.title, snapshot.contentType.rawValue,
                    snapshot.item.version, snapshot.contentHash, policyJSON, linksJSON, now, document.id,
                ]
            )
            guard db.changesCount == 1 else { throw StoreError.notFound("staged document", "\(document.id)") }
            try Self.replaceReaders(of: document.id, with: snapshot.item.policy, db)
            return existing == nil && previousID == nil
        }
        try await purgeHiddenDocuments(connectorID: document.connectorID)
        return isNew
    }

    /// Deletes a staged document that will not be committed, with its passages.
    public func discard(_ document: StagedDocument) async throws {
        try await database.write { db in
            try db.execute(
                sql: "UPDATE document SET state = 'retired' WHERE id = ? AND state = 'staged'",
                arguments: [document.id]
            )
        }
        try await purgeHiddenDocuments(connectorID: document.connectorID)
    }

    /// Deletes, in short transactions, the staged and retired documents of a connector: those a
    /// finished swap left behind, and those of a sync that was killed.
    ///
    /// Only the holder of the connector's sync lease calls this, so no staged document of a running
    /// sync is taken.
    public func purgeHiddenDocuments(connectorID: Int64) async throws {
        try await database.write { db in
            // A document staged by a sync that died is retired first, so that nothing can commit it.
            try db.execute(
                sql: """
                    UPDATE document SET state = 'retired' WHERE connector_id = ? AND state = 'staged'
                    """,
                arguments: [connectorID]
            )
        }
        let retired = try await database.read { db in
            try Int64.fetchAll(
                db,
                sql: "SELECT id FROM document WHERE connector_id = ? AND state = 'retired'",
                arguments: [connectorID]
            )
        }
        try await purgeRetiredDocuments(ids: retired)
    }

    /// Deletes retired documents and their passages, ``purgeBatchSize`` passages a transaction.
    func purgeRetiredDocuments(ids: [Int64]) async throws {
        for id in ids {
            var done = false
            while !done {
                done = try await database.write { db -> Bool in
                    try db.execute(
                        sql: """
                            DELETE FROM passage WHERE id IN (
                                SELECT id FROM passage WHERE document_id = ? LIMIT \(Self.purgeBatchSize))
                            """,
                        arguments: [id]
                    )
                    guard db.changesCount < Self.purgeBatchSize else { return false }
                    try db.execute(sql: "DELETE FROM document WHERE id = ? AND state = 'retired'", arguments: [id])
                    return true
                }
            }
        }
    }

    /// Hides a live document at once (no readers, out of every listing); its passages go later.
    static func retire(_ id: Int64, _ db: Database) throws {
        try db.execute(sql: "UPDATE document SET state = 'retired' WHERE id = ?", arguments: [id])
        try db.execute(sql: "DELETE FROM document_reader WHERE document_id = ?", arguments: [id])
    }

    static func insertPassages(_ passages: [Passage], documentID: Int64, title: String, _ db: Database) throws {
        let insert = try db.cachedStatement(
            sql: """
                INSERT INTO passage (document_id, ordinal, text, heading, heading_path, title,
                    start_offset, end_offset, page)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """
        )
        for passage in passages {
            try insert.execute(arguments: [
                documentID, passage.ordinal, passage.text, passage.headingPath.joined(separator: " "),
                try encodeJSON(passage.headingPath), title, passage.range.start, passage.range.end, passage.page,
            ])
        }
    }
}
