public import Foundation
import GRDB

/// Quarry's system of record: a SQLite database in WAL mode inside the data directory.
///
/// It holds people and API keys, connectors, documents with their readers and passages, the
/// FTS5 keyword index, conversations and the history of syncs. Opening a store applies any
/// pending migration. Several processes (a server and a `quarry sync`) may open the same data
/// directory; writes wait for each other up to ``busyTimeout``.
///
/// ```swift
/// let store = try Store(directory: "./quarry-data")
/// let (key, secret) = try await store.createAPIKey(userName: "alice", label: "laptop")
/// ```
public final class Store: Sendable {
    /// The database file's name inside the data directory.
    public static let fileName = "quarry.sqlite"
    /// How long a write waits for another process's write to finish.
    public static let busyTimeout: TimeInterval = 10

    let database: DatabasePool
    /// The path of the database file.
    public let path: String

    /// Opens (creating if needed) the store in `directory` and brings its schema up to date.
    ///
    /// - Throws: ``StoreError/newerSchema(_:)`` if a newer Quarry wrote the database, or a
    ///   `DatabaseError` when the file cannot be opened.
    public init(directory: String) throws {
        // Documents, conversations and key hashes live here: readable by Quarry's own user only.
        // SQLite gives the -wal and -shm files the database file's permissions.
        let fileManager = FileManager.default
        if !fileManager.fileExists(atPath: directory) {
            try fileManager.createDirectory(
                atPath: directory,
                withIntermediateDirectories: true,
                attributes: [.posixPermissions: 0o700]
            )
        }
        self.path = URL(fileURLWithPath: directory).appendingPathComponent(Self.fileName).path
        if !fileManager.fileExists(atPath: path) {
            fileManager.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600])
        }
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        configuration.busyMode = .timeout(Self.busyTimeout)
        configuration.label = "quarry"
        self.database = try DatabasePool(path: path, configuration: configuration)
        try Self.migrate(database)
    }

    static func migrate(_ writer: some DatabaseWriter) throws {
        let migrator = Migrations.migrator
        let applied = try writer.read { db in try migrator.appliedIdentifiers(db) }
        if let unknown = applied.subtracting(Migrations.identifiers).sorted().first {
            throw StoreError.newerSchema(unknown)
        }
        try migrator.migrate(writer)
    }

    /// The identifiers of the migrations applied to the database, oldest first.
    public func appliedMigrations() async throws -> [String] {
        try await database.read { db in try Migrations.migrator.appliedMigrations(db) }
    }

    /// Whether the database answers a trivial query; used by health checks.
    public func isHealthy() async -> Bool {
        (try? await database.read { db in try Int.fetchOne(db, sql: "SELECT 1") }) == 1
    }
}
