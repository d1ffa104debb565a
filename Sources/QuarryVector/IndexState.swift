#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Everything a ``VectorIndex`` holds, mutated only under its write lock.
///
/// Slots are append-only: an upsert tombstones the passage's old slot and appends a new one;
/// removal tombstones. ``compacted()`` copies the live slots into a fresh state.
struct IndexState: Sendable {
    let dimension: Int
    let model: String
    let configuration: VectorIndexConfiguration
    /// Floats per row (dimension rounded up to 16).
    let stride: Int
    /// Bytes per int8 row (dimension rounded up to 64).
    let codeStride: Int

    /// Slots in use, live or tombstoned.
    var slotCount = 0
    var vectors: AlignedBuffer
    var codes: AlignedBuffer?
    var scales: [Float] = []
    var passageIDs: [Int64] = []
    var documentIDs: [Int64] = []
    var classOf: [UInt32] = []
    var live: SlotBitset
    var liveCount = 0
    var slotByPassage: [Int64: Int32] = [:]
    var slotsByDocument: [Int64: [Int32]] = [:]
    var acl = ACLClassTable()
    var graph: HNSWGraph?

    init(dimension: Int, model: String, configuration: VectorIndexConfiguration) {
        self.dimension = dimension
        self.model = model
        self.configuration = configuration
        stride = (dimension + 15) / 16 * 16
        codeStride = (dimension + 63) / 64 * 64
        vectors = AlignedBuffer(byteCapacity: 64 * stride * 4)
        live = SlotBitset(slotCount: 0)
        switch configuration.kind {
        case .flat: break
        case .int8: codes = AlignedBuffer(byteCapacity: 64 * codeStride)
        case .hnsw(let parameters): graph = HNSWGraph(parameters: parameters)
        }
    }

    var rowBytes: Int { stride * 4 }
    var rows: VectorRows { VectorRows(base: UnsafeRawPointer(vectors.base), rowBytes: rowBytes, stride: stride) }
    var tombstoneCount: Int { slotCount - liveCount }

    // MARK: Validation

    static func validate(
        _ vector: [Float],
        dimension: Int,
        what: @autoclosure () -> String
    )
        throws(VectorIndexError)
    {
        guard vector.count == dimension else {
            throw .wrongDimension(expected: dimension, actual: vector.count, what: what())
        }
        for (index, value) in vector.enumerated() where !value.isFinite {
            throw .nonFiniteComponent(index: index, value: value, what: what())
        }
    }

    // MARK: Mutations

    /// Adds or replaces records; the records' readers become their documents' readers.
    mutating func upsert(_ records: [VectorRecord], visited: VisitedTable) {
        let needed = slotCount + records.count
        vectors.reserve(needed * rowBytes, keeping: slotCount * rowBytes)
        codes?.reserve(needed * codeStride, keeping: slotCount * codeStride)
        live.grow(to: needed)
        var readersByDocument: [Int64: UInt32] = [:]
        for record in records {
            let classID = acl.classID(for: record.readers)
            readersByDocument[record.documentID] = classID
            if let old = slotByPassage[record.passageID] { tombstone(old) }
            let slot = Int32(slotCount)
            let row = vectors.base + slotCount * rowBytes
            record.vector.withUnsafeBytes { source in
                row.copyMemory(from: source.baseAddress!, byteCount: source.count)
            }
            if let codes {
                let scale = record.vector.withUnsafeBufferPointer { vector in
                    SIMDKernels.quantize(vector, into: codes.base + slotCount * codeStride, stride: codeStride)
                }
                scales.append(scale)
            }
            passageIDs.append(record.passageID)
            documentIDs.append(record.documentID)
            classOf.append(classID)
            live[slotCount] = true
            liveCount += 1
            slotByPassage[record.passageID] = slot
            slotsByDocument[record.documentID, default: []].append(slot)
            slotCount += 1
            let current = rows
            graph?.insert(slot: slot, vectors: current, visited: visited)
        }
        for (document, classID) in readersByDocument {
            for slot in slotsByDocument[document] ?? [] { classOf[Int(slot)] = classID }
        }
    }

    private mutating func tombstone(_ slot: Int32) {
        let index = Int(slot)
        guard live[index] else { return }
        live[index] = false
        liveCount -= 1
        slotByPassage[passageIDs[index]] = nil
        let document = documentIDs[index]
        if var slots = slotsByDocument[document] {
            slots.removeAll { $0 == slot }
            slotsByDocument[document] = slots.isEmpty ? nil : slots
        }
    }

    /// Removes passages; returns how many were present.
    mutating func remove(passageIDs ids: [Int64]) -> Int {
        var removed = 0
        for id in ids {
            if let slot = slotByPassage[id] {
                tombstone(slot)
                removed += 1
            }
        }
        return removed
    }

    /// Removes every passage of a document; returns how many there were.
    mutating func remove(documentID: Int64) -> Int {
        let slots = slotsByDocument[documentID] ?? []
        for slot in slots { tombstone(slot) }
        return slots.count
    }

    /// Replaces a document's readers; returns how many passages it has.
    mutating func setReaders(_ readers: [String], documentID: Int64) -> Int {
        let slots = slotsByDocument[documentID] ?? []
        guard !slots.isEmpty else { return 0 }
        let classID = acl.classID(for: readers)
        for slot in slots { classOf[Int(slot)] = classID }
        return slots.count
    }

    /// The live records in slot order (compaction, tests).
    func liveRecords() -> [VectorRecord] {
        var records: [VectorRecord] = []
        records.reserveCapacity(liveCount)
        for slot in 0..<slotCount where live[slot] {
            let row = UnsafeRawPointer(vectors.base + slot * rowBytes).assumingMemoryBound(to: Float.self)
            records.append(
                VectorRecord(
                    passageID: passageIDs[slot],
                    documentID: documentIDs[slot],
                    readers: acl.classes[Int(classOf[slot])],
                    vector: Array(UnsafeBufferPointer(start: row, count: dimension))
                )
            )
        }
        return records
    }

    /// The same index without tombstones (for HNSW, a rebuilt graph).
    func compacted(visited: VisitedTable) -> IndexState {
        var fresh = IndexState(dimension: dimension, model: model, configuration: configuration)
        fresh.upsert(liveRecords(), visited: visited)
        return fresh
    }

    // MARK: Allowed sets

    /// The live slots whose readers share a key with `keys` (all live slots when `keys` is nil: admin).
    func allowedSlots(keys: [String]?) -> SlotBitset {
        guard let keys else { return live }
        let allowedClasses = acl.allowedClasses(for: keys)
        if !allowedClasses.contains(true) { return SlotBitset(slotCount: slotCount) }
        if !allowedClasses.contains(false) { return live }
        var bits = SlotBitset(slotCount: slotCount)
        allowedClasses.withUnsafeBufferPointer { allowed in
            classOf.withUnsafeBufferPointer { classes in
                for slot in 0..<slotCount where allowed[Int(classes[slot])] { bits[slot] = true }
            }
        }
        var words = bits.words
        for index in words.indices { words[index] &= live.words[index] }
        return SlotBitset(words: words, slotCount: slotCount)
    }
}
