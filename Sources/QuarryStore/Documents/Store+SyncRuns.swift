import Foundation
import GRDB

extension Store {
    /// Records that a sync of a connector started; returns the run's identifier.
    public func startSyncRun(connectorID: Int64, mode: String) async throws -> Int64 {
        try await database.write { db in
            try db.execute(
                sql: "INSERT INTO sync_run (connector_id, mode, status, started_at) VALUES (?, ?, 'running', ?)",
                arguments: [connectorID, mode, Date()]
            )
            return db.lastInsertedRowID
        }
    }

    /// Records how a sync ended.
    public func finishSyncRun(
        id: Int64,
        status: SyncRun.Status,
        counts: SyncCounts,
        failures: [SyncFailure],
        warnings: [SyncWarning] = [],
        error: String?
    ) async throws {
        try await database.write { db in
            try db.execute(
                sql: """
                    UPDATE sync_run SET status = ?, finished_at = ?, seen = ?, added = ?, updated = ?, unchanged = ?,
                        deleted = ?, failed = ?, error = ? WHERE id = ?
                    """,
                arguments: [
                    status.rawValue, Date(), counts.seen, counts.added, counts.updated, counts.unchanged,
                    counts.deleted, counts.failed, error, id,
                ]
            )
            for failure in failures {
                try db.execute(
                    sql: "INSERT INTO sync_failure (sync_run_id, external_id, reason) VALUES (?, ?, ?)",
                    arguments: [id, failure.externalID, failure.reason]
                )
            }
            for warning in warnings {
                try db.execute(
                    sql: "INSERT INTO sync_warning (sync_run_id, external_id, message) VALUES (?, ?, ?)",
                    arguments: [id, warning.externalID, warning.message]
                )
            }
        }
    }

    /// One run, or nil.
    public func syncRun(id: Int64) async throws -> SyncRun? {
        try await database.read { db in
            try Self.fetchRuns(where: "r.id = ?", [id], db).first
        }
    }

    /// The most recent runs of a connector (or of all), newest first.
    public func syncRuns(connectorName: String? = nil, limit: Int = 20) async throws -> [SyncRun] {
        try await database.read { db in
            try Self.fetchRuns(
                where: "? IS NULL OR c.name = ? ORDER BY r.started_at DESC, r.id DESC LIMIT ?",
                [connectorName, connectorName, limit],
                db
            )
        }
    }

    static func fetchRuns(where condition: String, _ arguments: StatementArguments, _ db: Database) throws -> [SyncRun]
    {
        let rows = try Row.fetchAll(
            db,
            sql: """
                SELECT r.*, c.name AS connector_name FROM sync_run r JOIN connector c ON c.id = r.connector_id
                WHERE \(condition)
                """,
            arguments: arguments
        )
        return try rows.map { row in
            let id: Int64 = row["id"]
            var counts = SyncCounts()
            counts.seen = row["seen"]
            counts.added = row["added"]
            counts.updated = row["updated"]
            counts.unchanged = row["unchanged"]
            counts.deleted = row["deleted"]
            counts.failed = row["failed"]
            let failures = try Row.fetchAll(
                db,
                sql: "SELECT external_id, reason FROM sync_failure WHERE sync_run_id = ? ORDER BY rowid",
                arguments: [id]
            ).map { SyncFailure(externalID: $0["external_id"], reason: $0["reason"]) }
            let warnings = try Row.fetchAll(
                db,
                sql: "SELECT external_id, message FROM sync_warning WHERE sync_run_id = ? ORDER BY rowid",
                arguments: [id]
            ).map { SyncWarning(externalID: $0["external_id"], message: $0["message"]) }
            return SyncRun(
                id: id,
                connectorName: row["connector_name"],
                mode: row["mode"],
                status: SyncRun.Status(rawValue: row["status"]) ?? .failed,
                startedAt: row["started_at"],
                finishedAt: row["finished_at"],
                counts: counts,
                error: row["error"],
                failures: failures,
                warnings: warnings
            )
        }
    }
}
