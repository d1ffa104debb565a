import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The manifest `index.json`: what the data files hold and their checksums. Renaming it into
/// place is the commit point of a save.
struct IndexManifest: Codable, Equatable {
    struct File: Codable, Equatable {
        var name: String
        var bytes: Int
        var checksum: UInt64
    }

    static let currentFormat = 1

    var format: Int
    var dimension: Int
    var model: String
    var configuration: VectorIndexConfiguration
    var slotCount: Int
    var liveCount: Int
    var classes: [[String]]
    var slots: File
    var vectors: File
    var codes: File?
    var graph: File?
    var graphEntryPoint: Int32?
    var graphMaxLevel: Int?
    var graphRandomState: UInt64?
    /// The caller's notes (e.g. the store's last change sequence number covered by this save).
    var metadata: [String: String]?
}

extension VectorIndex {
    /// The manifest's file name inside the index directory.
    public static let manifestName = "index.json"

    /// Writes the index into `directory` (created if missing), replacing any index there atomically.
    ///
    /// Data files get fresh names and are fsynced; then `index.json` is written beside them as a
    /// temporary file, fsynced and renamed over the old one (the commit point), and the directory is
    /// fsynced. Files of the previous save are deleted afterwards. A crash at any point leaves
    /// either the old index or the new one. Searches may run during a save; mutations wait.
    /// - Parameters:
    ///   - directory: the index's directory.
    ///   - metadata: notes kept with the files and returned by ``savedMetadata`` after a load, such
    ///     as how far into the store's changes this index is, so that a caller can replay what came after.
    /// - Throws: ``VectorIndexError`` (`io`) naming the path and `errno`.
    public func save(to directory: String, metadata: [String: String] = [:]) throws(VectorIndexError) {
        try IndexFiles.createDirectory(directory)
        let token = String(UInt64.random(in: 0...UInt64.max), radix: 16)
        var manifest = try withStateForReading { (state) throws(VectorIndexError) -> IndexManifest in
            try Self.writeFiles(of: state, to: directory, token: token)
        }
        manifest.metadata = metadata.isEmpty ? nil : metadata
        let data: Data
        do {
            data = try JSONEncoder().encode(manifest)
        } catch {
            throw .invalidArgument("the index manifest could not be encoded: \(error)")
        }
        let temporary = directory + "/" + Self.manifestName + ".tmp-" + token
        try data.withUnsafeBytes { bytes in
            Result { () throws(VectorIndexError) in try IndexFiles.write([bytes], to: temporary) }
        }.get()
        try IndexFiles.rename(temporary, to: directory + "/" + Self.manifestName)
        try IndexFiles.syncDirectory(directory)
        let kept: Set<String> = Set(
            [manifest.slots.name, manifest.vectors.name, manifest.codes?.name, manifest.graph?.name].compactMap { $0 }
        )
        for name in IndexFiles.names(in: directory) where !kept.contains(name) && Self.isIndexFileName(name) {
            unlink(directory + "/" + name)
        }
    }

    private static func isIndexFileName(_ name: String) -> Bool {
        ["slots-", "vectors-", "codes-", "graph-", manifestName + ".tmp-"].contains { name.hasPrefix($0) }
    }

