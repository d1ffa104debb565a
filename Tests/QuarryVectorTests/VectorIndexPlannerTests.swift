import QuarryCore
import QuarryVector
import Testing

/// HNSW recall unfiltered, and the planner's exact scan when a scope may read few passages.
struct VectorIndexPlannerTests {
    static let parameters = VectorIndexConfiguration.HNSWParameters(m: 12, efConstruction: 100, efSearch: 64, seed: 3)

    /// 4,000 clustered vectors: readers chosen so that `group:half` reads 50%, `group:tenth` 10%,
    /// `group:one` 1% and `group:tiny` 0.1% (one reader set per document, one passage each).
    static func makeIndex() throws -> (VectorIndex, [VectorRecord]) {
        var random = SeededGenerator(seed: 99)
        let vectors = clusteredVectors(count: 4_000, dimension: 32, clusters: 20, noise: 0.35, using: &random)
        let records = vectors.enumerated().map { i, vector in
            var readers: [String] = []
            if i % 2 == 0 { readers.append("group:half") }
            if i % 10 == 1 { readers.append("group:tenth") }
            if i % 100 == 3 { readers.append("group:one") }
            if i % 1_000 == 7 { readers.append("group:tiny") }
            return VectorRecord(passageID: Int64(i), documentID: Int64(i), readers: readers, vector: vector)
        }
        let index = try VectorIndex(dimension: 32, model: "test", configuration: .init(kind: .hnsw(parameters)))
        try index.upsert(records)
        return (index, records)
    }

    @Test func plannerScansExactlyWhenFewAreAllowedAndRecallHolds() throws {
        let (index, records) = try Self.makeIndex()
        var reference = ReferenceCorpus()
        for record in records { reference.upsert(record) }
        var random = SeededGenerator(seed: 5)
        let queries = (0..<40).map { _ in
            normalised(records.randomElement(using: &random)!.vector.map { $0 + 0.2 * random.normal() })
        }
        let admin = AccessScope(userName: "admin", groups: [], isAdmin: true)
        #expect(index.plan(k: 10, scope: admin).method == .graph(ef: 64))
        for (group, minimumRecall) in [("half", 0.95), ("tenth", 0.99), ("one", 1.0), ("tiny", 1.0)] {
            let scope = AccessScope(userName: "u", groups: [group], isAdmin: false)
            let plan = index.plan(k: 10, scope: scope)
            if group == "one" || group == "tiny" {
                #expect(plan.method == .exactScan, "\(group): the planner scans the allowed set")
            }
            var total = 0.0
            for query in queries {
                let hits = try index.search(query, k: 10, scope: scope)
                let expected = Array(reference.ranked(query, scope: scope).prefix(10))
                #expect(hits.allSatisfy { reference.mayRead(reference.records[$0.passageID]!, scope: scope) })
                total += recall(hits, expected)
            }
            let mean = total / Double(queries.count)
            #expect(mean >= minimumRecall, "\(group) (\(plan.allowedFraction)): recall@10 \(mean)")
        }
        var total = 0.0
        for query in queries {
            total += recall(
                try index.search(query, k: 10, scope: admin),
                Array(reference.ranked(query, scope: admin).prefix(10))
            )
        }
        #expect(total / Double(queries.count) >= 0.95, "unfiltered HNSW recall@10")
    }

    @Test func compactionDropsTombstonesAndKeepsResults() throws {
        let (index, records) = try Self.makeIndex()
        var reference = ReferenceCorpus()
        for record in records { reference.upsert(record) }
        let removed = records.filter { $0.passageID % 3 == 0 }.map(\.passageID)
        #expect(index.remove(passageIDs: removed) == removed.count)
        for id in removed { reference.records[id] = nil }
        #expect(index.tombstoneCount == removed.count)
        #expect(index.compactIfNeeded())
        #expect(index.tombstoneCount == 0)
        #expect(index.count == records.count - removed.count)
        #expect(!index.compactIfNeeded())
        let scope = AccessScope(userName: "u", groups: ["tenth"], isAdmin: false)
        var total = 0.0
        for record in records.prefix(30) {
            let hits = try index.search(record.vector, k: 10, scope: scope)
            #expect(hits.allSatisfy { $0.passageID % 3 != 0 && $0.passageID % 10 == 1 })
            total += recall(hits, Array(reference.ranked(record.vector, scope: scope).prefix(10)))
        }
        #expect(total / 30 >= 0.99)
    }

    @Test func concurrentSearchesAndMutationsStayConsistent() async throws {
        let (index, records) = try Self.makeIndex()
        let scope = AccessScope(userName: "u", groups: ["one"], isAdmin: false)
        try await withThrowingTaskGroup(of: Int.self) { group in
            for worker in 0..<4 {
                group.addTask {
                    var leaks = 0
                    for i in 0..<60 {
                        let hits = try index.search(
                            records[(worker * 60 + i) % records.count].vector,
                            k: 10,
                            scope: scope
                        )
                        leaks += hits.filter { $0.passageID % 100 != 3 }.count
                    }
                    return leaks
                }
            }
            group.addTask {
                for i in 0..<60 {
                    index.setReaders(["group:half"], documentID: Int64(i * 2 + 1_000))
                    index.remove(passageIDs: [Int64(i * 2 + 2_000)])
                }
                return 0
            }
            var leaks = 0
            for try await count in group { leaks += count }
            #expect(leaks == 0)
        }
    }
}
