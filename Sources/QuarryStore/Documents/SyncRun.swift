public import Foundation

/// The counts a sync reports: `added=N updated=N unchanged=N deleted=N failed=N`.
public struct SyncCounts: Sendable, Hashable, Codable {
    /// Entries of the source's listing (documents, failures and unlistable parts) handled so far.
    public var seen = 0
    /// Documents seen for the first time.
    public var added = 0
    /// Documents re-indexed, or whose access policy changed.
    public var updated = 0
    /// Documents found as they were.
    public var unchanged = 0
    /// Documents removed because they disappeared at the source.
    public var deleted = 0
    /// Documents that could not be indexed, and parts of the source that could not be listed. A
    /// failed document that was indexed before is withdrawn (its reason says so), except when it
    /// only changed during the sync.
    public var failed = 0

    /// Zero counts.
    public init() {}

    /// The summary line printed at the end of a sync.
    public var summaryLine: String {
        "added=\(added) updated=\(updated) unchanged=\(unchanged) deleted=\(deleted) failed=\(failed)"
    }
}

/// One recorded sync of a connector.
public struct SyncRun: Sendable, Hashable, Codable {
    /// How a run ended.
    public enum Status: String, Sendable, Hashable, Codable {
        case running, succeeded, failed, cancelled
    }

    /// The run's identifier.
    public var id: Int64
    /// The connector synced.
    public var connectorName: String
    /// `full` or `incremental`.
    public var mode: String
    /// How the run ended, or `running`.
    public var status: Status
    /// When it started.
    public var startedAt: Date
    /// When it ended.
    public var finishedAt: Date?
    /// What it did.
    public var counts: SyncCounts
    /// Why the run as a whole failed, if it did.
    public var error: String?
    /// The documents that failed, with their reasons.
    public var failures: [SyncFailure]
    /// Problems in documents that were indexed all the same (a CSV's ragged rows, undecodable bytes).
    public var warnings: [SyncWarning] = []
}

/// A problem in a document that was indexed all the same.
public struct SyncWarning: Sendable, Hashable, Codable {
    /// The document's identifier within its connector.
    public var externalID: String
    /// What was found.
    public var message: String

    /// Creates a warning record.
    public init(externalID: String, message: String) {
        self.externalID = externalID
        self.message = message
    }
}

/// A document that a sync could not index, and why.
public struct SyncFailure: Sendable, Hashable, Codable {
    /// The document's identifier within its connector.
    public var externalID: String
    /// What went wrong.
    public var reason: String

    /// Creates a failure record.
    public init(externalID: String, reason: String) {
        self.externalID = externalID
        self.reason = reason
    }
}
