import Crypto
import Foundation
import NIOPosix
import QuarryConnectors
import QuarryCore
import QuarryExtract
import QuarryStore
import Synchronization

extension SyncEngine {
    /// What happened to one listed document.
    enum Outcome {
        case added, updated, unchanged

        func event(_ externalID: String) -> SyncEvent {
            switch self {
            case .added: .added(externalID)
            case .updated: .updated(externalID)
            case .unchanged: .unchanged(externalID)
            }
        }
    }

    /// Brings one listed document up to date.
    ///
    /// - Returns: what happened, and the extractor's warnings about the document.
    func index(
        _ item: SourceItem,
        existing: IndexedDocumentState?,
        context: DocumentContext
    ) async throws -> (Outcome, [String]) {
        if let existing, context.mode == .incremental, existing.version == item.version {
            return (try await keep(existing, item: item), [])
        }
        switch try await context.connector.content(of: item) {
        case .data(let data):
            let hash = SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
            if let existing, context.mode == .incremental, existing.contentHash == hash {
                return (try await keep(existing, item: item), [])
            }
            let extractor = extractor
            let extracted = try await Self.offThePool {
                try extractor.extract(
                    .data(data),
                    contentType: item.contentType,
                    charset: item.charset,
                    fileName: item.externalID
                )
            }
            let type = DocumentExtractor.contentType(of: data, declared: item.contentType)
            return (
                try await save(extracted, of: item, as: type, hash: hash, existing: existing, context),
                extracted.warnings
            )
        case .stream(let stream):
            // A binary file named .csv is refused from its first bytes, before the rest is fetched.
            let inspect: @Sendable (Data) throws -> Void = { head in
                guard item.contentType == .csv, !head.starts(with: Array("%PDF-".utf8)) else { return }
                try CSVExtractor.refuseBinary(head: head)
            }
            let file = try await context.spool.write(stream, limit: maximumStreamedBytes, inspectingHead: inspect)
            defer { file.remove() }
            if let existing, context.mode == .incremental, existing.contentHash == file.sha256 {
                return (try await keep(existing, item: item), [])
            }
            return try await indexSpooled(file, of: item, existing: existing, context: context)
        }
    }

    /// Writes an extracted document with its passages in one transaction.
    func save(
        _ extracted: ExtractedDocument,
        of item: SourceItem,
        as type: ContentType,
        hash: String,
        existing: IndexedDocumentState?,
        _ context: DocumentContext
    ) async throws -> Outcome {
        let chunked = context.chunker.chunk(extracted)
        let title = extracted.title ?? Self.title(fromPath: item.externalID)
        if let embedder {
            let inputs = chunked.passages.map { $0.embeddingInput(documentTitle: title) }
            do {
                _ = try await embedder.embed(inputs)
            } catch let error as CancellationError {
                throw error
            } catch {
                throw PassageEmbeddingError(model: embedder.model, underlying: error)
            }
        }
        let snapshot = DocumentSnapshot(
            item: item,
            title: title,
            contentType: type,
            contentHash: hash,
            passages: chunked.passages,
            links: extracted.links
        )
        let saved = try await store.saveDocument(snapshot, connectorID: context.connectorID)
        if saved.isNew { return .added }
        return existing?.contentHash == hash && existing?.policy == item.policy ? .unchanged : .updated
    }

    /// Records a new stamp and policy for a document whose content is unchanged.
    func keep(_ existing: IndexedDocumentState, item: SourceItem) async throws -> Outcome {
        if existing.version != item.version || existing.policy != item.policy {
            try await store.updateDocument(id: existing.id, version: item.version, policy: item.policy)
        }
        return existing.policy != item.policy ? .updated : .unchanged
    }

    /// A readable title from a path: `hr/salary-bands.md` → `Salary bands`.
    static func title(fromPath path: String) -> String {
        let file = path.split(separator: "/").last.map(String.init) ?? path
        let stem = file.contains(".") ? String(file[..<file.lastIndex(of: ".")!]) : file
        let words = stem.replacingOccurrences(of: "-", with: " ").replacingOccurrences(of: "_", with: " ")
        guard let first = words.first else { return file }
        return first.uppercased() + words.dropFirst()
    }

    /// Runs blocking work (poppler, libxml2, a streamed CSV and its database writes) on NIO's
    /// thread pool, off Swift's cooperative pool. `work` is told through `isCancelled` when the
    /// calling task is cancelled, and should stop then.
    static func offThePool<Result: Sendable>(
        on pool: NIOThreadPool = .singleton,
        _ work: @escaping @Sendable (_ isCancelled: @Sendable () -> Bool) throws -> Result
    ) async throws -> Result {
        let flag = CancellationFlag()
        return try await withTaskCancellationHandler {
            try await pool.runIfActive {
                try work { flag.isSet }
            }
        } onCancel: {
            flag.set()
        }
    }

    /// ``offThePool(_:)`` for work that does not check for cancellation.
    static func offThePool<Result: Sendable>(_ work: @escaping @Sendable () throws -> Result) async throws -> Result {
        try await offThePool { _ in try work() }
    }
}

/// Tells blocking work on another thread that its task was cancelled.
final class CancellationFlag: Sendable {
    private let value = Atomic(false)

    var isSet: Bool { value.load(ordering: .acquiring) }

    func set() {
        value.store(true, ordering: .releasing)
    }
}
