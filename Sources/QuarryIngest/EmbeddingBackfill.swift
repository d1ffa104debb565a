public import Logging
public import QuarryCore
import QuarryEmbed
public import QuarryStore
public import ServiceLifecycle

/// Embeds the live passages that have no vector yet for the index's model.
///
/// The sync embeds a document's passages before it saves the document, except for documents
/// streamed in batches (a CSV of millions of rows would hold its sync for days at ~20 passages a
/// second per core): those, passages left over by an embedder that failed, and every passage after
/// the admin changes model are embedded here, in batches, through the store's embedding cache.
/// Keyword search finds them meanwhile. `quarry sync` runs it after the sync; the server runs it
/// in the background as a service (``run()``), waking when the store changes.
public struct EmbeddingBackfill: Service {
    private let store: Store
    private let embedder: any Embedder
    private let batchSize: Int
    private let pollInterval: Duration
    private let logger: Logger

    /// Creates a backfill writing through `store`'s embedding cache.
    ///
    /// - Parameters:
    ///   - embedder: the index's model (wrapped in a ``QuarryEmbed/CachingEmbedder`` over `store`).
    ///   - batchSize: passages embedded per step (each step's vectors are stored before the next).
    ///   - pollInterval: how often the background service looks for new work.
    public init(
        store: Store,
        embedder: any Embedder,
        batchSize: Int = 128,
        pollInterval: Duration = .seconds(5),
        logger: Logger
    ) {
        self.store = store
        self.embedder = embedder.cached(in: store)
        self.batchSize = max(1, batchSize)
        self.pollInterval = pollInterval
        self.logger = logger
    }

    /// Embeds every passage (of one document, or all) awaiting a vector.
    ///
    /// Stopping it part-way loses nothing: each batch is stored as it is made.
    ///
    /// - Parameter onProgress: called after each batch with the number embedded so far.
    /// - Returns: how many passages were embedded.
    /// - Throws: the store's model check (another model is bound), the embedder's or the store's
    ///   errors, and `CancellationError`.
    @discardableResult
    public func embedAwaiting(
        documentID: Int64? = nil,
        onProgress: @Sendable (Int) -> Void = { _ in }
    ) async throws -> Int {
        try await store.bindVectorModel(embedder.model, dimension: embedder.dimension)
        var after: Int64 = 0
        var total = 0
        while true {
            try Task.checkCancellation()
            let batch = try await store.passagesAwaitingVectors(
                model: embedder.model,
                documentID: documentID,
                after: after,
                limit: batchSize
            )
            guard let last = batch.last else { return total }
            _ = try await embedder.embed(batch.map(\.input))
            total += batch.count
            after = last.passageID
            onProgress(total)
        }
    }

    /// Embeds awaiting passages until graceful shutdown, looking again whenever the store's
    /// documents change (checked every `pollInterval`). A failing embedder is logged and retried.
    public func run() async throws {
        _ = try? await cancelWhenGracefulShutdown {
            var seen: IndexGeneration?
            while !Task.isCancelled {
                do {
                    let generation = try await store.indexGeneration()
                    if generation.documents != seen?.documents {
                        let count = try await embedAwaiting()
                        if count > 0 {
                            logger.info("passages embedded", metadata: ["embedding.count": "\(count)"])
                        }
                        seen = try await store.indexGeneration()
                    }
                } catch is CancellationError {
                    return
                } catch {
                    logger.warning("passages could not be embedded", metadata: ["error": "\(error)"])
                }
                try await Task.sleep(for: pollInterval)
            }
        }
    }
}

extension EmbeddingBackfill: CustomStringConvertible {
    /// A short name for logs (service lifecycles print their services): never the embedder's
    /// settings or vocabulary.
    public var description: String { "EmbeddingBackfill(model: \(embedder.model))" }
}
