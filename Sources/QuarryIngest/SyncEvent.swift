/// What happened to one document during a sync, reported as it happens.
public enum SyncEvent: Sendable, Hashable {
    /// The sync took the connector's lease, recorded its run and started listing.
    case started(connector: String, mode: SyncMode, runID: Int64)
    /// A document was seen for the first time and indexed.
    case added(String)
    /// A document was re-indexed, or its access policy changed.
    case updated(String)
    /// A document was found as it was.
    case unchanged(String)
    /// A document disappeared at the source and was removed.
    case deleted(String)
    /// A document could not be indexed.
    case failed(String, reason: String)
    /// A document was indexed, but something in it was not right (a CSV's ragged rows, undecodable bytes).
    case warned(String, message: String)
}

/// Whether a sync trusts version stamps.
public enum SyncMode: String, Sendable, Hashable, Codable {
    /// Documents whose version stamp is unchanged since the last sync are not fetched.
    case incremental
    /// Every document is fetched, extracted and rewritten.
    case full
}
