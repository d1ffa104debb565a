import Foundation
import QuarryCore
import QuarryStore
import QuarryTesting
import Testing

struct PeopleTests {
    @Test func addingAUserCreatesNewGroupsAndRefusesDuplicates() async throws {
        let directory = try TemporaryDirectory()
        let store = try Store(directory: directory.path)
        let alice = try await store.createUser(name: "Alice", groups: ["Engineering", "oncall"])
        #expect(alice.name == "alice")
        #expect(alice.groups == ["engineering", "oncall"])
        #expect(try await store.groups().map(\.name) == ["engineering", "oncall"])

        await #expect(throws: StoreError.alreadyExists("user", "alice")) {
            try await store.createUser(name: "ALICE")
        }
        await #expect(throws: StoreError.self) { try await store.createUser(name: "bad name") }
    }

    @Test func membershipChangesShowInTheNextScope() async throws {
        let directory = try TemporaryDirectory()
        let store = try Store(directory: directory.path)
        let bob = try await store.createUser(name: "bob")
        #expect(try await store.accessScope(forUserID: bob.id).principals == [.everyone, .user("bob")])
        try await store.addMember(userName: "bob", toGroup: "hr")
        #expect(try await store.accessScope(forUserID: bob.id).principals.contains(.group("hr")))
        try await store.removeMember(userName: "bob", fromGroup: "hr")
        #expect(!(try await store.accessScope(forUserID: bob.id).principals.contains(.group("hr"))))
        try await store.setAdmin(true, userName: "bob")
        #expect(try await store.accessScope(forUserID: bob.id).isAdmin)
    }

    @Test func keysAreStoredOnlyAsHashesAndCanBeRevoked() async throws {
        let directory = try TemporaryDirectory()
        let store = try Store(directory: directory.path)
        try await store.createUser(name: "carol")
        let (info, secret) = try await store.createAPIKey(userName: "carol", label: "laptop")

        #expect(secret.hasPrefix("qk_"))
        #expect(secret.count == 46)
        #expect(info.hint == String(secret.prefix(7)))
        #expect(info.lastUsedAt == nil)

        // Signing in works and records when the key was used.
        #expect(try await store.authenticate(apiKey: secret)?.name == "carol")
        #expect(try await store.apiKeys(userName: "carol").first?.lastUsedAt != nil)
        #expect(try await store.authenticate(apiKey: secret + "x") == nil)
        #expect(try await store.authenticate(apiKey: "") == nil)

        // Nowhere on disk is the secret itself (database, WAL or shared memory).
        let files = try FileManager.default.contentsOfDirectory(atPath: directory.path)
        let secretPart = Data(secret.dropFirst(7).utf8)
        for file in files {
            let bytes = try Data(contentsOf: URL(fileURLWithPath: directory.file(file)))
            #expect(bytes.range(of: secretPart) == nil, "the key appears in \(file)")
        }

        try await store.revokeAPIKey(id: info.id)
        #expect(try await store.authenticate(apiKey: secret) == nil)
        await #expect(throws: StoreError.notFound("active API key", "\(info.id)")) {
            try await store.revokeAPIKey(id: info.id)
        }
    }

    @Test func twoKeysAreNeverAlike() async throws {
        let directory = try TemporaryDirectory()
        let store = try Store(directory: directory.path)
        try await store.createUser(name: "dave")
        var secrets = Set<String>()
        for _ in 0..<20 { secrets.insert(try await store.createAPIKey(userName: "dave", label: "k").secret) }
        #expect(secrets.count == 20)
    }

    @Test func deletingAUserRemovesTheirKeys() async throws {
        let directory = try TemporaryDirectory()
        let store = try Store(directory: directory.path)
        try await store.createUser(name: "erin")
        let secret = try await store.createAPIKey(userName: "erin", label: "k").secret
        try await store.deleteUser(named: "erin")
        #expect(try await store.authenticate(apiKey: secret) == nil)
        #expect(try await store.apiKeys().isEmpty)
    }
}
