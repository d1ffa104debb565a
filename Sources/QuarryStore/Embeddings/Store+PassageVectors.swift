public import Foundation
import GRDB
public import QuarryCore

extension Migrations {
    /// `v8`: passages carry the content key of their embedding input (`text_hash`, filled here for
    /// the passages already stored), so that each finds its vector in the embedding cache by a join;
    /// the model whose vectors the index holds; two generation counters that the changes a vector
    /// index must follow advance: `documents` (a document or its readers changed) and `vectors` (a
    /// vector was stored). (The indexes made here on `passage.text_hash` and `embedding.created_at`
    /// are dropped by `v10`.)
    static func v8(_ db: Database) throws {
        try db.execute(
            sql: """
                ALTER TABLE passage ADD COLUMN text_hash TEXT;
                CREATE TABLE vector_model (
                    id INTEGER PRIMARY KEY CHECK (id = 1),
                    model TEXT NOT NULL,
                    dimension INTEGER NOT NULL,
                    chosen_at DATETIME NOT NULL
                );
                CREATE TABLE index_generation (
                    id INTEGER PRIMARY KEY CHECK (id = 1),
                    documents INTEGER NOT NULL,
                    vectors INTEGER NOT NULL
                );
                INSERT INTO index_generation (id, documents, vectors) VALUES (1, 0, 0);
                CREATE TRIGGER generation_document_insert AFTER INSERT ON document BEGIN
                    UPDATE index_generation SET documents = documents + 1 WHERE id = 1;
                END;
                CREATE TRIGGER generation_document_update AFTER UPDATE ON document BEGIN
                    UPDATE index_generation SET documents = documents + 1 WHERE id = 1;
                END;
                CREATE TRIGGER generation_document_delete AFTER DELETE ON document BEGIN
                    UPDATE index_generation SET documents = documents + 1 WHERE id = 1;
                END;
                CREATE TRIGGER generation_reader_insert AFTER INSERT ON document_reader BEGIN
                    UPDATE index_generation SET documents = documents + 1 WHERE id = 1;
                END;
                CREATE TRIGGER generation_reader_delete AFTER DELETE ON document_reader BEGIN
                    UPDATE index_generation SET documents = documents + 1 WHERE id = 1;
                END;
                CREATE TRIGGER generation_embedding_insert AFTER INSERT ON embedding BEGIN
                    UPDATE index_generation SET vectors = vectors + 1 WHERE id = 1;
                END;
                CREATE INDEX embedding_model_created ON embedding(model, created_at);
                """
        )
        let update = try db.makeStatement(sql: "UPDATE passage SET text_hash = ? WHERE id = ?")
        let rows = try Row.fetchCursor(db, sql: "SELECT id, text, heading_path, title FROM passage")
        while let row = try rows.next() {
            let passage = Passage(
                ordinal: 0,
                text: row["text"],
                headingPath: (try? Store.decodeJSON([String].self, row["heading_path"])) ?? [],
                range: TextRange(start: 0, end: 0)
            )
            let id: Int64 = row["id"]
            try update.execute(arguments: [TextHash.of(passage.embeddingInput(documentTitle: row["title"])), id])
        }
        try db.execute(sql: "CREATE INDEX passage_text_hash ON passage(text_hash)")
    }
}

/// A live passage whose embedding input has no vector yet for the index's model.
public struct PassageAwaitingVector: Sendable, Hashable {
    /// The passage's identifier.
    public var passageID: Int64
    /// The text to embed (``QuarryCore/Passage/embeddingInput(documentTitle:)``).
    public var input: String
}

/// A passage's vector, with the document (and so the readers) it belongs to.
public struct PassageVector: Sendable {
    /// The passage's identifier.
    public var passageID: Int64
    /// Its document's identifier.
    public var documentID: Int64
    /// The vector made from its embedding input.
    public var vector: [Float]
}

/// Where the store's changes stand, as a vector index follows them.
public struct IndexGeneration: Sendable, Hashable {
    /// Advances whenever a document is added, changed, retired or deleted, or gains or loses a reader.
    public var documents: Int64
    /// Advances whenever a vector is stored.
    public var vectors: Int64

    /// Creates a generation.
    public init(documents: Int64, vectors: Int64) {
        self.documents = documents
        self.vectors = vectors
    }
}

/// A live document as a vector index sees it: who may read it, and a stamp that changes whenever
/// its passages do.
public struct DocumentAccessStamp: Sendable, Hashable {
    /// The document's identifier.
    public var documentID: Int64
    /// Changes whenever the document's text or passages change (its content hash and last update).
    public var stamp: String
    /// Its readers' principal keys, sorted (`everyone`, `user:NAME`, `group:G`).
    public var readers: [String]
    /// How many passages it has (its last ordinal + 1: the chunker and the CSV streamer number
    /// passages from 0 without gaps).
    public var passageCount: Int
}

