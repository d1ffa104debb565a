import Foundation
import GRDB
public import QuarryCore

extension Store {
    /// BM25 search over passages, restricted to what `scope` may read inside the SQL query.
    ///
    /// The access check is part of the `WHERE` clause, evaluated for each FTS5 match before
    /// ranking and `LIMIT`, so the top `limit` are the best *readable* passages, never a top-k
    /// filtered afterwards. Admins search everything.
    ///
    /// - Parameters:
    ///   - query: an FTS5 query expression (build it with care: see `KeywordQuery` in QuarryIndex).
    ///   - scope: the asker's access scope.
    ///   - limit: the most passages to return.
    /// - Returns: passages best first; ``QuarryCore/RetrievedPassage/score`` is the negated BM25 (higher is better).
    public func searchPassages(
        matching query: String,
        scope: AccessScope,
        limit: Int
    ) async throws -> [RetrievedPassage] {
        guard limit > 0, !query.isEmpty else { return [] }
        var arguments: StatementArguments = [query]
        let (accessClause, accessArguments) = Self.readerCondition(scope: scope, documentColumn: "p.document_id")
        arguments += accessArguments
        arguments += [limit]
        let statementArguments = arguments
        let sql = """
            SELECT p.id, p.document_id, p.ordinal, p.text, p.heading_path, p.start_offset, p.end_offset, p.page,
                   d.title AS document_title, d.uri AS document_uri,
                   bm25(passage_fts, 1.0, 0.6, 0.4) AS rank
            FROM passage_fts
            JOIN passage p ON p.id = passage_fts.rowid
            JOIN document d ON d.id = p.document_id
            WHERE passage_fts MATCH ? AND d.state = 'live'
            \(accessClause)
            ORDER BY rank
            LIMIT ?
            """
        return try await database.read { db in
            try Row.fetchAll(db, sql: sql, arguments: statementArguments).map { row in
                let rank: Double = row["rank"]
                return RetrievedPassage(
                    passageID: row["id"],
                    documentID: row["document_id"],
                    documentTitle: row["document_title"],
                    documentURI: row["document_uri"],
                    passage: try Self.decodePassage(row),
                    score: -rank
                )
            }
        }
    }

    /// Of the given documents, those that `scope` may read now.
    ///
    /// A document replaced by a new row (a large document re-indexed) is judged by its successor:
    /// an answer that cited the earlier version stays readable to whoever may read the current one.
    public func readableDocumentIDs(among ids: Set<Int64>, scope: AccessScope) async throws -> Set<Int64> {
        guard !ids.isEmpty else { return [] }
        let idList = ids.sorted()
        var arguments: StatementArguments = [try Self.encodeJSON(idList)]
        var sql = """
            SELECT asked.id FROM (
                SELECT d.id AS id, COALESCE(s.successor_id, d.id) AS current
                FROM (SELECT value AS id FROM json_each(?)) d
                LEFT JOIN document_successor s ON s.document_id = d.id
            ) asked
            JOIN document d ON d.id = asked.current AND d.state = 'live'
            """
        if !scope.isAdmin {
            let keys = scope.principalKeys
            sql += """
                 WHERE EXISTS (SELECT 1 FROM document_reader r WHERE r.document_id = d.id
                               AND r.principal IN (\(Array(repeating: "?", count: keys.count).joined(separator: ", "))))
                """
            arguments += StatementArguments(keys)
        }
        let statement = sql
        let statementArguments = arguments
        return try await database.read { db in
            Set(try Int64.fetchAll(db, sql: statement, arguments: statementArguments))
        }
    }
}

extension Store: TermStatistics {
    /// Counts, for each word, the passages that contain it *and* that `scope` may read.
    ///
    /// The total is the corpus-wide passage count (the size of the corpus is not a secret); the
    /// per-word counts never include restricted passages, so a restricted document cannot change
    /// whether a question is answered. Each count walks that word's FTS5 posting list.
    public func documentFrequencies(
        of words: Set<String>,
        scope: AccessScope
    ) async throws -> (
        passageCount: Int, frequencies: [String: Int]
    ) {
        let wordList = words.filter { !$0.isEmpty && !$0.contains("\"") }.sorted()
        // Staged and retired documents have no readers, and are skipped here for admins, who need none.
        let (readerClause, accessArguments) = Self.readerCondition(scope: scope, documentColumn: "p.document_id")
        let accessClause = "AND p.document_id IN (SELECT id FROM document WHERE state = 'live') " + readerClause
        let sql = """
            SELECT count(*) FROM passage_fts JOIN passage p ON p.id = passage_fts.rowid
            WHERE passage_fts MATCH ? \(accessClause)
            """
        let restriction = accessArguments
        return try await database.read { db in
            let count = try Int.fetchOne(db, sql: "SELECT value FROM passage_count WHERE id = 1") ?? 0
            var frequencies: [String: Int] = [:]
            for word in wordList {
                var arguments: StatementArguments = ["\"\(word)\""]
                arguments += restriction
                frequencies[word] = try Int.fetchOne(db, sql: sql, arguments: arguments) ?? 0
            }
            return (count, frequencies)
        }
    }
}
