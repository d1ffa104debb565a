import ArgumentParser
import Foundation
import Logging
import QuarryCore
import QuarryEmbed
import QuarryIndex
import QuarryStore
import QuarryVector

/// How the commands that index or search (`serve`, `sync`, `ask`, `demo`) get their embedder.
///
/// | value | embedder |
/// |---|---|
/// | `local` (default) | all-MiniLM-L6-v2 in-process, configured by `QUARRY_EMBEDDING_*` (see docs/embeddings.md) |
/// | `remote` | an OpenAI-compatible `/v1/embeddings` endpoint: `QUARRY_EMBEDDING_REMOTE_URL`, `_MODEL`, `_DIMENSION`, `_API_KEY` |
/// | `off` | none: keyword search only, nothing embedded |
struct EmbeddingOptions: ParsableArguments {
    enum Mode: String, ExpressibleByArgument, CaseIterable {
        case local, remote, off
    }

    @Option(
        help: ArgumentHelp(
            "Embeddings: local (the in-process model), remote (QUARRY_EMBEDDING_REMOTE_URL) or off (keywords only).",
            valueName: "mode"
        )
    )
    var embeddings: Mode?

    enum IndexKind: String, ExpressibleByArgument, CaseIterable {
        case flat, int8, hnsw
    }

    @Option(
        help: ArgumentHelp(
            "The vector index: flat (exact), int8 (quantised, re-scored) or hnsw (graph, for millions of passages).",
            valueName: "kind"
        )
    )
    var vectorIndex: IndexKind?

    /// The mode from `--embeddings`, else `QUARRY_EMBEDDINGS`, else `local`.
    func mode() throws -> Mode {
        try choice(embeddings, variable: "QUARRY_EMBEDDINGS", default: .local)
    }

    /// The embedder to index and search with, or `nil` when embeddings are off.
    ///
    /// - Throws: ``CLIError`` naming what to install or set when the model cannot be loaded, so a
    ///   server never starts without the model it was told to use.
    func makeEmbedder(logger: Logger) throws -> (any Embedder)? {
        let environment = ProcessInfo.processInfo.environment
        switch try mode() {
        case .off:
            return nil
        case .remote:
            do {
                guard let configuration = try RemoteEmbedderConfiguration.fromEnvironment(environment) else {
                    throw CLIError("--embeddings remote needs QUARRY_EMBEDDING_REMOTE_URL (see docs/embeddings.md)")
                }
                return try RemoteEmbedder(configuration: configuration, logger: logger)
            } catch let error as CLIError {
                throw error
            } catch {
                throw CLIError("cannot use the remote embedder: \(error)")
            }
        case .local:
            do {
                return try MiniLMEmbedder(configuration: EmbeddingConfiguration(environment: environment))
            } catch {
                throw CLIError(
                    "cannot load the embedding model: \(error) (or pass --embeddings off to search by keywords only)"
                )
            }
        }
    }

    /// The vector index of `store`'s passages for `embedder`'s model, kept in
    /// `DATA_DIR/vectors` and brought up to date with the store.
    func openVectorIndex(store: Store, embedder: any Embedder, logger: Logger) async throws -> StoreVectorIndex {
        let configuration: VectorIndexConfiguration
        switch try choice(vectorIndex, variable: "QUARRY_VECTOR_INDEX", default: .flat) {
        case .flat: configuration = VectorIndexConfiguration(kind: .flat)
        case .int8: configuration = VectorIndexConfiguration(kind: .int8(rerank: 64))
        case .hnsw: configuration = VectorIndexConfiguration(kind: .hnsw(.init()))
        }
        let directory = URL(fileURLWithPath: store.path).deletingLastPathComponent().appendingPathComponent("vectors")
        let index = try StoreVectorIndex(
            store: store,
            model: embedder.model,
            dimension: embedder.dimension,
            configuration: configuration,
            directory: directory.path,
            logger: logger
        )
        try await index.refresh()
        return index
    }

    /// The embedder (nil when off) and, with it, the store's vector index, for the commands that
    /// answer questions; the store is bound to the embedder's model first.
    func openSearch(
        store: Store,
        logger: Logger
    ) async throws -> (embedder: (any Embedder)?, vectors: StoreVectorIndex?) {
        guard let embedder = try makeEmbedder(logger: logger) else { return (nil, nil) }
        try await store.bindVectorModel(embedder.model, dimension: embedder.dimension)
        return (embedder, try await openVectorIndex(store: store, embedder: embedder, logger: logger))
    }
}
