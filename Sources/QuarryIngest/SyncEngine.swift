import Foundation
public import Logging
import QuarryConnectors
public import QuarryCore
import QuarryEmbed
public import QuarryExtract
public import QuarryStore

/// Brings a connector's documents in the store up to date: connector → extract → chunk → store.
///
/// A sync lists the source, fetches what is new or changed (or everything, in ``SyncMode/full``),
/// writes each document with its passages and readers in one transaction, and removes documents
/// that disappeared, but only after a complete listing, so an interrupted listing never deletes
/// anything. One document's failure is recorded and the sync goes on.
public struct SyncEngine: Sendable {
    /// Makes the connector a stored definition describes.
    public typealias ConnectorFactory = @Sendable (ConnectorDefinition) throws -> any Connector

    let store: Store
    let extractor: DocumentExtractor
    /// Embeds passages before their document is saved, through the store's embedding cache;
    /// `nil` indexes keywords only.
    let embedder: (any Embedder)?
    private let makeConnector: ConnectorFactory
    private let logger: Logger

    /// Creates an engine writing to `store`.
    ///
    /// - Parameters:
    ///   - embedder: the model that embeds passages (wrapped in a ``QuarryEmbed/CachingEmbedder``
    ///     over `store`, so a text already embedded costs nothing); `nil` indexes keywords only,
    ///     and ``EmbeddingBackfill`` can embed the passages later.
    ///   - makeConnector: builds connectors from their definitions; tests wrap it to
    ///     produce faults a real source cannot be made to produce.
    public init(
        store: Store,
        extractor: DocumentExtractor = .init(),
        embedder: (any Embedder)? = nil,
        makeConnector: @escaping ConnectorFactory = { try $0.makeConnector() },
        logger: Logger
    ) {
        self.store = store
        self.extractor = extractor
        self.embedder = embedder.map { $0.cached(in: store) }
        self.makeConnector = makeConnector
        self.logger = logger
    }

    /// Syncs one stored connector.
    ///
    /// - Parameters:
    ///   - connectorName: the name of a connector saved in the store.
    ///   - mode: incremental (trust version stamps) or full.
    ///   - onEvent: called for every document, in order, as the sync proceeds.
    /// - Returns: the recorded run.
    /// - Throws: ``StoreError/notFound(_:_:)`` for an unknown connector; the listing's error when
    ///   the source cannot be listed (nothing is deleted then); `CancellationError` if cancelled.
    public func sync(
        connectorName: String,
        mode: SyncMode = .incremental,
        onEvent: @Sendable (SyncEvent) -> Void = { _ in }
    ) async throws -> SyncRun {
        guard let record = try await store.connector(named: connectorName) else {
            throw StoreError.notFound("connector", connectorName)
        }
        if let embedder { try await store.bindVectorModel(embedder.model, dimension: embedder.dimension) }
        let definition = try ConnectorDefinition.decode(json: record.configuration)
        let connector = try makeConnector(definition)
        let chunker = Chunker(configuration: definition.chunking)
        var logger = logger
        logger[metadataKey: "connector.name"] = "\(record.name)"

        let lease = SyncLeaseHolder(store: store, connectorID: record.id)
        try await lease.acquire(connectorName: record.name)
        let heartbeat = Task { await lease.keepAlive() }
        defer { heartbeat.cancel() }
        let runID: Int64
        do {
            runID = try await store.startSyncRun(connectorID: record.id, mode: mode.rawValue)
        } catch {
            await lease.release()
            throw error
        }
        var state = RunState()
        onEvent(.started(connector: record.name, mode: mode, runID: runID))
        logger.info("sync started", metadata: ["sync.mode": "\(mode.rawValue)", "sync.run": "\(runID)"])
        var lastProgress = ContinuousClock.now
        do {
            var indexed: [ExactKey: IndexedDocumentState] = [:]
            for document in try await store.documentStates(connectorID: record.id) {
                indexed[ExactKey(document.externalID)] = document
            }
            // What a killed sync of this connector left: staged documents, spooled files.
            try await store.purgeHiddenDocuments(connectorID: record.id)
            let spool = ContentSpool(
                dataDirectory: URL(fileURLWithPath: store.path).deletingLastPathComponent(),
                connectorID: record.id
            )
            try spool.reset()
            defer { try? FileManager.default.removeItem(at: spool.folder) }
            let context = DocumentContext(
                indexed: indexed,
                mode: mode,
                connector: connector,
                connectorID: record.id,
                chunker: chunker,
                spool: spool
            )
            let listing: AsyncThrowingStream<SourceListing, any Error>
            if let incremental = connector as? any IncrementalConnector {
                var previous: [String: PreviousSync.Document] = [:]
                for document in indexed.values {
                    previous[document.externalID] = .init(version: document.version, links: document.links)
                }
                listing = incremental.listing(previous: PreviousSync(documents: previous))
            } else {
                listing = connector.listing()
            }
            for try await entry in listing {
                try Task.checkCancellation()
                state.counts.seen += 1
                for event in try await process(entry, context: context, state: &state, logger: logger) {
                    onEvent(event)
                }
                if ContinuousClock.now - lastProgress > .seconds(2) {
                    lastProgress = ContinuousClock.now
                    try await store.updateSyncRunProgress(id: runID, counts: state.counts)
                }
            }
            // A cancelled listing ends early without an error: never take what it did not reach for deleted.
            try Task.checkCancellation()
            let gone = indexed.filter { key, document in
                !state.isIncomplete && !state.seen.contains(key) && !state.isUnavailable(document.externalID)
            }.values.sorted { Array($0.externalID.utf8).lexicographicallyPrecedes(Array($1.externalID.utf8)) }
            try await store.deleteDocuments(ids: gone.map(\.id))
            for document in gone {
                state.counts.deleted += 1
                onEvent(.deleted(document.externalID))
            }
            if state.counts.deleted + state.counts.updated + state.counts.failed > 0 {
                try await store.deleteUnusedVectors()
            }
            try await store.finishSyncRun(
                id: runID,
                status: .succeeded,
                counts: state.counts,
                failures: state.failures,
                warnings: state.warnings,
                error: nil
            )
            logger.info("sync finished", metadata: ["sync.summary": "\(state.counts.summaryLine)"])
        } catch {
            let status: SyncRun.Status = error is CancellationError ? .cancelled : .failed
            let message = error is CancellationError ? "cancelled" : String(describing: error)
            // Recorded outside this (perhaps cancelled) task, whose database calls would refuse to run.
            let counts = state.counts
            let failures = state.failures
            let warnings = state.warnings
            let store = store
            await Task {
                try? await store.finishSyncRun(
                    id: runID,
                    status: status,
                    counts: counts,
                    failures: failures,
                    warnings: warnings,
                    error: message
                )
            }.value
            logger.error("sync stopped", metadata: ["sync.error": "\(message)"])
            await lease.release()
            throw error
        }
        await lease.release()
        guard let run = try await store.syncRun(id: runID) else { throw StoreError.notFound("sync run", "\(runID)") }
        return run
    }