extension Store {
    /// The model whose vectors the index holds, with their dimension, if one was chosen.
    public func vectorModel() async throws -> (model: String, dimension: Int)? {
        try await database.read { db in
            try Row.fetchOne(db, sql: "SELECT model, dimension FROM vector_model WHERE id = 1").map {
                (model: $0["model"], dimension: $0["dimension"])
            }
        }
    }

    /// Records `model` as the one whose vectors the index holds, or checks that it is.
    ///
    /// The first embedder to run binds the store to its model. An index searched with a question
    /// embedded by another model would return nonsense, so a different model is refused until the
    /// admin chooses it on purpose (``replaceVectorModel(with:dimension:)``).
    ///
    /// - Throws: ``StoreError/invalid(_:)`` naming both models when another model is bound.
    public func bindVectorModel(_ model: String, dimension: Int) async throws {
        // Called before every backfill round and sync: a read when bound, a write only the first time.
        if let bound = try await vectorModel(), bound.model == model, bound.dimension == dimension { return }
        try await database.write { db in
            if let row = try Row.fetchOne(db, sql: "SELECT model, dimension FROM vector_model WHERE id = 1") {
                let bound: String = row["model"]
                let boundDimension: Int = row["dimension"]
                guard bound == model, boundDimension == dimension else {
                    throw StoreError.invalid(
                        "this data directory's vectors were made by \(bound) (\(boundDimension) dimensions), not by"
                            + " \(model) (\(dimension)); configure \(bound) again, or run `quarry embeddings"
                            + " use-model` to re-embed every passage with \(model)"
                    )
                }
                return
            }
            try db.execute(
                sql: "INSERT INTO vector_model (id, model, dimension, chosen_at) VALUES (1, ?, ?, ?)",
                arguments: [model, dimension, Date()]
            )
        }
    }

    /// Makes `model` the index's model: every passage will be embedded again by it (its cached
    /// vectors are reused), and the previous model's vectors are dropped from the cache.
    public func replaceVectorModel(with model: String, dimension: Int) async throws {
        try await database.write { db in
            try db.execute(sql: "DELETE FROM embedding WHERE model <> ?", arguments: [model])
            try db.execute(
                sql: "INSERT OR REPLACE INTO vector_model (id, model, dimension, chosen_at) VALUES (1, ?, ?, ?)",
                arguments: [model, dimension, Date()]
            )
            try db.execute(sql: "UPDATE index_generation SET documents = documents + 1 WHERE id = 1")
        }
    }

    /// Counters that grow with every change a vector index must follow.
    public func indexGeneration() async throws -> IndexGeneration {
        try await database.read { db in
            let row = try Row.fetchOne(db, sql: "SELECT documents, vectors FROM index_generation WHERE id = 1")
            return IndexGeneration(documents: row?["documents"] ?? 0, vectors: row?["vectors"] ?? 0)
        }
    }

