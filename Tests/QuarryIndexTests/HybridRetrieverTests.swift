import Foundation
import Logging
import QuarryCore
import QuarryEmbed
import QuarryIndex
import QuarryStore
import QuarryTesting
import Testing

/// Vector search fused with BM25 over the sample handbook, with the real model: it finds passages
/// that say the same thing in other words, and never hands anyone a passage they may not read, even
/// when the vector index itself is wrong.
struct HybridRetrieverTests {
    let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
    let alice = AccessScope(userName: "alice", groups: ["engineering"], isAdmin: false)
    let bob = AccessScope(userName: "bob", groups: ["hr"], isAdmin: false)
    let carol = AccessScope(userName: "carol", groups: [], isAdmin: false)

    static let questions = [
        "What is the L4 salary band for engineers?",
        "What should I do when production goes down at night?",
        "How many days of annual leave do I get?",
        "Who decides on a disciplinary case?",
        "Where is the leadership offsite this year?",
        "How do I claim back a taxi fare?",
        "hiring plan headcount",
        "???",
        "",
    ]

    private func hybrid(_ demo: DemoInstallation, vectors: any PassageVectorSearch) throws -> HybridRetriever {
        HybridRetriever(store: demo.store, embedder: try TestModel.embedder(), vectors: vectors, logger: logger)
    }

    private func storeIndex(_ demo: DemoInstallation) throws -> StoreVectorIndex {
        try StoreVectorIndex(store: demo.store, model: MiniLMEmbedder.modelName, dimension: 384, logger: logger)
    }

    @Test func aQuestionInOtherWordsFindsThePassageThatKeywordsMiss() async throws {
        let demo = try await DemoInstallation.make(embedder: try TestModel.memoized())
        let retriever = try hybrid(demo, vectors: try storeIndex(demo))
        // The runbook says "on-call allowance of £300 (UK) or $400 (US) per week": no "extra" and no "pay".
        let question = "How much extra pay do I get for being on call?"
        let keyword = try await KeywordRetriever(store: demo.store).retrieve(question, limit: 5, scope: alice)
        let fused = try await retriever.retrieve(question, limit: 5, scope: alice)
        #expect(!keyword.contains { $0.documentURI.hasSuffix("on-call-runbook.md") })
        #expect(fused.first?.documentURI.hasSuffix("on-call-runbook.md") == true)
        #expect(fused.first?.passage.text.contains("on-call allowance") == true)
        #expect(fused.count == 5)
        #expect(zip(fused, fused.dropFirst()).allSatisfy { $0.score >= $1.score }, "best first")
    }

    @Test func noUserIsEverGivenAPassageTheyMayNotRead() async throws {
        let demo = try await DemoInstallation.make(embedder: try TestModel.memoized())
        let retriever = try hybrid(demo, vectors: try storeIndex(demo))
        let policies = Dictionary(uniqueKeysWithValues: try await demo.store.documents().map { ($0.id, $0.policy) })
        var returned = 0
        for scope in [alice, bob, carol] {
            for question in Self.questions {
                for limit in [1, 8, 50] {
                    let passages = try await retriever.retrieve(question, limit: limit, scope: scope)
                    returned += passages.count
                    #expect(passages.count <= limit)
                    for passage in passages {
                        let policy = try #require(policies[passage.documentID])
                        #expect(scope.canRead(policy), "\(scope.userName) got \(passage.documentURI) for \(question)")
                    }
                }
            }
        }
        #expect(returned > 100, "the questions found passages at all")
    }

    /// A vector index that returns every passage whoever asks: a fault no correct index produces.
    struct LeakingIndex: PassageVectorSearch {
        let model = MiniLMEmbedder.modelName
        let passageIDs: [Int64]
        func nearest(to vector: [Float], limit: Int, scope: AccessScope) async throws -> [PassageVectorHit] {
            passageIDs.prefix(limit).map { PassageVectorHit(passageID: $0, score: 1) }
        }
        func vectors(of passageIDs: [Int64], scope: AccessScope) async throws -> [Int64: [Float]] { [:] }
    }

