import Foundation
import QuarryCore
import QuarryVector
import Testing

/// Save, load (memory-mapped, checksummed), atomic replacement and corruption detection.
struct VectorIndexPersistenceTests {
    static let kinds: [VectorIndexConfiguration.Kind] = [
        .flat, .int8(rerank: 20), .hnsw(.init(m: 8, efConstruction: 40, efSearch: 32, seed: 11)),
    ]

    func makeIndex(_ kind: VectorIndexConfiguration.Kind) throws -> (VectorIndex, [VectorRecord]) {
        var random = SeededGenerator(seed: 2024)
        var records: [VectorRecord] = []
        for i in 0..<500 {
            let readers: [String] = (i / 5) % 3 == 0 ? ["group:hr"] : ["everyone", "user:ann"]
            let vector = random.unitVector(dimension: 20)
            records.append(
                VectorRecord(passageID: Int64(1_000 + i), documentID: Int64(i / 5), readers: readers, vector: vector)
            )
        }
        let index = try VectorIndex(dimension: 20, model: "mini", configuration: .init(kind: kind))
        try index.upsert(records)
        index.remove(passageIDs: [1_001, 1_002])
        return (index, records)
    }

    @Test(arguments: 0..<3)
    func roundTripGivesTheSameResults(kindIndex: Int) throws {
        let (index, records) = try makeIndex(Self.kinds[kindIndex])
        let directory = ScratchDirectory()
        try index.save(to: directory.path, metadata: ["store.sequence": "41"])
        let loaded = try VectorIndex.load(from: directory.path, model: "mini", dimension: 20)
        #expect(loaded.savedMetadata == ["store.sequence": "41"])
        #expect(loaded.count == index.count)
        #expect(loaded.tombstoneCount == index.tombstoneCount)
        #expect(loaded.configuration == index.configuration)
        let scopes = [
            AccessScope(userName: "bob", groups: ["hr"], isAdmin: false),
            AccessScope(userName: "ann", groups: [], isAdmin: false),
            AccessScope(userName: "admin", groups: [], isAdmin: true),
        ]
        for record in records.prefix(40) {
            for scope in scopes {
                #expect(
                    try loaded.search(record.vector, k: 7, scope: scope)
                        == index.search(record.vector, k: 7, scope: scope)
                )
            }
        }
        // The loaded index keeps working: inserts beyond the mapped files, reader changes.
        var random = SeededGenerator(seed: 1)
        let extra = VectorRecord(
            passageID: 5,
            documentID: 999,
            readers: ["user:zed"],
            vector: random.unitVector(dimension: 20)
        )
        try loaded.upsert([extra])
        let zed = AccessScope(userName: "zed", groups: [], isAdmin: false)
        #expect(try loaded.search(extra.vector, k: 1, scope: zed).map(\.passageID) == [5])
        // Passage 1000 (document 0) is for group:hr; opened to zed, it is the next query's best hit.
        #expect(try loaded.search(records[0].vector, k: 1, scope: zed).map(\.passageID) != [1_000])
        #expect(loaded.setReaders(["user:zed"], documentID: 0) == 3)
        #expect(try loaded.search(records[0].vector, k: 1, scope: zed).map(\.passageID) == [1_000])
        // Saving over the same directory replaces it and leaves only the new files.
        try loaded.save(to: directory.path)
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        #expect(names.count == (kindIndex == 0 ? 3 : 4), "index.json, slots, vectors (+ codes or graph): \(names)")
        let again = try VectorIndex.load(from: directory.path)
        #expect(again.savedMetadata.isEmpty)
        #expect(again.count == index.count + 1)
        #expect(try again.search(extra.vector, k: 10, scope: zed) == loaded.search(extra.vector, k: 10, scope: zed))
    }

    @Test(arguments: 0..<3)
    func corruptionIsDetected(kindIndex: Int) throws {
        let (index, _) = try makeIndex(Self.kinds[kindIndex])
        let directory = ScratchDirectory()
        try index.save(to: directory.path)
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).filter { $0 != "index.json" }
        for name in names {
            let path = directory.path + "/" + name
            let original = try Data(contentsOf: URL(fileURLWithPath: path))
            var flipped = original
            flipped[flipped.count / 2] ^= 0x10
            try flipped.write(to: URL(fileURLWithPath: path))
            let error = #expect(throws: VectorIndexError.self) { try VectorIndex.load(from: directory.path) }
            #expect(error?.code == .corruptIndex, "a flipped bit in \(name)")
            #expect(error?.description.contains("fails its checksum") == true)
            #expect(error?.requiresRebuild == true)
            try original.dropLast(3).write(to: URL(fileURLWithPath: path))
            let truncated = #expect(throws: VectorIndexError.self) { try VectorIndex.load(from: directory.path) }
            #expect(truncated?.code == .corruptIndex, "a truncated \(name)")
            try original.write(to: URL(fileURLWithPath: path))
        }
        #expect(try VectorIndex.load(from: directory.path).count == index.count)
        let incompatible = #expect(throws: VectorIndexError.self) {
            try VectorIndex.load(from: directory.path, model: "other")
        }
        #expect(incompatible?.code == .incompatibleIndex)
        try Data("{".utf8).write(to: URL(fileURLWithPath: directory.path + "/index.json"))
        #expect(throws: VectorIndexError.self) { try VectorIndex.load(from: directory.path) }
        let missing = #expect(throws: VectorIndexError.self) { try VectorIndex.load(from: directory.path + "/none") }
        #expect(missing?.code == .corruptIndex)
    }
}