    /// An external identifier compared by its exact bytes, as the store and the file system do.
    ///
    /// Swift's `String` equality treats canonically equivalent spellings ("é" as one scalar or as
    /// "e" + accent) as equal; two such files are two documents and must never be confused.
    struct ExactKey: Hashable {
        let bytes: [UInt8]
        init(_ text: String) { bytes = Array(text.utf8) }
    }

    /// What every document of one run shares.
    struct DocumentContext {
        let indexed: [ExactKey: IndexedDocumentState]
        let mode: SyncMode
        let connector: any Connector
        let connectorID: Int64
        let chunker: Chunker
        let spool: ContentSpool
    }

    private struct RunState {
        var counts = SyncCounts()
        var failures: [SyncFailure] = []
        var warnings: [SyncWarning] = []
        var seen = Set<ExactKey>()
        var unavailablePaths: [[UInt8]] = []
        var isIncomplete = false

        mutating func fail(_ externalID: String, _ reason: String) -> SyncEvent {
            counts.failed += 1
            failures.append(SyncFailure(externalID: externalID, reason: reason))
            return .failed(externalID, reason: reason)
        }

        /// Whether a document lies at or below a path that could not be listed this time.
        func isUnavailable(_ externalID: String) -> Bool {
            let id = Array(externalID.utf8)
            return unavailablePaths.contains { path in
                id == path || (id.starts(with: path) && id.count > path.count && id[path.count] == UInt8(ascii: "/"))
            }
        }
    }

    /// Handles one listing entry and returns what happened, in order.
    ///
    /// - Throws: only when the store fails, which stops the run.
    private func process(
        _ entry: SourceListing,
        context: DocumentContext,
        state: inout RunState,
        logger: Logger
    ) async throws -> [SyncEvent] {
        switch entry {
        case .incomplete(let reason):
            state.isIncomplete = true
            logger.notice("the listing is incomplete; nothing will be deleted", metadata: ["sync.reason": "\(reason)"])
            return []

        case .unavailable(let path, let reason):
            state.unavailablePaths.append(Array(path.utf8))
            return [state.fail(path, "\(reason); documents under it were left as they were")]

        case .failure(let externalID, let reason):
            state.seen.insert(ExactKey(externalID))
            // A document whose policy cannot be read is withdrawn rather than left readable under an older one.
            if let existing = context.indexed[ExactKey(externalID)] {
                try await store.deleteDocuments(ids: [existing.id])
                return [state.fail(externalID, reason + "; the indexed copy was withdrawn")]
            }
            return [state.fail(externalID, reason)]

        case .item(let item):
            state.seen.insert(ExactKey(item.externalID))
            let existing = context.indexed[ExactKey(item.externalID)]
            let outcome: Outcome
            let warnings: [String]
            do {
                (outcome, warnings) = try await index(item, existing: existing, context: context)
            } catch let error as ConnectorError where error.isTransient {
                return [state.fail(item.externalID, error.description)]
            } catch let error as PassageEmbeddingError {
                // The document is fine; the model is not (a remote endpoint down): keep what is indexed.
                return [state.fail(item.externalID, error.description)]
            } catch let error as CancellationError {
                throw error
            } catch {
                logger.warning("document failed", metadata: ["document.external_id": "\(item.externalID)"])
                // The source changed but cannot be read as it is now: the old text must not stay
                // readable (it may have been emptied or restricted on purpose). The next good sync restores it.
                if let existing {
                    try await store.deleteDocuments(ids: [existing.id])
                    return [state.fail(item.externalID, "\(error); the indexed copy was withdrawn")]
                }
                return [state.fail(item.externalID, String(describing: error))]
            }
            switch outcome {
            case .added: state.counts.added += 1
            case .updated: state.counts.updated += 1
            case .unchanged: state.counts.unchanged += 1
            }
            state.warnings += warnings.map { SyncWarning(externalID: item.externalID, message: $0) }
            return [outcome.event(item.externalID)] + warnings.map { .warned(item.externalID, message: $0) }
        }
    }
}
