import QuarryCore
import QuarryVector
import Testing

/// Random documents, readers, users and groups; thousands of queries through every index kind,
/// with reader changes, removals, upserts and membership changes in between. Every query is
/// checked against a brute-force reference over the reference's current state.
struct VectorIndexPropertyTests {
    static let kinds: [(String, VectorIndexConfiguration.Kind)] = [
        ("flat", .flat),
        ("int8", .int8(rerank: 40)),
        ("hnsw", .hnsw(.init(m: 8, efConstruction: 64, efSearch: 48, seed: 7))),
    ]

    @Test(arguments: 0..<3)
    func searchesNeverLeakAndMatchBruteForce(kindIndex: Int) throws {
        let (name, kind) = Self.kinds[kindIndex]
        var random = SeededGenerator(seed: 0xACE0 + UInt64(kindIndex))
        let dimension = 32
        let groups = (0..<6).map { "g\($0)" }
        let users = (0..<10).map { "u\($0)" }
        var membership: [String: Set<String>] = [:]
        for user in users { membership[user] = Set(groups.filter { _ in Int.random(in: 0..<3, using: &random) == 0 }) }

        func randomReaders() -> [String] {
            var readers: [String] = []
            if Int.random(in: 0..<10, using: &random) == 0 { readers.append("everyone") }
            for group in groups where Int.random(in: 0..<4, using: &random) == 0 { readers.append("group:\(group)") }
            for user in users where Int.random(in: 0..<12, using: &random) == 0 { readers.append("user:\(user)") }
            return readers  // sometimes empty: admins only
        }

        let index = try VectorIndex(dimension: dimension, model: "test", configuration: .init(kind: kind))
        var reference = ReferenceCorpus()
        var nextPassage: Int64 = 1
        var vectors = clusteredVectors(count: 900, dimension: dimension, clusters: 12, noise: 0.5, using: &random)
        func newRecords(document: Int64, readers: [String], count: Int) -> [VectorRecord] {
            (0..<count).map { _ in
                defer { nextPassage += 1 }
                let vector = vectors.popLast() ?? random.unitVector(dimension: dimension)
                return VectorRecord(passageID: nextPassage, documentID: document, readers: readers, vector: vector)
            }
        }
        for document in Int64(1)...120 {
            let records = newRecords(
                document: document,
                readers: randomReaders(),
                count: Int.random(in: 1...8, using: &random)
            )
            try index.upsert(records)
            for record in records { reference.upsert(record) }
        }

        var recallSum = 0.0
        var recallCount = 0
        var leaks = 0
        var nextDocument: Int64 = 121
        let queries = 1_000
        for queryNumber in 0..<queries {
            if queryNumber % 15 == 14 {
                let documents = Array(Set(reference.records.values.map(\.documentID))).sorted()
                switch Int.random(in: 0..<6, using: &random) {
                case 0:  // ACL change
                    let document = documents.randomElement(using: &random)!
                    let readers = randomReaders()
                    index.setReaders(readers, documentID: document)
                    reference.readers[document] = Set(readers)
                case 1:  // document deleted
                    let document = documents.randomElement(using: &random)!
                    index.remove(documentID: document)
                    reference.removeDocument(document)
                case 2:  // passages removed
                    let ids = Array(reference.records.keys.shuffled(using: &random).prefix(3))
                    index.remove(passageIDs: ids)
                    for id in ids { reference.records[id] = nil }
                case 3:  // new document
                    let records = newRecords(
                        document: nextDocument,
                        readers: randomReaders(),
                        count: Int.random(in: 1...6, using: &random)
                    )
                    nextDocument += 1
                    try index.upsert(records)
                    for record in records { reference.upsert(record) }
                case 4:  // passage re-embedded in place (same id, new vector)
                    if let id = reference.records.keys.sorted().randomElement(using: &random),
                        var record = reference.records[id]
                    {
                        record.vector = random.unitVector(dimension: dimension)
                        record.readers = Array(reference.readers[record.documentID] ?? [])
                        try index.upsert([record])
                        reference.upsert(record)
                    }
                default:  // membership change: the next scope differs
                    let user = users.randomElement(using: &random)!
                    let group = groups.randomElement(using: &random)!
                    if membership[user]!.contains(group) {
                        membership[user]!.remove(group)
                    } else {
                        membership[user]!.insert(group)
                    }
                }
            }
            let isAdmin = Int.random(in: 0..<25, using: &random) == 0
            let user = users.randomElement(using: &random)!
            let scope = AccessScope(userName: user, groups: membership[user]!, isAdmin: isAdmin)
            let k = Int.random(in: 0...15, using: &random)
            let query =
                Bool.random(using: &random)
                ? random.unitVector(dimension: dimension)
                : normalised(
                    reference.records.values.randomElement(using: &random)!.vector.map {
                        $0 + 0.3 * random.normal()
                    }
                )
            let hits = try index.search(query, k: k, scope: scope)
            let expected = reference.ranked(query, scope: scope)
            for hit in hits {
                guard let record = reference.records[hit.passageID], reference.mayRead(record, scope: scope),
                    record.documentID == hit.documentID
                else {
                    leaks += 1
                    continue
                }
                #expect(abs(Double(hit.score) - dot(record.vector, query)) < 1e-4, "\(name): score of a hit is exact")
            }
            let top = Array(expected.prefix(k))
            if name == "flat" {
                #expect(hits.count == top.count, "\(name): query \(queryNumber) returns min(k, allowed)")
                for (hit, want) in zip(hits, top) {
                    #expect(abs(Double(hit.score) - want.score) < 1e-4, "\(name): query \(queryNumber) ranks exactly")
                }
            } else if k > 0 {
                recallSum += recall(hits, top)
                recallCount += 1
            }
            #expect(Set(hits.map(\.passageID)).count == hits.count, "\(name): no duplicate hits")
        }
        #expect(leaks == 0, "\(name): \(leaks) hits outside the allowed set")
        if recallCount > 0 {
            let mean = recallSum / Double(recallCount)
            #expect(mean >= (name == "int8" ? 0.99 : 0.95), "\(name): mean recall@k \(mean)")
        }
        #expect(index.count == reference.records.count)
    }