    /// Live passages (of one document, or all) whose embedding input has no vector for `model`,
    /// in passage order.
    public func passagesAwaitingVectors(
        model: String,
        documentID: Int64? = nil,
        after passageID: Int64 = 0,
        limit: Int
    ) async throws -> [PassageAwaitingVector] {
        try await database.read { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT p.id, p.text, p.heading_path, p.title FROM passage p
                    JOIN document d ON d.id = p.document_id AND d.state = 'live'
                    WHERE p.id > ? AND (? IS NULL OR p.document_id = ?)
                      AND NOT EXISTS (SELECT 1 FROM embedding e WHERE e.text_hash = p.text_hash AND e.model = ?)
                    ORDER BY p.id
                    LIMIT ?
                    """,
                arguments: [passageID, documentID, documentID, model, limit]
            )
            return try rows.map { row in
                let passage = Passage(
                    ordinal: 0,
                    text: row["text"],
                    headingPath: try Self.decodeJSON([String].self, row["heading_path"]),
                    range: TextRange(start: 0, end: 0)
                )
                return PassageAwaitingVector(
                    passageID: row["id"],
                    input: passage.embeddingInput(documentTitle: row["title"])
                )
            }
        }
    }

    /// Every live document with its readers and a stamp of its passages, by identifier.
    public func documentAccessStamps() async throws -> [DocumentAccessStamp] {
        try await database.read { db in
            var readers: [Int64: [String]] = [:]
            let readerRows = try Row.fetchCursor(
                db,
                sql: """
                    SELECT r.document_id, r.principal FROM document_reader r
                    JOIN document d ON d.id = r.document_id AND d.state = 'live'
                    ORDER BY r.document_id, r.principal
                    """
            )
            while let row = try readerRows.next() {
                readers[row["document_id"], default: []].append(row["principal"])
            }
            return try Row.fetchAll(
                db,
                sql: """
                    SELECT d.id, d.content_hash, d.updated_at,
                           -- Ordinals run from 0 without gaps: the last one, found through the
                           -- passage_document index, counts a document of millions of rows at once.
                           COALESCE((SELECT p.ordinal + 1 FROM passage p WHERE p.document_id = d.id
                                     ORDER BY p.ordinal DESC LIMIT 1), 0) AS passage_count
                    FROM document d WHERE d.state = 'live' ORDER BY d.id
                    """
            ).map { row in
                let id: Int64 = row["id"]
                let hash: String = row["content_hash"]
                let updated: String = row["updated_at"]
                return DocumentAccessStamp(
                    documentID: id,
                    stamp: hash + "@" + updated,
                    readers: readers[id] ?? [],
                    passageCount: row["passage_count"]
                )
            }
        }
    }

    /// The vectors `model` made for the passages of these live documents, where it made them.
    public func passageVectors(documentIDs: [Int64], model: String) async throws -> [PassageVector] {
        guard !documentIDs.isEmpty else { return [] }
        let ids = try Self.encodeJSON(documentIDs)
        return try await database.read { db in
            var vectors: [PassageVector] = []
            let rows = try Row.fetchCursor(
                db,
                sql: """
                    SELECT p.id, p.document_id, e.dimension, e.vector FROM passage p
                    JOIN document d ON d.id = p.document_id AND d.state = 'live'
                    JOIN embedding e ON e.text_hash = p.text_hash AND e.model = ?
                    WHERE p.document_id IN (SELECT value FROM json_each(?))
                    ORDER BY p.id
                    """,
                arguments: [model, ids]
            )
            while let row = try rows.next() {
                let data: Data = row["vector"]
                let dimension: Int = row["dimension"]
                guard data.count == dimension * 4 else { continue }
                vectors.append(
                    PassageVector(passageID: row["id"], documentID: row["document_id"], vector: Self.floats(from: data))
                )
            }
            return vectors
        }
    }

    /// The vectors `model` made for one live document's passages from `passageID` on, in passage
    /// order, reading until `stopAfterMissing` passages in a row have none; and the first passage
    /// read without one (`nil`: every passage read has a vector), where the next look should start.
    ///
    /// A vector index follows a document being embedded a batch at a time (the backfill goes in
    /// passage order) without a join from vectors to passages, whose index would slow every
    /// passage insert.
    public func passageVectors(
        documentID: Int64,
        from passageID: Int64,
        model: String,
        stopAfterMissing: Int = 1_000
    ) async throws -> (vectors: [PassageVector], firstMissing: Int64?) {
        try await database.read { db in
            var vectors: [PassageVector] = []
            var firstMissing: Int64?
            var missingInARow = 0
            let rows = try Row.fetchCursor(
                db,
                sql: """
                    SELECT p.id, e.dimension, e.vector FROM passage p
                    JOIN document d ON d.id = p.document_id AND d.state = 'live'
                    LEFT JOIN embedding e ON e.text_hash = p.text_hash AND e.model = ?
                    WHERE p.document_id = ? AND p.id >= ?
                    ORDER BY p.id
                    """,
                arguments: [model, documentID, passageID]
            )
            while let row = try rows.next() {
                let id: Int64 = row["id"]
                guard let data: Data = row["vector"], let dimension: Int = row["dimension"], data.count == dimension * 4
                else {
                    if firstMissing == nil { firstMissing = id }
                    missingInARow += 1
                    if missingInARow >= stopAfterMissing { break }
                    continue
                }
                missingInARow = 0
                vectors.append(PassageVector(passageID: id, documentID: documentID, vector: Self.floats(from: data)))
            }
            return (vectors, firstMissing)
        }
    }

    /// Deletes cached vectors that no stored passage uses any more (documents deleted or
    /// changed), and returns how many went.
    @discardableResult
    public func deleteUnusedVectors() async throws -> Int {
        try await database.write { db in
            try db.execute(
                // One pass over the passages' keys (an ephemeral index), not an index kept on every insert.
                sql: """
                    DELETE FROM embedding
                    WHERE text_hash NOT IN (SELECT text_hash FROM passage WHERE text_hash IS NOT NULL)
                    """
            )
            return db.changesCount
        }
    }
}

extension Migrations {
    /// `v10`: no index on `passage.text_hash`: kept up to date on every passage insert, it doubled the
    /// time to index a streamed CSV, and nothing needs it any more.
    static func v10(_ db: Database) throws {
        try db.execute(sql: "DROP INDEX IF EXISTS passage_text_hash; DROP INDEX IF EXISTS embedding_model_created")
    }
}
