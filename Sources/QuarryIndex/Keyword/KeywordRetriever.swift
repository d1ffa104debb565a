public import QuarryCore
public import QuarryStore

/// BM25 retrieval over the store's FTS5 index, restricted to the asker's scope inside the query.
public struct KeywordRetriever: Retriever {
    private let store: Store

    /// Creates a retriever over a store.
    public init(store: Store) {
        self.store = store
    }

    public func retrieve(_ question: String, limit: Int, scope: AccessScope) async throws -> [RetrievedPassage] {
        let query = KeywordQuery(question)
        guard !query.words.isEmpty, limit > 0 else { return [] }
        return try await store.searchPassages(matching: query.expression, scope: scope, limit: limit)
    }
}
