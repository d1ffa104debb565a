/// One document as a connector lists it: where it is, how to tell whether it changed, and who may read it.
///
/// Listing is cheap; nothing here requires reading the document's content.
public struct SourceItem: Sendable, Hashable {
    /// Identifies the document within its connector: a relative path, an object key, a URL.
    public var externalID: String
    /// Where a person can open the original (`file://`, `s3://`, `https://`).
    public var uri: String
    /// A stamp that changes whenever the content may have changed (size and mtime, ETag, ...).
    public var version: String
    /// The format, when the connector knows it; otherwise the extractor sniffs it.
    public var contentType: ContentType?
    /// The character set the source declared for the content (an HTTP `Content-Type` charset), if any.
    public var charset: String?
    /// Size in bytes, when known.
    public var size: Int64?
    /// Who may read it, as found at the source or from the connector's default.
    public var policy: AccessPolicy

    /// Creates a listing entry.
    public init(
        externalID: String,
        uri: String,
        version: String,
        contentType: ContentType?,
        charset: String? = nil,
        size: Int64? = nil,
        policy: AccessPolicy
    ) {
        self.externalID = externalID
        self.uri = uri
        self.version = version
        self.contentType = contentType
        self.charset = charset
        self.size = size
        self.policy = policy
    }
}

/// What a connector's listing yields: a document, or one that could not be listed properly.
public enum SourceListing: Sendable, Hashable {
    /// A document ready to be synced.
    case item(SourceItem)
    /// A document the connector found but cannot offer, for example because its access policy
    /// is unreadable. The sync reports it as failed and withdraws any indexed copy, so that a
    /// broken policy never leaves a document readable under an older, wider one.
    case failure(externalID: String, reason: String)
    /// A part of the source that could not be listed this time (a folder without permission, a
    /// prefix whose listing failed). Documents at or below `path` are kept as they are, neither
    /// updated nor deleted, and the sync reports the reason.
    case unavailable(path: String, reason: String)
    /// The listing stopped before it saw the whole source (a crawl reached its page limit), so a
    /// document it did not reach may still exist: nothing is deleted by this sync.
    case incomplete(reason: String)
}
