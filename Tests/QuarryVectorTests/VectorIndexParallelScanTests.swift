import QuarryCore
import QuarryVector
import Testing

/// Exact scans split over two threads find what one thread finds, for single queries and batches,
/// and never anything outside the scope.
struct VectorIndexParallelScanTests {
    @Test func twoThreadsGiveWhatOneThreadGives() throws {
        var random = SeededGenerator(seed: 2026)
        let dimension = 16
        // Above the 32,768 allowed rows from which a scan is split; every third passage is HR's.
        let index = try VectorIndex(dimension: dimension, model: "m")
        var records: [VectorRecord] = []
        for i in 0..<60_000 {
            records.append(
                VectorRecord(
                    passageID: Int64(i),
                    documentID: Int64(i / 10),
                    readers: (i / 10) % 3 == 0 ? ["group:hr"] : ["everyone"],
                    vector: random.unitVector(dimension: dimension)
                )
            )
        }
        try index.upsert(records)
        let hrDocuments = Set(records.filter { $0.readers == ["group:hr"] }.map(\.documentID))
        let queries = (0..<9).map { _ in random.unitVector(dimension: dimension) }
        let staff = AccessScope(userName: "carol", groups: [], isAdmin: false)
        let admin = AccessScope(userName: "root", groups: [], isAdmin: true)
        for scope in [staff, admin] {
            for query in queries {
                let one = try index.search(query, k: 25, scope: scope)
                let two = try index.search(query, k: 25, scope: scope, threads: 2)
                #expect(one.count == 25)
                #expect(two == one)
                if !scope.isAdmin { #expect(two.allSatisfy { !hrDocuments.contains($0.documentID) }) }
            }
            let batchOne = try index.search(batch: queries, k: 25, scope: scope)
            let batchTwo = try index.search(batch: queries, k: 25, scope: scope, threads: 2)
            #expect(batchTwo == batchOne)
            for (query, hits) in zip(queries, batchTwo) {
                let single = try index.search(query, k: 25, scope: scope)
                #expect(hits.map(\.passageID) == single.map(\.passageID))
            }
        }
        let error = #expect(throws: VectorIndexError.self) {
            try index.search(queries[0], k: 3, scope: admin, threads: 0)
        }
        #expect(error?.description.contains("threads must be at least 1, not 0") == true)
    }
}