    /// A reader change and a changed scope are honoured by the very next query, with the cache warm.
    @Test(arguments: 0..<3)
    func changesAreHonouredByTheNextQuery(kindIndex: Int) throws {
        let kind = Self.kinds[kindIndex].1
        var random = SeededGenerator(seed: 42)
        let index = try VectorIndex(dimension: 16, model: "test", configuration: .init(kind: kind))
        let records = (0..<200).map { i in
            VectorRecord(
                passageID: Int64(i),
                documentID: Int64(i / 10),
                readers: i < 100 ? ["group:hr"] : ["everyone"],
                vector: random.unitVector(dimension: 16)
            )
        }
        try index.upsert(records)
        let query = records[5].vector
        let carol = AccessScope(userName: "carol", groups: [], isAdmin: false)
        let bob = AccessScope(userName: "bob", groups: ["hr"], isAdmin: false)
        #expect(try index.search(query, k: 200, scope: carol).allSatisfy { $0.documentID >= 10 })
        #expect(try index.search(query, k: 1, scope: bob).first?.passageID == 5)
        // Document 0 (passages 0…9) opened to carol: the next query sees it.
        index.setReaders(["user:carol"], documentID: 0)
        #expect(try index.search(query, k: 1, scope: carol).first?.passageID == 5)
        #expect(try index.search(query, k: 1, scope: bob).first?.passageID != 5)
        // …and closed again.
        index.setReaders([], documentID: 0)
        #expect(try index.search(query, k: 200, scope: carol).allSatisfy { $0.documentID >= 10 })
        #expect(try index.search(query, k: 200, scope: bob).allSatisfy { $0.documentID >= 1 })
        // bob leaves hr: his next scope reads only what everyone reads.
        let bobLater = AccessScope(userName: "bob", groups: [], isAdmin: false)
        #expect(try index.search(query, k: 200, scope: bobLater).allSatisfy { $0.documentID >= 10 })
        // An admin reads everything, readerless documents included.
        let admin = AccessScope(userName: "admin", groups: [], isAdmin: true)
        #expect(try index.search(query, k: 1, scope: admin).first?.passageID == 5)
        #expect(try index.search(query, k: 500, scope: admin).count == 200)
        // Removal: the next query no longer returns the passage.
        index.remove(passageIDs: [5])
        #expect(try index.search(query, k: 500, scope: admin).allSatisfy { $0.passageID != 5 })
    }
}
