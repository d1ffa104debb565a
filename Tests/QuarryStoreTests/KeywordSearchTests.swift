import Foundation
import QuarryCore
import QuarryStore
import QuarryTesting
import Testing

struct KeywordSearchTests {
    private func snapshot(_ id: String, policy: AccessPolicy, texts: [String]) -> DocumentSnapshot {
        var offset = 0
        let passages = texts.enumerated().map { index, text in
            defer { offset += text.unicodeScalars.count + 2 }
            return Passage(
                ordinal: index,
                text: text,
                headingPath: ["Section"],
                range: TextRange(start: offset, end: offset + text.unicodeScalars.count)
            )
        }
        return DocumentSnapshot(
            item: SourceItem(
                externalID: id,
                uri: "file:///\(id)",
                version: "1",
                contentType: .markdown,
                policy: policy
            ),
            title: id,
            contentType: .markdown,
            contentHash: id,
            passages: passages
        )
    }

    private func makeStore(_ directory: TemporaryDirectory) async throws -> (Store, Int64) {
        let store = try Store(directory: directory.path)
        let connector = try await store.saveConnector(name: "test", type: "filesystem", configuration: "{}")
        return (store, connector.id)
    }

    @Test func theAccessCheckIsInsideTheQueryNotAfterTheTopK() async throws {
        let directory = try TemporaryDirectory()
        let (store, connectorID) = try await makeStore(directory)
        // 200 HR passages that match "budget" far better than the one public passage.
        for index in 0..<200 {
            try await store.saveDocument(
                snapshot(
                    "hr/\(index).md",
                    policy: AccessPolicy(readers: [.group("hr")]),
                    texts: ["Budget budget budget: the confidential budget for project \(index)."]
                ),
                connectorID: connectorID
            )
        }
        try await store.saveDocument(
            snapshot(
                "public.md",
                policy: .everyone,
                texts: [
                    "The travel budget is described in the expenses policy, along with many other rules and details that make this passage long."
                ]
            ),
            connectorID: connectorID
        )

        let carol = AccessScope(userName: "carol", groups: [], isAdmin: false)
        let bob = AccessScope(userName: "bob", groups: ["hr"], isAdmin: false)
        let admin = AccessScope(userName: "admin", groups: [], isAdmin: true)

        let carolResults = try await store.searchPassages(matching: "\"budget\"", scope: carol, limit: 5)
        #expect(carolResults.map(\.documentTitle) == ["public.md"])

        let bobResults = try await store.searchPassages(matching: "\"budget\"", scope: bob, limit: 5)
        #expect(bobResults.count == 5)
        #expect(bobResults.allSatisfy { $0.documentTitle.hasPrefix("hr/") })
        #expect(try await store.searchPassages(matching: "\"budget\"", scope: admin, limit: 500).count == 201)
    }

    @Test func usersAndGroupsAreMatchedExactly() async throws {
        let directory = try TemporaryDirectory()
        let (store, connectorID) = try await makeStore(directory)
        try await store.saveDocument(
            snapshot("bob.md", policy: AccessPolicy(readers: [.user("bob")]), texts: ["Kestrel notes for bob."]),
            connectorID: connectorID
        )
        try await store.saveDocument(
            snapshot("hr.md", policy: AccessPolicy(readers: [.group("hr")]), texts: ["Kestrel notes for hr."]),
            connectorID: connectorID
        )
        try await store.saveDocument(
            snapshot("admins.md", policy: .adminsOnly, texts: ["Kestrel notes for admins."]),
            connectorID: connectorID
        )

        func titles(_ scope: AccessScope) async throws -> Set<String> {
            Set(try await store.searchPassages(matching: "\"kestrel\"", scope: scope, limit: 10).map(\.documentTitle))
        }
        #expect(try await titles(AccessScope(userName: "bob", groups: [], isAdmin: false)) == ["bob.md"])
        // A group named like a user, or a user named like a group, grants nothing.
        #expect(try await titles(AccessScope(userName: "hr", groups: ["bob"], isAdmin: false)) == [])
        #expect(try await titles(AccessScope(userName: "dana", groups: ["hr"], isAdmin: false)) == ["hr.md"])
        #expect(
            try await titles(AccessScope(userName: "root", groups: [], isAdmin: true)) == [
                "bob.md", "hr.md", "admins.md",
            ]
        )
    }

    @Test func savingANewVersionReplacesItsPassagesAndReaders() async throws {
        let directory = try TemporaryDirectory()
        let (store, connectorID) = try await makeStore(directory)
        let first = try await store.saveDocument(
            snapshot("leave.md", policy: .everyone, texts: ["Employees get 27 days of leave.", "Carry over 5 days."]),
            connectorID: connectorID
        )
        #expect(first.isNew)
        let second = try await store.saveDocument(
            snapshot(
                "leave.md",
                policy: AccessPolicy(readers: [.group("staff")]),
                texts: ["Employees get 31 days of leave."]
            ),
            connectorID: connectorID
        )
        #expect(!second.isNew)
        #expect(second.id == first.id)

        let staff = AccessScope(userName: "x", groups: ["staff"], isAdmin: false)
        let other = AccessScope(userName: "y", groups: [], isAdmin: false)
        #expect(try await store.searchPassages(matching: "\"27\"", scope: staff, limit: 5).isEmpty)
        #expect(try await store.searchPassages(matching: "\"carry\"", scope: staff, limit: 5).isEmpty)
        #expect(try await store.searchPassages(matching: "\"31\"", scope: staff, limit: 5).count == 1)
        #expect(try await store.searchPassages(matching: "\"31\"", scope: other, limit: 5).isEmpty)
        #expect(try await store.passages(documentID: first.id).map(\.text) == ["Employees get 31 days of leave."])

        try await store.deleteDocuments(ids: [first.id])
        #expect(try await store.searchPassages(matching: "\"31\"", scope: staff, limit: 5).isEmpty)
        #expect(try await store.documentFrequencies(of: ["31"], scope: staff).frequencies["31"] == 0)
        #expect(try await store.documentFrequencies(of: [], scope: staff).passageCount == 0)
    }

    @Test func termStatisticsCountOnlyReadablePassages() async throws {
        let directory = try TemporaryDirectory()
        let (store, connectorID) = try await makeStore(directory)
        try await store.saveDocument(
            snapshot(
                "a.md",
                policy: .everyone,
                texts: ["Salaries are reviewed.", "The salary band.", "Nothing here."]
            ),
            connectorID: connectorID
        )
        try await store.saveDocument(
            snapshot(
                "hr.md",
                policy: AccessPolicy(readers: [.group("hr")]),
                texts: ["Salary bands by level.", "Redundancies are planned.", "Redundancy pay."]
            ),
            connectorID: connectorID
        )
        let carol = AccessScope(userName: "carol", groups: [], isAdmin: false)
        let bob = AccessScope(userName: "bob", groups: ["hr"], isAdmin: false)
        let words: Set<String> = ["salary", "bands", "redundancies"]

        let forCarol = try await store.documentFrequencies(of: words, scope: carol)
        #expect(forCarol.passageCount == 6)
        #expect(forCarol.frequencies == ["salary": 2, "bands": 1, "redundancies": 0])
        let forBob = try await store.documentFrequencies(of: words, scope: bob)
        #expect(forBob.frequencies == ["salary": 3, "bands": 2, "redundancies": 2])
    }
}
