import Foundation
import GRDB
public import QuarryCore

extension Migrations {
    /// `v7`: the embedding cache, one vector per (text hash, model), as little-endian `Float32`s.
    static func v7(_ db: Database) throws {
        try db.execute(
            sql: """
                CREATE TABLE embedding (
                    text_hash TEXT NOT NULL,
                    model TEXT NOT NULL,
                    dimension INTEGER NOT NULL,
                    vector BLOB NOT NULL,
                    created_at DATETIME NOT NULL,
                    PRIMARY KEY (text_hash, model)
                ) WITHOUT ROWID
                """
        )
    }
}

/// The store keeps the embedding cache, so that a re-sync embeds only texts it has not seen.
extension Store: EmbeddingCache {
    public func cachedVectors(for hashes: [String], model: String) async throws -> [String: [Float]] {
        guard !hashes.isEmpty else { return [:] }
        return try await database.read { db in
            var found: [String: [Float]] = [:]
            for chunk in stride(from: 0, to: hashes.count, by: 500).map({
                Array(hashes[$0..<min(hashes.count, $0 + 500)])
            }) {
                let marks = Array(repeating: "?", count: chunk.count).joined(separator: ",")
                let rows = try Row.fetchAll(
                    db,
                    sql:
                        "SELECT text_hash, dimension, vector FROM embedding WHERE model = ? AND text_hash IN (\(marks))",
                    arguments: StatementArguments([model] + chunk)
                )
                for row in rows {
                    let data: Data = row["vector"]
                    let dimension: Int = row["dimension"]
                    guard data.count == dimension * 4 else { continue }  // a damaged row is a miss
                    found[row["text_hash"]] = Self.floats(from: data)
                }
            }
            return found
        }
    }

    public func storeVectors(_ vectors: [String: [Float]], model: String) async throws {
        guard !vectors.isEmpty else { return }
        let now = Date()
        try await database.write { db in
            for (hash, vector) in vectors {
                try db.execute(
                    sql: """
                        INSERT OR IGNORE INTO embedding (text_hash, model, dimension, vector, created_at)
                        VALUES (?, ?, ?, ?, ?)
                        """,
                    arguments: [hash, model, vector.count, Self.data(from: vector), now]
                )
            }
        }
    }

    /// The number of cached vectors made by `model`.
    public func cachedVectorCount(model: String) async throws -> Int {
        try await database.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM embedding WHERE model = ?", arguments: [model]) ?? 0
        }
    }

    private static func data(from vector: [Float]) -> Data {
        var data = Data(capacity: vector.count * 4)
        for value in vector { withUnsafeBytes(of: value.bitPattern.littleEndian) { data.append(contentsOf: $0) } }
        return data
    }

    static func floats(from data: Data) -> [Float] {
        data.withUnsafeBytes { raw in
            (0..<(data.count / 4)).map {
                Float(bitPattern: UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self)))
            }
        }
    }
}
