import Foundation
import Logging
public import QuarryCore
public import QuarryIngest
public import QuarryStore

/// A store in a temporary data directory with the demo's people, their keys, and a synced corpus.
///
/// alice is in `engineering`, bob in `hr`, carol in no group, and admin is an admin, as in `make run`.
public struct DemoInstallation: Sendable {
    /// The data directory (kept alive by this value).
    public let dataDirectory: TemporaryDirectory
    /// The opened store.
    public let store: Store
    /// The folder the `handbook` connector reads.
    public let corpusPath: String
    /// API keys by user name.
    public let keys: [String: String]
    /// The embedder syncs use (`nil`: keyword search only).
    public let embedder: (any Embedder)?

    /// Sets everything up; with `copyCorpus`, the corpus is a private copy that the test may edit;
    /// without `indexCorpus`, the `handbook` connector is not created (for tests of other sources);
    /// with an `embedder`, syncs embed passages (the real model: about a second for the handbook).
    public static func make(
        copyCorpus: Bool = false,
        indexCorpus: Bool = true,
        embedder: (any Embedder)? = nil
    ) async throws -> DemoInstallation {
        let directory = try TemporaryDirectory(prefix: "quarry-demo")
        let store = try Store(directory: directory.file("data"))
        let corpus = copyCorpus ? try SampleCorpus.copy(into: directory) : SampleCorpus.handbook
        try await store.createUser(name: "alice", groups: ["engineering"])
        try await store.createUser(name: "bob", groups: ["hr"])
        try await store.createUser(name: "carol")
        try await store.createUser(name: "admin", isAdmin: true)
        var keys: [String: String] = [:]
        for name in ["alice", "bob", "carol", "admin"] {
            keys[name] = try await store.createAPIKey(userName: name, label: "test").secret
        }
        let installation = DemoInstallation(
            dataDirectory: directory,
            store: store,
            corpusPath: corpus,
            keys: keys,
            embedder: embedder
        )
        if indexCorpus {
            try await store.saveConnector(
                name: "handbook",
                type: "filesystem",
                configuration: try ConnectorDefinition.filesystem(name: "handbook", root: corpus).encodedJSON()
            )
            _ = try await installation.sync()
        }
        return installation
    }

    /// Syncs the `handbook` connector and returns the run.
    @discardableResult
    public func sync(mode: SyncMode = .incremental) async throws -> SyncRun {
        try await SyncEngine(
            store: store,
            embedder: embedder,
            logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
        )
        .sync(connectorName: "handbook", mode: mode)
    }

    /// The user with this name (which must exist).
    public func user(_ name: String) async throws -> User {
        guard let user = try await store.user(named: name) else { throw StoreError.notFound("user", name) }
        return user
    }
}