    @Test func diversityKeepsNearCopiesFromCrowdingOutOtherPassages() async throws {
        let demo = try await DemoInstallation.make(copyCorpus: true, embedder: try TestModel.memoized())
        // The same paragraph in three more documents (a policy pasted into several wikis).
        let copy = "# On-call pay\n\nThe on-call allowance is £300 (UK) or $400 (US) per week of on-call duty.\n"
        for number in 1...3 {
            try copy.write(
                toFile: demo.corpusPath + "/company/on-call-copy-\(number).md",
                atomically: true,
                encoding: .utf8
            )
        }
        _ = try await demo.sync()
        let index = try storeIndex(demo)
        let question = "How much is the on-call allowance per week?"
        let plain = try await hybrid(demo, vectors: index).retrieve(question, limit: 4, scope: alice)
        var configuration = HybridRetriever.Configuration()
        configuration.diversity = 0.5
        let diverse = try await HybridRetriever(
            store: demo.store,
            embedder: try TestModel.embedder(),
            vectors: index,
            configuration: configuration,
            logger: logger
        ).retrieve(question, limit: 4, scope: alice)
        func copies(_ passages: [RetrievedPassage]) -> Int {
            passages.filter { $0.documentURI.contains("on-call-copy-") }.count
        }
        #expect(copies(plain) >= 3, "without diversity the copies fill the list: \(plain.map(\.documentURI))")
        #expect(copies(diverse) <= 1, "with diversity one copy stands for all: \(diverse.map(\.documentURI))")
        #expect(diverse.count == 4)
        #expect(diverse.first?.passageID == plain.first?.passageID, "the best passage stays first")
        #expect(Set(diverse.map(\.documentID)).count >= 3, "\(diverse.map(\.documentURI))")
        // Diversity only reorders what the asker may read: carol gets nothing from HR either way.
        let forCarol = try await HybridRetriever(
            store: demo.store,
            embedder: try TestModel.embedder(),
            vectors: index,
            configuration: configuration,
            logger: logger
        ).retrieve("salary band", limit: 10, scope: carol)
        #expect(forCarol.allSatisfy { !$0.documentURI.contains("/hr/") })
    }

    @Test func evenABrokenVectorIndexCannotLeakAPassage() async throws {
        let demo = try await DemoInstallation.make(embedder: try TestModel.memoized())
        let documents = try await demo.store.documents()
        let restricted = documents.filter { !carol.canRead($0.policy) }
        #expect(!restricted.isEmpty)
        let forbidden = try await demo.store.passageVectors(
            documentIDs: restricted.map(\.id),
            model: MiniLMEmbedder.modelName
        ).map(\.passageID)
        let retriever = try hybrid(demo, vectors: LeakingIndex(passageIDs: forbidden))
        for question in Self.questions {
            let passages = try await retriever.retrieve(question, limit: 50, scope: carol)
            #expect(!passages.contains { forbidden.contains($0.passageID) }, "\(question)")
        }
        // bob may read the HR documents among them: the same broken index serves him those.
        let forBob = try await retriever.retrieve("salary", limit: 50, scope: bob)
        #expect(forBob.contains { forbidden.contains($0.passageID) })
    }

    @Test func aModelThatIsDownLeavesKeywordSearchAnswering() async throws {
        let demo = try await DemoInstallation.make(embedder: try TestModel.memoized())
        let down = try RemoteEmbedder(
            configuration: RemoteEmbedderConfiguration(
                url: "http://127.0.0.1:9/v1",
                model: MiniLMEmbedder.modelName,
                dimension: 384,
                timeout: .seconds(2)
            ),
            logger: logger
        )
        let retriever = HybridRetriever(
            store: demo.store,
            embedder: down,
            vectors: try storeIndex(demo),
            logger: logger
        )
        let question = "How many days of annual leave do I get?"
        let fused = try await retriever.retrieve(question, limit: 5, scope: carol)
        let keyword = try await KeywordRetriever(store: demo.store).retrieve(question, limit: 5, scope: carol)
        #expect(!fused.isEmpty)
        #expect(fused.map(\.passageID) == keyword.map(\.passageID))
    }
}
