import Foundation
import NIOPosix
import QuarryCore
import QuarryExtract
import QuarryStore

extension SyncEngine {
    /// The largest streamed document the engine spools; connectors set their own, smaller limits.
    var maximumStreamedBytes: Int64 { 64 << 30 }

    /// How many passages of a streamed document are written per transaction.
    static let streamedBatchSize = 2_000

    /// Threads for streamed documents, which hold a thread for as long as a file takes (minutes for
    /// a gigabyte): kept apart from NIO's shared pool, so that they never leave the server without
    /// a thread for other extraction. Started once, for the life of the process.
    static let streamingThreads: NIOThreadPool = {
        let pool = NIOThreadPool(numberOfThreads: 2)
        pool.start()
        return pool
    }()

    /// Indexes a document that was streamed to a spool file.
    ///
    /// A CSV file is read a piece at a time and its rows are written in batches to a staged
    /// document, swapped in when the file is done: it never sits in memory, and readers see the
    /// previous version until then. A PDF is mapped by poppler; other formats are read whole, up to
    /// the extractor's limit.
    func indexSpooled(
        _ file: ContentSpool.File,
        of item: SourceItem,
        existing: IndexedDocumentState?,
        context: DocumentContext
    ) async throws -> (Outcome, [String]) {
        let head = try Self.head(of: file.path)
        let type = DocumentExtractor.contentType(of: head, declared: item.contentType)
        guard type == .csv else {
            let extractor = extractor
            let extracted = try await Self.offThePool {
                try extractor.extract(fileAt: file.path, contentType: type, charset: item.charset)
            }
            let outcome = try await save(extracted, of: item, as: type, hash: file.sha256, existing: existing, context)
            return (outcome, extracted.warnings)
        }
        let title = Self.title(fromPath: item.externalID)
        let staged = try await store.beginStagedDocument(connectorID: context.connectorID)
        do {
            let store = store
            let chunker = context.chunker
            let summary = try await Self.offThePool(on: Self.streamingThreads) { isCancelled in
                let reader = try SpoolReader(path: file.path)
                defer { reader.close() }
                var passages = RowPassages(chunker: chunker)
                let summary = try CSVExtractor().extract(
                    reading: {
                        if isCancelled() { throw CancellationError() }
                        return try reader.next()
                    },
                    preferTab: item.externalID.lowercased().hasSuffix(".tsv"),
                    onRow: { row in
                        if isCancelled() { throw CancellationError() }
                        passages.add(row)
                        if passages.pending.count >= Self.streamedBatchSize {
                            try store.appendPassages(passages.take(), to: staged, title: title)
                        }
                    }
                )
                try store.appendPassages(passages.take(), to: staged, title: title)
                return summary
            }
            let snapshot = DocumentSnapshot(
                item: item,
                title: title,
                contentType: .csv,
                contentHash: file.sha256,
                passages: []
            )
            let isNew = try await store.commit(staged, as: snapshot)
            let isSame = existing?.contentHash == file.sha256 && existing?.policy == item.policy
            return (isNew ? .added : isSame ? .unchanged : .updated, summary.warnings)
        } catch {
            // Outside this (perhaps cancelled) task, whose database calls would refuse to run. A
            // cancelled sync only hides the staged rows, so that it stops at once; they are deleted,
            // like any left by a killed sync, when the connector's next sync starts.
            let store = store
            let purgeNow = !(error is CancellationError)
            await Task { try? await store.discard(staged, purgeNow: purgeNow) }.value
            throw error
        }
    }

    /// The first bytes of a file, to tell its format.
    private static func head(of path: String) throws -> Data {
        let reader = try SpoolReader(path: path, pieceSize: 1024)
        defer { reader.close() }
        return try reader.next() ?? Data()
    }
}

/// The passages of a streamed table, one row (or, for an over-long row, a few pieces of it) at a
/// time, with offsets into the document's text: its rows joined by blank lines, as the
/// ``Chunker`` joins blocks.
struct RowPassages {
    let chunker: Chunker
    private(set) var pending: [Passage] = []
    private var offset = 0
    private var ordinal = 0

    init(chunker: Chunker) {
        self.chunker = chunker
    }

    mutating func add(_ row: TextBlock) {
        if ordinal > 0 { offset += 2 }
        let length = row.text.unicodeScalars.count
        defer { offset += length }
        // Nearly every row fits in one passage: it is one, without the chunker's sentence work.
        if length <= chunker.configuration.targetSize {
            pending.append(
                Passage(
                    ordinal: ordinal,
                    text: row.text,
                    headingPath: [],
                    range: TextRange(start: offset, end: offset + length)
                )
            )
            ordinal += 1
            return
        }
        for var passage in chunker.chunk(ExtractedDocument(title: nil, blocks: [row])).passages {
            passage.ordinal = ordinal
            passage.range = TextRange(start: offset + passage.range.start, end: offset + passage.range.end)
            ordinal += 1
            pending.append(passage)
        }
    }

    mutating func take() -> [Passage] {
        defer { pending.removeAll(keepingCapacity: true) }
        return pending
    }
}
