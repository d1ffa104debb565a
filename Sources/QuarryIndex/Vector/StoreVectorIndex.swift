import Foundation
public import Logging
public import QuarryCore
public import QuarryStore
public import QuarryVector
public import ServiceLifecycle

/// The vector index of a store's passages, kept in step with the store, searched within the
/// asker's scope.
///
/// It holds a ``QuarryVector/VectorIndex`` of every live passage that has a vector for the model,
/// each with its document's readers. Before every search it asks the store for its
/// ``QuarryStore/IndexGeneration`` (one small read) and, when it moved, follows the changes: when
/// documents or readers changed it compares every live document's stamp and readers with what it
/// holds (removing, re-loading or re-labelling documents), and when vectors were stored it loads
/// those of the documents still missing some (at most every `vectorRefreshInterval`). A reader change is therefore honoured by the very next search,
/// wherever it was made (this process, or a `quarry sync` beside it).
///
/// With a `directory`, the index is saved there (atomically, checksummed, by QuarryVector) after
/// changes, by the service at most once a minute (compacted first when tombstones pile up; on a
/// Dispatch thread, never in a search's path) and when ``save()`` is called; the next start-up loads it
/// and catches up with the store instead of reading every vector again; files that are missing,
/// damaged or made for another model are rebuilt from the store.
///
/// As a service of the server it also follows the store every `refreshInterval` without waiting
/// for a search, and saves itself on graceful shutdown.
public actor StoreVectorIndex: PassageVectorSearch, Service {
    /// What the index knows of a document.
    private struct KnownDocument: Codable, Hashable {
        var stamp: String
        var readers: [String]
        /// The first passage that had no vector at the last look (`nil`: all had one).
        var resumeFrom: Int64?
    }

    /// The sidecar saved beside the index files.
    private struct Catalogue: Codable {
        var model: String
        var dimension: Int
        var documents: [Int64: KnownDocument]
    }

    public nonisolated let model: String
    /// Components per vector.
    public nonisolated let dimension: Int
    private let store: Store
    private let configuration: VectorIndexConfiguration
    private let directory: String?
    private let logger: Logger
    private var index: VectorIndex
    private var documents: [Int64: KnownDocument] = [:]
    private var seen: IndexGeneration?
    private var unsaved = false
    /// Counts changes, so a save that ran while more came knows it did not cover them.
    private var changes = 0
    private var saving = false
    /// The follow of the store in progress, if any (see `refreshed()`).
    private var following: Task<Void, any Error>?
    private var lastSaved = ContinuousClock.now
    private let vectorRefreshInterval: Duration
    /// The service saves changes at most this often.
    private let saveInterval: Duration
    private var lastVectorLoad = ContinuousClock.now - .seconds(3600)
    /// The sidecar's file name inside `directory`.
    static let catalogueName = "documents.json"

    /// Opens the index of `store`'s passages for `model`: from `directory` when it holds a good
    /// copy, else empty; the first search (or ``refresh()``) brings it up to date.
    ///
    /// - Throws: ``QuarryVector/VectorIndexError`` for a dimension or configuration it refuses.
    public init(
        store: Store,
        model: String,
        dimension: Int,
        configuration: VectorIndexConfiguration = .init(),
        directory: String? = nil,
        vectorRefreshInterval: Duration = .seconds(10),
        saveInterval: Duration = .seconds(60),
        logger: Logger
    ) throws {
        self.vectorRefreshInterval = vectorRefreshInterval
        self.saveInterval = saveInterval
        self.store = store
        self.model = model
        self.dimension = dimension
        self.configuration = configuration
        self.directory = directory
        self.logger = logger
        if let directory,
            let (index, catalogue) = Self.loadCopy(
                from: directory,
                model: model,
                dimension: dimension,
                configuration: configuration,
                logger: logger
            )
        {
            self.index = index
            self.documents = catalogue.documents
        } else {
            self.index = try VectorIndex(dimension: dimension, model: model, configuration: configuration)
        }
    }

    /// How many passages the index holds.
    public var count: Int { index.count }

    /// Up to `limit` passages readable within `scope`, closest to `vector` first, after following
    /// the store's latest changes.
    ///
    /// - Throws: ``QuarryVector/VectorIndexError`` for a vector of the wrong dimension or with a
    ///   non-finite component; the store's errors.
    public nonisolated func nearest(
        to vector: [Float],
        limit: Int,
        scope: AccessScope
    ) async throws
        -> [PassageVectorHit]
    {
        let index = try await refreshed()
        return try index.search(vector, k: max(0, limit), scope: scope).map {
            PassageVectorHit(passageID: $0.passageID, score: $0.score)
        }
    }

    public nonisolated func vectors(of passageIDs: [Int64], scope: AccessScope) async throws -> [Int64: [Float]] {
        try await refreshed().vectors(passageIDs: passageIDs, scope: scope)
    }

    /// Follows the store's changes since the last look.
    public func refresh() async throws {
        _ = try await refreshed()
    }

    /// The index after following the store's changes since the last look.
    ///
    /// One follow runs at a time: the actor is re-entrant (a follow awaits the store), so a search
    /// arriving while the service (or another search) follows waits for that follow to finish and
    /// then looks again, instead of starting a second one over half-updated state or searching an
    /// index that is not caught up yet.
    private func refreshed() async throws -> VectorIndex {
        while true {
            if let running = following {
                _ = try? await running.value
                // Whoever sees it finished clears it: awaiting a finished task need not suspend, so
                // waiting for its starter to do so could spin.
                if following == running { following = nil }
                continue
            }
            let generation = try await store.indexGeneration()
            if following != nil { continue }  // one began while the generation was read
            guard generation != seen else { return index }
            let follow = Task { try await self.follow(to: generation) }
            following = follow
            let result = await follow.result
            if following == follow { following = nil }
            try result.get()
            return index
        }
    }

    private func follow(to generation: IndexGeneration) async throws {
        if generation.documents != seen?.documents {
            try await followDocuments()
        }
        var vectorsSeen = generation.vectors
        if generation.vectors != seen?.vectors {
            // New vectors of documents already held (a backfill's batches) are loaded at most every
            // `vectorRefreshInterval`; keyword search finds those passages meanwhile.
            if ContinuousClock.now - lastVectorLoad >= vectorRefreshInterval {
                try await loadNewVectors()
                lastVectorLoad = .now
            } else {
                vectorsSeen = seen?.vectors ?? -1
            }
        }
        seen = IndexGeneration(documents: generation.documents, vectors: vectorsSeen)
    }

    /// Removes, re-loads and re-labels documents whose stamp or readers changed.
    private func followDocuments() async throws {
        let stamps = try await store.documentAccessStamps()
        let live = Set(stamps.map(\.documentID))
        for id in documents.keys where !live.contains(id) {
            index.remove(documentID: id)
            documents[id] = nil
            markChanged()
        }
        var toLoad: [Int64: Int] = [:]
        for stamp in stamps {
            var now = KnownDocument(stamp: stamp.stamp, readers: stamp.readers)
            if let known = documents[stamp.documentID] {
                now.resumeFrom = known.resumeFrom
                if known.stamp != now.stamp {
                    index.remove(documentID: stamp.documentID)
                    toLoad[stamp.documentID] = stamp.passageCount
                } else if known.readers != now.readers {
                    index.setReaders(now.readers, documentID: stamp.documentID)
                }
            } else {
                toLoad[stamp.documentID] = stamp.passageCount
            }
            if documents[stamp.documentID] != now {
                documents[stamp.documentID] = now
                markChanged()
            }
        }
        let ids = toLoad.keys.sorted()
        for start in stride(from: 0, to: ids.count, by: 256) {
            let chunk = Array(ids[start..<min(ids.count, start + 256)])
            let vectors = try await store.passageVectors(documentIDs: chunk, model: model)
            try upsert(vectors)
            var loaded: [Int64: Int] = [:]
            for vector in vectors { loaded[vector.documentID, default: 0] += 1 }
            for id in chunk {
                guard (loaded[id] ?? 0) < (toLoad[id] ?? 0) else {
                    documents[id]?.resumeFrom = nil
                    continue
                }
                let first = try await store.passagesAwaitingVectors(model: model, documentID: id, limit: 1).first
                documents[id]?.resumeFrom = first?.passageID
            }
        }
    }

    /// Loads the vectors stored since the last look for documents that were missing some, from each
    /// one's first passage without a vector.
    private func loadNewVectors() async throws {
        for (id, known) in documents {
            guard let from = known.resumeFrom else { continue }
            let (vectors, firstMissing) = try await store.passageVectors(documentID: id, from: from, model: model)
            try upsert(vectors.filter { !index.contains(passageID: $0.passageID) })
            if firstMissing != from {
                documents[id]?.resumeFrom = firstMissing
                markChanged()
            }
        }
    }

    private func upsert(_ vectors: [PassageVector]) throws {
        let records = vectors.compactMap { vector -> VectorRecord? in
            guard let known = documents[vector.documentID], vector.vector.count == dimension else { return nil }
            return VectorRecord(
                passageID: vector.passageID,
                documentID: vector.documentID,
                readers: known.readers,
                vector: vector.vector
            )
        }
        guard !records.isEmpty else { return }
        try index.upsert(records)
        markChanged()
    }

    /// Follows the store every `interval` until graceful shutdown, then saves the index.
    public func run() async throws {
        try await run(refreshInterval: .seconds(5))
    }

    /// ``run()`` with another interval.
    public func run(refreshInterval interval: Duration) async throws {
        _ = try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    try await self.refresh()
                    await self.saveInBackgroundIfDue()
                } catch is CancellationError {
                    return
                } catch {
                    self.logger.warning("the vector index could not follow the store", metadata: ["error": "\(error)"])
                }
                try await Task.sleep(for: interval)
            }
        }
        if unsaved { saveQuietly() }
    }

    /// Writes the index and its catalogue to the directory, if it has one.
    ///
    /// - Throws: ``QuarryVector/VectorIndexError`` or a file error when the files cannot be written.
    public func save() throws {
        guard let directory else { return }
        let covered = changes
        try Self.write(index, Catalogue(model: model, dimension: dimension, documents: documents), to: directory)
        if changes == covered { unsaved = false }
        lastSaved = .now
    }

    /// Saves when there are unsaved changes and the last save is `saveInterval` old. Compaction and the
    /// writes (seconds for a million vectors) run on a Dispatch thread while the actor waits without
    /// blocking: searches go on meanwhile (a save holds the index's read lock; a change that arrives
    /// during it waits for the save to finish).
    func saveInBackgroundIfDue() async {
        guard let directory, unsaved, !saving, ContinuousClock.now - lastSaved >= saveInterval else { return }
        saving = true
        defer { saving = false }
        let covered = changes
        let index = self.index
        let catalogue = Catalogue(model: model, dimension: dimension, documents: documents)
        do {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                DispatchQueue.global(qos: .utility).async {
                    continuation.resume(with: Result { try Self.write(index, catalogue, to: directory) })
                }
            }
            if changes == covered { unsaved = false }
        } catch {
            logger.warning("the vector index could not be saved", metadata: ["error": "\(error)"])
        }
        lastSaved = .now  // after a failure, try again after `saveInterval`
    }

    /// Compacts `index` if needed and writes it with `catalogue` into `directory` (0700, files 0600).
    private static func write(_ index: VectorIndex, _ catalogue: Catalogue, to directory: String) throws {
        index.compactIfNeeded()
        // Vectors can be inverted into approximations of the text: kept like the database (0700/0600).
        try FileManager.default.createDirectory(
            atPath: directory,
            withIntermediateDirectories: true,
            attributes: [.posixPermissions: 0o700]
        )
        try index.save(to: directory)
        let data = try JSONEncoder().encode(catalogue)
        try data.write(to: URL(fileURLWithPath: directory + "/" + Self.catalogueName), options: .atomic)
        for name in try FileManager.default.contentsOfDirectory(atPath: directory) {
            try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: directory + "/" + name)
        }
    }

    private func markChanged() {
        unsaved = true
        changes &+= 1
    }

    /// ``save()`` if the index changed since it was loaded or last saved.
    public func saveIfChanged() throws {
        if unsaved { try save() }
    }

    private func saveQuietly() {
        do {
            try save()
        } catch {
            lastSaved = .now  // try again in a minute
            logger.warning("the vector index could not be saved", metadata: ["error": "\(error)"])
        }
    }

    /// The saved index and catalogue, if both are there, intact and for this model.
    private static func loadCopy(
        from directory: String,
        model: String,
        dimension: Int,
        configuration: VectorIndexConfiguration,
        logger: Logger
    ) -> (VectorIndex, Catalogue)? {
        let cataloguePath = directory + "/" + catalogueName
        guard FileManager.default.fileExists(atPath: cataloguePath) else { return nil }
        do {
            let catalogue = try JSONDecoder().decode(
                Catalogue.self,
                from: try Data(contentsOf: URL(fileURLWithPath: cataloguePath))
            )
            guard catalogue.model == model, catalogue.dimension == dimension else { return nil }
            let index = try VectorIndex.load(from: directory, model: model, dimension: dimension)
            guard index.configuration == configuration else { return nil }
            return (index, catalogue)
        } catch {
            logger.warning(
                "the saved vector index cannot be used; rebuilding it from the store",
                metadata: ["error": "\(error)"]
            )
            return nil
        }
    }
}

extension StoreVectorIndex: CustomStringConvertible {
    /// A short name for logs.
    public nonisolated var description: String { "StoreVectorIndex(model: \(model))" }
}
