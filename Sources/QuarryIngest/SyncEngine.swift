import Crypto
import Foundation
public import Logging
import QuarryCore
public import QuarryExtract
public import QuarryStore

/// Brings a connector's documents in the store up to date: connector → extract → chunk → store.
///
/// A sync lists the source, fetches what is new or changed (or everything, in ``SyncMode/full``),
/// writes each document with its passages and readers in one transaction, and removes documents
/// that disappeared, but only after a complete listing, so an interrupted listing never deletes
/// anything. One document's failure is recorded and the sync goes on.
public struct SyncEngine: Sendable {
    private let store: Store
    private let extractor: DocumentExtractor
    private let logger: Logger

    /// Creates an engine writing to `store`.
    public init(store: Store, extractor: DocumentExtractor = .init(), logger: Logger) {
        self.store = store
        self.extractor = extractor
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
        let definition = try ConnectorDefinition.decode(json: record.configuration)
        let connector = try definition.makeConnector()
        let chunker = Chunker(configuration: definition.chunking)
        var logger = logger
        logger[metadataKey: "connector.name"] = "\(record.name)"

        let runID = try await store.startSyncRun(connectorID: record.id, mode: mode.rawValue)
        var state = RunState()
        onEvent(.started(connector: record.name, mode: mode))
        logger.info("sync started", metadata: ["sync.mode": "\(mode.rawValue)"])
        do {
            let indexed = try await store.documentStates(connectorID: record.id)
            for try await entry in connector.listing() {
                try Task.checkCancellation()
                let event = await process(
                    entry,
                    indexed: indexed,
                    mode: mode,
                    connector: connector,
                    connectorID: record.id,
                    chunker: chunker,
                    state: &state,
                    logger: logger
                )
                onEvent(event)
            }
            let gone = indexed.values.filter { !state.seen.contains($0.externalID) }.sorted {
                $0.externalID < $1.externalID
            }
            try await store.deleteDocuments(ids: gone.map(\.id))
            for document in gone {
                state.counts.deleted += 1
                onEvent(.deleted(document.externalID))
            }
            try await store.finishSyncRun(
                id: runID,
                status: .succeeded,
                counts: state.counts,
                failures: state.failures,
                error: nil
            )
            logger.info("sync finished", metadata: ["sync.summary": "\(state.counts.summaryLine)"])
        } catch {
            let status: SyncRun.Status = error is CancellationError ? .cancelled : .failed
            let message = error is CancellationError ? "cancelled" : String(describing: error)
            try? await store.finishSyncRun(
                id: runID,
                status: status,
                counts: state.counts,
                failures: state.failures,
                error: message
            )
            logger.error("sync stopped", metadata: ["sync.error": "\(message)"])
            throw error
        }
        return try await store.syncRuns(connectorName: record.name, limit: 1)[0]
    }

    private struct RunState {
        var counts = SyncCounts()
        var failures: [SyncFailure] = []
        var seen = Set<String>()

        mutating func fail(_ externalID: String, _ reason: String) -> SyncEvent {
            counts.failed += 1
            failures.append(SyncFailure(externalID: externalID, reason: reason))
            return .failed(externalID, reason: reason)
        }
    }

    private func process(
        _ entry: SourceListing,
        indexed: [String: IndexedDocumentState],
        mode: SyncMode,
        connector: any Connector,
        connectorID: Int64,
        chunker: Chunker,
        state: inout RunState,
        logger: Logger
    ) async -> SyncEvent {
        switch entry {
        case .failure(let externalID, let reason):
            state.seen.insert(externalID)
            if let existing = indexed[externalID] {
                // A document whose policy cannot be read is withdrawn rather than left readable under an older one.
                do {
                    try await store.deleteDocuments(ids: [existing.id])
                } catch {
                    logger.error("could not withdraw a document", metadata: ["document.id": "\(existing.id)"])
                }
            }
            return state.fail(externalID, reason)

        case .item(let item):
            state.seen.insert(item.externalID)
            let existing = indexed[item.externalID]
            do {
                if let existing, mode == .incremental, existing.version == item.version {
                    return try await keep(existing, item: item, counts: &state.counts)
                }
                let data = try await read(connector.content(of: item))
                let hash = SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
                if let existing, mode == .incremental, existing.contentHash == hash {
                    return try await keep(existing, item: item, counts: &state.counts)
                }
                let extracted = try extractor.extract(.data(data), contentType: item.contentType)
                let chunked = chunker.chunk(extracted)
                let snapshot = DocumentSnapshot(
                    item: item,
                    title: extracted.title ?? Self.title(fromPath: item.externalID),
                    contentType: item.contentType ?? .plainText,
                    contentHash: hash,
                    passages: chunked.passages
                )
                let saved = try await store.saveDocument(snapshot, connectorID: connectorID)
                if saved.isNew {
                    state.counts.added += 1
                    return .added(item.externalID)
                }
                if existing?.contentHash == hash && existing?.policy == item.policy {
                    state.counts.unchanged += 1
                    return .unchanged(item.externalID)
                }
                state.counts.updated += 1
                return .updated(item.externalID)
            } catch {
                logger.warning("document failed", metadata: ["document.external_id": "\(item.externalID)"])
                return state.fail(item.externalID, String(describing: error))
            }
        }
    }

    /// Records a new stamp and policy for a document whose content is unchanged.
    private func keep(
        _ existing: IndexedDocumentState,
        item: SourceItem,
        counts: inout SyncCounts
    ) async throws
        -> SyncEvent
    {
        if existing.version != item.version || existing.policy != item.policy {
            try await store.updateDocument(id: existing.id, version: item.version, policy: item.policy)
        }
        if existing.policy != item.policy {
            counts.updated += 1
            return .updated(item.externalID)
        }
        counts.unchanged += 1
        return .unchanged(item.externalID)
    }

    private func read(_ content: SourceContent) throws -> Data {
        switch content {
        case .data(let data):
            return data
        case .file(let path):
            let attributes = try FileManager.default.attributesOfItem(atPath: path)
            if let size = attributes[.size] as? Int, size > extractor.maximumTextBytes {
                throw ExtractionError.unreadable("larger than \(extractor.maximumTextBytes) bytes")
            }
            return try Data(contentsOf: URL(fileURLWithPath: path))
        }
    }

    /// A readable title from a path: `hr/salary-bands.md` → `Salary bands`.
    static func title(fromPath path: String) -> String {
        let file = path.split(separator: "/").last.map(String.init) ?? path
        let stem = file.contains(".") ? String(file[..<file.lastIndex(of: ".")!]) : file
        let words = stem.replacingOccurrences(of: "-", with: " ").replacingOccurrences(of: "_", with: " ")
        guard let first = words.first else { return file }
        return first.uppercased() + words.dropFirst()
    }
}