    private static func writeFiles(
        of state: IndexState,
        to directory: String,
        token: String
    ) throws(VectorIndexError)
        -> IndexManifest
    {
        func file(_ prefix: String, _ parts: [UnsafeRawBufferPointer]) -> Result<IndexManifest.File, VectorIndexError> {
            let name = "\(prefix)-\(token).bin"
            do {
                try IndexFiles.write(parts, to: directory + "/" + name)
            } catch {
                return .failure(error)
            }
            var checksums = Data()
            var bytes = 0
            for part in parts {
                bytes += part.count
                withUnsafeBytes(of: IndexFiles.checksum(part)) { checksums.append(contentsOf: $0) }
            }
            let sum = checksums.withUnsafeBytes { IndexFiles.checksum($0) }
            return .success(IndexManifest.File(name: name, bytes: bytes, checksum: sum))
        }
        let n = state.slotCount
        let slotsFile = try state.passageIDs.withUnsafeBytes { passages in
            state.documentIDs.withUnsafeBytes { documents in
                state.classOf.withUnsafeBytes { classes in
                    state.live.words.withUnsafeBytes { live in
                        state.scales.withUnsafeBytes { scales in
                            (state.graph?.levels ?? []).withUnsafeBytes { levels in
                                file("slots", [passages, documents, classes, live, scales, levels])
                            }
                        }
                    }
                }
            }
        }.get()
        let vectorsFile = try file(
            "vectors",
            [UnsafeRawBufferPointer(start: state.vectors.base, count: n * state.rowBytes)]
        ).get()
        var codesFile: IndexManifest.File?
        if let codes = state.codes {
            codesFile = try file("codes", [UnsafeRawBufferPointer(start: codes.base, count: n * state.codeStride)])
                .get()
        }
        var graphFile: IndexManifest.File?
        if let graph = state.graph {
            var upper: [Int32] = []
            for links in graph.upper { upper.append(contentsOf: links) }
            graphFile = try upper.withUnsafeBytes { upperBytes in
                file(
                    "graph",
                    [UnsafeRawBufferPointer(start: graph.level0.base, count: n * graph.level0RowBytes), upperBytes]
                )
            }.get()
        }
        return IndexManifest(
            format: IndexManifest.currentFormat,
            dimension: state.dimension,
            model: state.model,
            configuration: state.configuration,
            slotCount: n,
            liveCount: state.liveCount,
            classes: state.acl.classes,
            slots: slotsFile,
            vectors: vectorsFile,
            codes: codesFile,
            graph: graphFile,
            graphEntryPoint: state.graph?.entryPoint,
            graphMaxLevel: state.graph?.maxLevel,
            graphRandomState: state.graph?.randomState
        )
    }

