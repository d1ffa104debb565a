public import Foundation
public import QuarryCore

/// A configured source of documents as stored.
public struct ConnectorRecord: Sendable, Hashable, Codable {
    /// The connector's identifier in the store.
    public var id: Int64
    /// Its unique name.
    public var name: String
    /// Its type: `filesystem` (and later `s3`, `web`).
    public var type: String
    /// Its settings as JSON, secrets included; never returned by the API as is.
    public var configuration: String
    /// When it was created.
    public var createdAt: Date
    /// When its settings last changed.
    public var updatedAt: Date
}

/// What the sync engine needs to know about an indexed document to decide whether it changed.
public struct IndexedDocumentState: Sendable, Hashable {
    /// The document's identifier in the store.
    public var id: Int64
    /// Its identifier within the connector.
    public var externalID: String
    /// The version stamp recorded at the last sync.
    public var version: String
    /// The SHA-256 of the content last indexed.
    public var contentHash: String
    /// The access policy in force.
    public var policy: AccessPolicy
    /// The link targets the document contained when it was last indexed.
    public var links: [String] = []
}

/// A document ready to be written: its listing entry, what extraction found, and its passages.
public struct DocumentSnapshot: Sendable, Hashable {
    /// The listing entry (identity, version, policy).
    public var item: SourceItem
    /// The title to show.
    public var title: String
    /// The format the text was extracted from.
    public var contentType: ContentType
    /// The SHA-256 of the content, hex.
    public var contentHash: String
    /// The passages, in order.
    public var passages: [Passage]
    /// The link targets the document contains (kept for crawlers).
    public var links: [String]

    /// Creates a snapshot.
    public init(
        item: SourceItem,
        title: String,
        contentType: ContentType,
        contentHash: String,
        passages: [Passage],
        links: [String] = []
    ) {
        self.item = item
        self.title = title
        self.contentType = contentType
        self.contentHash = contentHash
        self.passages = passages
        self.links = links
    }
}

/// An indexed document as shown to admins and tests.
public struct DocumentSummary: Sendable, Hashable, Codable {
    /// The document's identifier in the store.
    public var id: Int64
    /// The connector it came from.
    public var connectorName: String
    /// Its identifier within the connector.
    public var externalID: String
    /// Its title.
    public var title: String
    /// Where it can be opened.
    public var uri: String
    /// Who may read it.
    public var policy: AccessPolicy
    /// How many passages it was cut into.
    public var passageCount: Int
    /// When it was last re-indexed or its policy changed.
    public var updatedAt: Date
}
