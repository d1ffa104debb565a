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
    /// How many passages one purge transaction deletes, so that no write holds the database long;
    /// also the size above which a document's previous version is retired rather than deleted in
    /// the transaction that replaces it.
    static let purgeBatchSize = 5_000

    /// Starts a document too large to write in one transaction (a CSV export of millions of rows).
    ///
    /// Its passages are added with ``appendPassages(_:to:title:)`` in as many transactions as
    /// needed, while readers go on seeing the indexed version, if any; ``commit(_:as:)`` then swaps
    /// the new version in at once. A staged document has no readers and is excluded from every
    /// search and listing, admins' included, until then.
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
        guard !passages.isEmpty else { return }
        try database.write { db in
            try Self.insertPassages(passages, documentID: document.id, title: title, db)
        }
    }

    /// Makes a staged document the indexed version of `snapshot.item`, in one short transaction.
    ///
    /// The previous version, if any, is retired in the same transaction (hidden, its readers
    /// removed, the new document recorded as its successor, so that conversations citing it follow)
    /// and its passages deleted afterwards in batches; readers see the old version or the new one,
    /// never both or neither. `snapshot.passages` is ignored: the passages are the staged ones.
    ///
    /// - Returns: whether the document is new to the connector.
    @discardableResult
    public func commit(_ document: StagedDocument, as snapshot: DocumentSnapshot) async throws -> Bool {
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
                try Self.retire(existing, successor: document.id, db)
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
            return existing == nil
        }
        try await purgeRetiredDocuments(connectorID: document.connectorID)
        return isNew
    }

    /// Gives up a staged document that will not be committed: it is retired at once, and its
    /// passages deleted now, or, with `purgeNow` false (a cancelled sync, which should stop
    /// promptly), when the connector's next sync starts.
    public func discard(_ document: StagedDocument, purgeNow: Bool = true) async throws {
        try await database.write { db in
            try db.execute(
                sql: "UPDATE document SET state = 'retired' WHERE id = ? AND state = 'staged'",
                arguments: [document.id]
            )
        }
        if purgeNow { try await purgeRetiredDocuments(connectorID: document.connectorID) }
    }

    /// Deletes, in short transactions, the staged and retired documents of a connector: those a
    /// finished swap left behind, and those of a sync that was killed or cancelled.
    ///
    /// Only the holder of the connector's sync lease calls this, when its sync starts, so no staged
    /// document of a running sync is taken.
    public func purgeHiddenDocuments(connectorID: Int64) async throws {
        try await database.write { db in
            // A document staged by a sync that died is retired first, so that nothing can commit it.
            try db.execute(
                sql: "UPDATE document SET state = 'retired' WHERE connector_id = ? AND state = 'staged'",
                arguments: [connectorID]
            )
        }
        try await purgeRetiredDocuments(connectorID: connectorID)
    }

    /// Deletes a connector's retired documents and their passages, ``purgeBatchSize`` passages a
    /// transaction, whichever documents they belong to.
    func purgeRetiredDocuments(connectorID: Int64) async throws {
        while true {
            let deleted = try await database.write { db -> Int in
                try db.execute(
                    sql: """
                        DELETE FROM passage WHERE id IN (
                            SELECT p.id FROM document d JOIN passage p ON p.document_id = d.id
                            WHERE d.connector_id = ? AND d.state = 'retired'
                            LIMIT \(Self.purgeBatchSize))
                        """,
                    arguments: [connectorID]
                )
                let deleted = db.changesCount
                if deleted < Self.purgeBatchSize {
                    try db.execute(
                        sql: "DELETE FROM document WHERE connector_id = ? AND state = 'retired'",
                        arguments: [connectorID]
                    )
                }
                return deleted
            }
            if deleted < Self.purgeBatchSize { break }
        }
    }

    /// Hides a live document at once (no readers, out of every listing); its passages go later.
    ///
    /// - Parameter successor: the document that replaces it, if any: conversations that cite the
    ///   retired document are then checked against the successor.
    static func retire(_ id: Int64, successor: Int64? = nil, _ db: Database) throws {
        try db.execute(sql: "UPDATE document SET state = 'retired' WHERE id = ? AND state = 'live'", arguments: [id])
        try db.execute(sql: "DELETE FROM document_reader WHERE document_id = ?", arguments: [id])
        if let successor { try recordSuccessor(successor, of: id, db) }
    }

    /// Records that `successor` replaces `id`, and every document `id` had replaced.
    static func recordSuccessor(_ successor: Int64, of id: Int64, _ db: Database) throws {
        try db.execute(
            sql: "UPDATE document_successor SET successor_id = ? WHERE successor_id = ?",
            arguments: [successor, id]
        )
        try db.execute(
            sql: "INSERT OR REPLACE INTO document_successor (document_id, successor_id) VALUES (?, ?)",
            arguments: [id, successor]
        )
    }

    static func insertPassages(_ passages: [Passage], documentID: Int64, title: String, _ db: Database) throws {
        let insert = try db.cachedStatement(
            sql: """
                INSERT INTO passage (document_id, ordinal, text, heading, heading_path, title,
                    start_offset, end_offset, page, text_hash)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """
        )
        for passage in passages {
            try insert.execute(arguments: [
                documentID, passage.ordinal, passage.text, passage.headingPath.joined(separator: " "),
                passage.headingPath.isEmpty ? "[]" : try encodeJSON(passage.headingPath), title, passage.range.start,
                passage.range.end, passage.page, TextHash.of(passage.embeddingInput(documentTitle: title)),
            ])
        }
    }
}