    /// Opens the index saved in `directory`, memory-mapping its vectors, codes and graph.
    ///
    /// - Parameters:
    ///   - directory: where ``save(to:metadata:)`` wrote it.
    ///   - model: when given, the index must hold this model's vectors.
    ///   - dimension: when given, the index must hold vectors of this dimension.
    ///   - verifyChecksums: check every file's checksum (reads every page once); on by default.
    /// - Throws: ``VectorIndexError``: `corruptIndex` for a missing or unreadable manifest, a file
    ///   missing or of the wrong size, a checksum mismatch or inconsistent contents;
    ///   `incompatibleIndex` for another format, model or dimension. Both mean: rebuild from the store
    ///   (``VectorIndexError/requiresRebuild``).
    public static func load(
        from directory: String,
        model: String? = nil,
        dimension: Int? = nil,
        verifyChecksums: Bool = true
    ) throws(VectorIndexError) -> VectorIndex {
        let manifestPath = directory + "/" + manifestName
        guard let data = FileManager.default.contents(atPath: manifestPath) else {
            throw .corruptIndex("there is no readable index manifest at \(manifestPath)")
        }
        let manifest: IndexManifest
        do {
            manifest = try JSONDecoder().decode(IndexManifest.self, from: data)
        } catch {
            throw .corruptIndex("the index manifest \(manifestPath) cannot be read (\(error))")
        }
        guard manifest.format == IndexManifest.currentFormat else {
            throw .incompatibleIndex(
                "the index in \(directory) has format \(manifest.format); this Quarry reads format"
                    + " \(IndexManifest.currentFormat)"
            )
        }
        if let model, model != manifest.model {
            throw .incompatibleIndex("the index in \(directory) holds vectors of \(manifest.model), not \(model)")
        }
        if let dimension, dimension != manifest.dimension {
            throw .incompatibleIndex(
                "the index in \(directory) holds \(manifest.dimension)-dimensional vectors, not \(dimension)"
            )
        }
        var state = IndexState(
            dimension: manifest.dimension,
            model: manifest.model,
            configuration: manifest.configuration
        )
        let n = manifest.slotCount
        let liveWords = (n + 63) / 64
        let hasScales = state.codes != nil
        let levelsBytes = state.graph != nil ? n : 0
        let slotParts = [n * 8, n * 8, n * 4, liveWords * 8, hasScales ? n * 4 : 0, levelsBytes]
        guard manifest.slots.bytes == slotParts.reduce(0, +), manifest.vectors.bytes == n * state.rowBytes else {
            throw .corruptIndex("the index manifest \(manifestPath) does not match its slot count \(n)")
        }

        func mapped(_ file: IndexManifest.File, parts: [Int]) throws(VectorIndexError) -> AlignedBuffer {
            let path = directory + "/" + file.name
            let buffer = try IndexFiles.map(path, expectedBytes: file.bytes)
            if verifyChecksums {
                var checksums = Data()
                var offset = 0
                for part in parts {
                    let sum = IndexFiles.checksum(UnsafeRawBufferPointer(start: buffer.base + offset, count: part))
                    withUnsafeBytes(of: sum) { checksums.append(contentsOf: $0) }
                    offset += part
                }
                guard checksums.withUnsafeBytes({ IndexFiles.checksum($0) }) == file.checksum else {
                    throw .corruptIndex("the index file \(path) fails its checksum")
                }
            }
            return buffer
        }

        let slots = try mapped(manifest.slots, parts: slotParts)
        var offset = 0
        func read<T>(_ type: T.Type, count: Int) -> [T] {
            let values = Array(
                UnsafeBufferPointer(start: (slots.base + offset).assumingMemoryBound(to: T.self), count: count)
            )
            offset += count * MemoryLayout<T>.stride
            return values
        }
        state.passageIDs = read(Int64.self, count: n)
        state.documentIDs = read(Int64.self, count: n)
        state.classOf = read(UInt32.self, count: n)
        state.live = SlotBitset(words: read(UInt64.self, count: liveWords), slotCount: n)
        state.scales = hasScales ? read(Float.self, count: n) : []
        let levels = read(UInt8.self, count: levelsBytes)
        state.acl = ACLClassTable(classes: manifest.classes)
        guard state.acl.classes.count == manifest.classes.count,
            state.classOf.allSatisfy({ Int($0) < manifest.classes.count })
        else {
            throw .corruptIndex("the index in \(directory) has slots of reader classes it does not define")
        }
        state.vectors = try mapped(manifest.vectors, parts: [manifest.vectors.bytes])
        if hasScales {
            guard let codes = manifest.codes, codes.bytes == n * state.codeStride else {
                throw .corruptIndex("the int8 index in \(directory) has no codes file of the right size")
            }
            state.codes = try mapped(codes, parts: [codes.bytes])
        }
        if case .hnsw(let parameters) = manifest.configuration.kind {
            guard let file = manifest.graph, let entry = manifest.graphEntryPoint,
                let maxLevel = manifest.graphMaxLevel,
                let randomState = manifest.graphRandomState
            else {
                throw .corruptIndex("the HNSW index in \(directory) has no graph")
            }
            let empty = HNSWGraph(parameters: parameters)
            let level0Bytes = n * empty.level0RowBytes
            let upperCount = levels.reduce(0) { $0 + Int($1) * (empty.m + 1) }
            guard file.bytes == level0Bytes + upperCount * 4, entry < Int32(max(n, 1)), maxLevel < 64 else {
                throw .corruptIndex("the HNSW graph of \(directory) does not match its \(n) nodes")
            }
            let buffer = try mapped(file, parts: [level0Bytes, upperCount * 4])
            var upper: [[Int32]] = []
            upper.reserveCapacity(n)
            var cursor = (buffer.base + level0Bytes).assumingMemoryBound(to: Int32.self)
            for level in levels {
                let count = Int(level) * (empty.m + 1)
                upper.append(count == 0 ? [] : Array(UnsafeBufferPointer(start: cursor, count: count)))
                cursor += count
            }
            state.graph = HNSWGraph(
                parameters: parameters,
                levels: levels,
                level0: buffer,
                upper: upper,
                entryPoint: entry,
                maxLevel: maxLevel,
                randomState: randomState
            )
        }
        state.slotCount = n
        var liveCount = 0
        state.slotByPassage.reserveCapacity(manifest.liveCount)
        for slot in 0..<n where state.live[slot] {
            liveCount += 1
            state.slotByPassage[state.passageIDs[slot]] = Int32(slot)
            state.slotsByDocument[state.documentIDs[slot], default: []].append(Int32(slot))
        }
        guard liveCount == manifest.liveCount else {
            throw .corruptIndex(
                "the index in \(directory) has \(liveCount) live passages where \(manifest.liveCount) were saved"
            )
        }
        state.liveCount = liveCount
        return VectorIndex(state: state, savedMetadata: manifest.metadata ?? [:])
    }
}
