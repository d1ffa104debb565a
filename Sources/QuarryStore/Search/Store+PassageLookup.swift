import GRDB
public import QuarryCore

extension Store {
    /// The passages among `ids` that `scope` may read now, in the order of `ids`.
    ///
    /// A vector index keeps its own copy of who may read what, refreshed when the store changes;
    /// every passage it finds is fetched through here, so that the store's current readers have
    /// the last word and an index a moment behind can never show a passage to the wrong user.
    ///
    /// - Parameter scores: the score to give each passage (its ``QuarryCore/RetrievedPassage/score``).
    public func readablePassages(
        ids: [Int64],
        scores: [Int64: Double] = [:],
        scope: AccessScope
    ) async throws -> [RetrievedPassage] {
        guard !ids.isEmpty else { return [] }
        let (accessClause, accessArguments) = Self.readerCondition(scope: scope, documentColumn: "p.document_id")
        var arguments: StatementArguments = [try Self.encodeJSON(ids)]
        arguments += accessArguments
        let sql = """
            SELECT p.id, p.document_id, p.ordinal, p.text, p.heading_path, p.start_offset, p.end_offset, p.page,
                   d.title AS document_title, d.uri AS document_uri
            FROM passage p
            JOIN document d ON d.id = p.document_id AND d.state = 'live'
            WHERE p.id IN (SELECT value FROM json_each(?)) \(accessClause)
            """
        let statementArguments = arguments
        let found = try await database.read { db in
            try Row.fetchAll(db, sql: sql, arguments: statementArguments).map { row -> RetrievedPassage in
                let id: Int64 = row["id"]
                return RetrievedPassage(
                    passageID: id,
                    documentID: row["document_id"],
                    documentTitle: row["document_title"],
                    documentURI: row["document_uri"],
                    passage: try Self.decodePassage(row),
                    score: scores[id] ?? 0
                )
            }
        }
        let byID = Dictionary(found.map { ($0.passageID, $0) }, uniquingKeysWith: { first, _ in first })
        return ids.compactMap { byID[$0] }
    }

    /// `AND EXISTS (…)`: the condition that a document (named by `documentColumn`) has a reader in
    /// `scope`, with its arguments; empty for admins, who may read everything.
    static func readerCondition(scope: AccessScope, documentColumn: String) -> (String, StatementArguments) {
        guard !scope.isAdmin else { return ("", StatementArguments()) }
        let keys = scope.principalKeys
        let marks = Array(repeating: "?", count: keys.count).joined(separator: ", ")
        return (
            """
            AND EXISTS (SELECT 1 FROM document_reader r
                        WHERE r.document_id = \(documentColumn) AND r.principal IN (\(marks)))
            """,
            StatementArguments(keys)
        )
    }
}
