import Foundation
import Logging
import QuarryCore
import QuarryEmbed
import QuarryIndex
import QuarryStore
import QuarryTesting
import Testing

/// The hybrid retriever (BM25 + the vector index, real model, real store on disk) against random
/// folders with random readers, random users in random groups and random questions aimed at every
/// folder: no passage outside the asker's readers ever comes back, and a changed membership or a
/// changed folder ACL is honoured by the very next question.
struct HybridRetrieverPropertyTests {
    let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

    static let words = """
        budget travel laptop office parking holiday payroll contract vendor invoice security badge \
        printer meeting training pension insurance relocation bonus review project deadline server \
        backup incident policy approval expense hotel flight visa garden kitchen coffee desk chair
        """.split(separator: " ").map(String.init)
    static let groups = ["alpha", "beta", "gamma", "delta"]
    static let users = ["u1", "u2", "u3", "u4", "u5"]

    @Test func randomFoldersUsersAndQuestionsNeverLeak() async throws {
        var random = SeededRandom(seed: 0x51A7E)
        let demo = try await DemoInstallation.make(copyCorpus: true, embedder: try TestModel.memoized())
        var memberships: [String: Set<String>] = [:]
        for user in Self.users {
            let groups = Set(Self.groups.filter { _ in Bool.random(using: &random) })
            _ = try await demo.store.createUser(name: user)
            for group in groups {
                if try await demo.store.groups().contains(where: { $0.name == group }) == false {
                    _ = try await demo.store.createGroup(name: group)
                }
                try await demo.store.addMember(userName: user, toGroup: group)
            }
            memberships[user] = groups
        }
        for group in Self.groups {
            if try await demo.store.groups().contains(where: { $0.name == group }) == false {
                _ = try await demo.store.createGroup(name: group)
            }
        }

        // Ten folders, each with random readers and a code word of its own in every file.
        func randomReaders() -> [String] {
            var readers = Self.groups.filter { _ in Int.random(in: 0..<3, using: &random) == 0 }.map { "group:\($0)" }
            readers += Self.users.filter { _ in Int.random(in: 0..<5, using: &random) == 0 }.map { "user:\($0)" }
            if Int.random(in: 0..<6, using: &random) == 0 { readers.append("everyone") }
            return readers
        }
        var folderReaders: [String: [String]] = [:]
        for folder in 0..<10 {
            let name = "random-\(folder)"
            let path = demo.corpusPath + "/" + name
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
            folderReaders[name] = randomReaders()
            try Self.writeACL(folderReaders[name]!, to: path)
            for file in 0..<4 {
                var text = "# Note \(folder)-\(file)\n\n"
                for _ in 0..<3 {
                    let sentence = (0..<8).map { _ in Self.words.randomElement(using: &random)! }
                    text += "The codeword\(folder) " + sentence.joined(separator: " ") + ".\n\n"
                }
                try text.write(toFile: "\(path)/note-\(file).md", atomically: true, encoding: .utf8)
            }
        }
        _ = try await demo.sync()
        let index = try StoreVectorIndex(
            store: demo.store,
            model: MiniLMEmbedder.modelName,
            dimension: 384,
            logger: logger
        )
        let retriever = HybridRetriever(
            store: demo.store,
            embedder: try TestModel.embedder(),
            vectors: index,
            logger: logger
        )

        // What the test believes each document's readers are (the folders it wrote; the handbook's own).
        func expectedReaders() async throws -> [Int64: Set<String>] {
            var readers: [Int64: Set<String>] = [:]
            for document in try await demo.store.documents() {
                let folder = String(document.externalID.split(separator: "/").first ?? "")
                if let written = folderReaders[folder] {
                    #expect(Set(document.policy.readers.map(\.key)) == Set(written), "\(document.externalID)")
                    readers[document.id] = Set(written)
                } else {
                    readers[document.id] = Set(document.policy.readers.map(\.key))
                }
            }
            return readers
        }
        func principals(_ user: String) -> Set<String> {
            Set(["everyone", "user:\(user)"] + (memberships[user] ?? []).map { "group:\($0)" })
        }

        var readers = try await expectedReaders()
        var retrievals = 0
        var returned = 0
        func askRandomly(_ count: Int) async throws {
            for _ in 0..<count {
                let user = Self.users.randomElement(using: &random)!
                let folder = Int.random(in: 0..<10, using: &random)
                var terms = (0..<Int.random(in: 1...3, using: &random)).map { _ in
                    Self.words.randomElement(using: &random)!
                }
                if Bool.random(using: &random) { terms.append("codeword\(folder)") }
                let limit = Int.random(in: 1...16, using: &random)
                let scope = try await demo.store.accessScope(forUserID: try await demo.user(user).id)
                let passages = try await retriever.retrieve(terms.joined(separator: " "), limit: limit, scope: scope)
                retrievals += 1
                returned += passages.count
                #expect(passages.count <= limit)
                let allowed = principals(user)
                for passage in passages {
                    let documentReaders = try #require(readers[passage.documentID])
                    #expect(!documentReaders.isDisjoint(with: allowed), "\(user) got \(passage.documentURI)")
                }
            }
        }
        try await askRandomly(1_000)

        // Changes, each checked by the very next question: a membership taken away, a folder closed.
        for round in 0..<6 {
            let user = Self.users[round % Self.users.count]
            if let group = memberships[user]?.first {
                try await demo.store.removeMember(userName: user, fromGroup: group)
                memberships[user]?.remove(group)
            } else {
                let group = Self.groups[round % Self.groups.count]
                try await demo.store.addMember(userName: user, toGroup: group)
                memberships[user, default: []].insert(group)
            }
            let folder = "random-\(round)"
            folderReaders[folder] = randomReaders()
            try Self.writeACL(folderReaders[folder]!, to: demo.corpusPath + "/" + folder)
            _ = try await demo.sync()
            readers = try await expectedReaders()
            // The very next question targets the folder whose readers just changed.
            let scope = try await demo.store.accessScope(forUserID: try await demo.user(user).id)
            let next = try await retriever.retrieve("codeword\(round) budget", limit: 16, scope: scope)
            let allowed = principals(user)
            for passage in next {
                #expect(
                    !(readers[passage.documentID] ?? []).isDisjoint(with: allowed),
                    "\(user) got \(passage.documentURI)"
                )
            }
            if !Set(folderReaders[folder]!).isDisjoint(with: allowed) {
                #expect(next.contains { $0.documentURI.contains("/\(folder)/") }, "a newly allowed folder is found")
            }
            try await askRandomly(100)
        }
        #expect(retrievals == 1_600)
        #expect(returned > 5_000, "the questions found passages at all: \(returned)")
    }

    static func writeACL(_ readers: [String], to folder: String) throws {
        let data = try JSONSerialization.data(withJSONObject: ["readers": readers])
        try data.write(to: URL(fileURLWithPath: folder + "/.quarry-acl.json"))
    }
}
