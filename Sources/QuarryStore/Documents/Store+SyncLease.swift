public import Foundation
import GRDB

/// Who holds a connector's sync lease, and until when.
public struct SyncLease: Sendable, Hashable {
    /// The holder's identity (`host:pid:nonce`).
    public var holder: String
    /// When the lease lapses unless renewed.
    public var expiresAt: Date
}

extension Store {
    /// Takes the connector's sync lease for `holder` unless someone else holds an unexpired one.
    ///
    /// - Parameter breaking: a holder whose lease may be taken even before it expires (one known
    ///   to be dead).
    /// - Returns: nil when the lease was taken, else the lease that stands in the way.
    public func acquireSyncLease(
        connectorID: Int64,
        holder: String,
        duration: TimeInterval,
        breaking deadHolder: String? = nil
    ) async throws -> SyncLease? {
        let now = Date()
        return try await database.write { db in
            try db.execute(
                sql: """
                    UPDATE connector SET lease_holder = ?, lease_expires_at = ?
                    WHERE id = ? AND (lease_holder IS NULL OR lease_expires_at < ? OR lease_holder = ? OR lease_holder = ?)
                    """,
                arguments: [holder, now.addingTimeInterval(duration), connectorID, now, holder, deadHolder]
            )
            if db.changesCount == 1 { return nil }
            let row = try Row.fetchOne(
                db,
                sql: "SELECT lease_holder, lease_expires_at FROM connector WHERE id = ?",
                arguments: [connectorID]
            )
            guard let row, let current: String = row["lease_holder"], let expires: Date = row["lease_expires_at"] else {
                throw StoreError.notFound("connector", "#\(connectorID)")
            }
            return SyncLease(holder: current, expiresAt: expires)
        }
    }

    /// Extends a lease `holder` still holds; returns false if it lost it.
    public func renewSyncLease(connectorID: Int64, holder: String, duration: TimeInterval) async throws -> Bool {
        try await database.write { db in
            try db.execute(
                sql: "UPDATE connector SET lease_expires_at = ? WHERE id = ? AND lease_holder = ?",
                arguments: [Date().addingTimeInterval(duration), connectorID, holder]
            )
            return db.changesCount == 1
        }
    }

    /// Gives the lease up.
    public func releaseSyncLease(connectorID: Int64, holder: String) async throws {
        try await database.write { db in
            try db.execute(
                sql:
                    "UPDATE connector SET lease_holder = NULL, lease_expires_at = NULL WHERE id = ? AND lease_holder = ?",
                arguments: [connectorID, holder]
            )
        }
    }

    /// Marks the connector's runs still shown as running as failed: their process is gone.
    public func abandonRunningSyncRuns(connectorID: Int64, reason: String) async throws {
        try await database.write { db in
            try db.execute(
                sql: """
                    UPDATE sync_run SET status = 'failed', finished_at = ?, error = ?
                    WHERE connector_id = ? AND status = 'running'
                    """,
                arguments: [Date(), reason, connectorID]
            )
        }
    }

    /// Records a running sync's counts so far, for progress.
    public func updateSyncRunProgress(id: Int64, counts: SyncCounts) async throws {
        try await database.write { db in
            try db.execute(
                sql: """
                    UPDATE sync_run SET seen = ?, added = ?, updated = ?, unchanged = ?, deleted = ?, failed = ?
                    WHERE id = ? AND status = 'running'
                    """,
                arguments: [
                    counts.seen, counts.added, counts.updated, counts.unchanged, counts.deleted, counts.failed, id,
                ]
            )
        }
    }
}
