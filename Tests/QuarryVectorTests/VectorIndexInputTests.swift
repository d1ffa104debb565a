import QuarryCore
import QuarryVector
import Testing

/// Bad input gives errors that say what was wrong; edge cases give defined results.
struct VectorIndexInputTests {
    let everyone = AccessScope(userName: "u", groups: [], isAdmin: false)

    func smallIndex(_ kind: VectorIndexConfiguration.Kind = .flat) throws -> VectorIndex {
        let index = try VectorIndex(dimension: 4, model: "m", configuration: .init(kind: kind))
        try index.upsert([
            VectorRecord(passageID: 1, documentID: 1, readers: ["everyone"], vector: [1, 0, 0, 0]),
            VectorRecord(passageID: 2, documentID: 1, readers: ["everyone"], vector: [0, 1, 0, 0]),
            VectorRecord(passageID: 3, documentID: 2, readers: ["group:hr"], vector: [0, 0, 1, 0]),
        ])
        return index
    }

    @Test func wrongDimensionIsRejected() throws {
        let index = try smallIndex()
        let error = #expect(throws: VectorIndexError.self) {
            try index.upsert([VectorRecord(passageID: 9, documentID: 9, readers: [], vector: [1, 2, 3])])
        }
        #expect(error?.code == .wrongDimension)
        #expect(
            error?.description == "the vector of passage 9 has 3 components but the index holds 4-dimensional vectors"
        )
        let queryError = #expect(throws: VectorIndexError.self) { try index.search([1], k: 3, scope: everyone) }
        #expect(queryError?.description == "the query has 1 components but the index holds 4-dimensional vectors")
        #expect(index.count == 3)
    }

    @Test(arguments: [Float.nan, .infinity, -.infinity])
    func nonFiniteComponentsAreRejected(value: Float) throws {
        let index = try smallIndex()
        let batch = [
            VectorRecord(passageID: 8, documentID: 8, readers: [], vector: [1, 0, 0, 0]),
            VectorRecord(passageID: 9, documentID: 9, readers: [], vector: [0, 0, value, 0]),
        ]
        let error = #expect(throws: VectorIndexError.self) { try index.upsert(batch) }
        #expect(error?.code == .nonFiniteComponent)
        #expect(error?.description.contains("passage 9 has a non-finite component at index 2") == true)
        #expect(index.count == 3, "a rejected batch changes nothing")
        #expect(!index.contains(passageID: 8))
        let queryError = #expect(throws: VectorIndexError.self) {
            try index.search([value, 0, 0, 0], k: 1, scope: everyone)
        }
        #expect(queryError?.code == .nonFiniteComponent)
    }

    @Test(arguments: [
        VectorIndexConfiguration.Kind.flat, .int8(rerank: 2), .hnsw(.init(m: 4, efConstruction: 8, efSearch: 4)),
    ])
    func edgeCasesHaveDefinedResults(kind: VectorIndexConfiguration.Kind) throws {
        let empty = try VectorIndex(dimension: 4, model: "m", configuration: .init(kind: kind))
        #expect(try empty.search([1, 0, 0, 0], k: 5, scope: everyone).isEmpty)
        #expect(empty.count == 0)
        let index = try smallIndex(kind)
        #expect(try index.search([1, 0, 0, 0], k: 0, scope: everyone).isEmpty)
        let all = try index.search([1, 0.5, 0, 0], k: 100, scope: everyone)
        #expect(all.map(\.passageID) == [1, 2], "k above the count returns every allowed passage, best first")
        #expect(all.first?.score == 1)
        #expect(try index.search([1, 0.5, 0, 0], k: .max, scope: everyone, efSearch: .max, rerank: .max) == all)
        let hr = AccessScope(userName: "bob", groups: ["hr"], isAdmin: false)
        #expect(try index.search([0, 0, 1, 0], k: 100, scope: hr).map(\.passageID) == [3, 1, 2])
        let error = #expect(throws: VectorIndexError.self) { try index.search([1, 0, 0, 0], k: -1, scope: everyone) }
        #expect(error?.code == .invalidArgument)
        let nobody = AccessScope(userName: "x", groups: [], isAdmin: false)
        index.setReaders([], documentID: 1)
        #expect(try index.search([1, 0, 0, 0], k: 10, scope: nobody).isEmpty)
        #expect(index.plan(k: 10, scope: nobody).method == .empty)
    }

    @Test(arguments: [
        VectorIndexConfiguration.Kind.flat, .int8(rerank: 30), .hnsw(.init(m: 8, efConstruction: 40, efSearch: 40)),
    ])
    func batchesGiveTheSameResultsAsSingleQueries(kind: VectorIndexConfiguration.Kind) throws {
        var random = SeededGenerator(seed: 77)
        let index = try VectorIndex(dimension: 24, model: "m", configuration: .init(kind: kind))
        var records: [VectorRecord] = []
        for i in 0..<700 {
            let readers = i % 4 == 0 ? ["group:hr"] : ["user:ann"]
            records.append(
                VectorRecord(
                    passageID: Int64(i),
                    documentID: Int64(i),
                    readers: readers,
                    vector: random.unitVector(dimension: 24)
                )
            )
        }
        try index.upsert(records)
        let queries = (0..<70).map { _ in random.unitVector(dimension: 24) }
        for scope in [
            AccessScope(userName: "bob", groups: ["hr"], isAdmin: false),
            AccessScope(userName: "ann", groups: [], isAdmin: false),
            AccessScope(userName: "nobody", groups: [], isAdmin: false),
            AccessScope(userName: "admin", groups: [], isAdmin: true),
        ] {
            let batch = try index.search(batch: queries, k: 7, scope: scope)
            #expect(batch.count == queries.count)
            for (query, hits) in zip(queries, batch) {
                // The same passages in the same order; scores equal up to rounding (the batch kernel
                // sums four queries × four rows with another order of fused multiply-adds).
                let single = try index.search(query, k: 7, scope: scope)
                #expect(hits.map(\.passageID) == single.map(\.passageID))
                for (a, b) in zip(hits, single) { #expect(abs(a.score - b.score) < 1e-5) }
            }
        }
        let error = #expect(throws: VectorIndexError.self) {
            try index.search(batch: [queries[0], [1, 2]], k: 3, scope: everyone)
        }
        #expect(
            error?.description == "query 1 of the batch has 2 components but the index holds 24-dimensional vectors"
        )
        #expect(try index.search(batch: [], k: 3, scope: everyone).isEmpty)
        #expect(try index.search(batch: queries, k: 0, scope: everyone).allSatisfy(\.isEmpty))
    }

    @Test(arguments: [
        VectorIndexConfiguration.Kind.flat, .int8(rerank: 30), .hnsw(.init(m: 8, efConstruction: 40, efSearch: 40)),
    ])
    func storedVectorsComeBackOnlyForReadablePassages(kind: VectorIndexConfiguration.Kind) throws {
        let index = try smallIndex(kind)
        let all = index.vectors(
            passageIDs: [1, 2, 3, 99],
            scope: AccessScope(userName: "root", groups: [], isAdmin: true)
        )
        #expect(all == [1: [1, 0, 0, 0], 2: [0, 1, 0, 0], 3: [0, 0, 1, 0]])
        #expect(index.vectors(passageIDs: [1, 2, 3], scope: everyone) == [1: [1, 0, 0, 0], 2: [0, 1, 0, 0]])
        let hr = AccessScope(userName: "bob", groups: ["hr"], isAdmin: false)
        #expect(index.vectors(passageIDs: [3], scope: hr) == [3: [0, 0, 1, 0]])
        _ = index.setReaders(["group:finance"], documentID: 2)
        #expect(index.vectors(passageIDs: [3], scope: hr).isEmpty, "the very next call honours the change")
    }

    @Test func invalidConfigurationsAreRejected() {
        #expect(throws: VectorIndexError.invalidArgument("the dimension must be between 1 and 65536, not 0")) {
            try VectorIndex(dimension: 0, model: "m")
        }
        #expect(throws: VectorIndexError.invalidArgument("the model name must not be empty")) {
            try VectorIndex(dimension: 4, model: "")
        }
        #expect(throws: VectorIndexError.self) {
            try VectorIndex(dimension: 4, model: "m", configuration: .init(kind: .hnsw(.init(m: 1))))
        }
        #expect(throws: VectorIndexError.self) {
            try VectorIndex(dimension: 4, model: "m", configuration: .init(kind: .int8(rerank: 0)))
        }
    }

    @Test func upsertReplacesAndReadersArePerDocument() throws {
        let index = try smallIndex()
        try index.upsert([VectorRecord(passageID: 1, documentID: 1, readers: ["group:hr"], vector: [0, 0, 0, 1])])
        #expect(index.count == 3)
        #expect(index.tombstoneCount == 1)
        // The new readers of document 1 apply to its other passage too.
        #expect(try index.search([0, 1, 0, 0], k: 10, scope: everyone).isEmpty)
        let hr = AccessScope(userName: "bob", groups: ["hr"], isAdmin: false)
        #expect(try index.search([0, 0, 0, 1], k: 1, scope: hr).first?.passageID == 1)
        #expect(index.passageIDs(documentID: 1).sorted() == [1, 2])
        #expect(index.remove(documentID: 1) == 2)
        #expect(index.remove(documentID: 1) == 0)
        #expect(index.count == 1)
    }
}
