/// A source of documents: it lists them with their versions and access policies, and fetches their content.
///
/// Connectors know nothing of extraction or indexes. The sync engine asks for a listing,
/// compares versions with what is indexed, and fetches only what changed.
public protocol Connector: Sendable {
    /// The connector's configured name, unique in a Quarry installation.
    var name: String { get }

    /// Lists every document the connector can see, with its version stamp and access policy.
    ///
    /// A document that cannot be offered (for instance because its policy file is unreadable)
    /// is reported as ``SourceListing/failure(externalID:reason:)`` and the listing goes on.
    /// The stream throws only when the listing as a whole cannot continue.
    func listing() -> AsyncThrowingStream<SourceListing, any Error>

    /// Fetches the content of a listed document.
    func content(of item: SourceItem) async throws -> SourceContent
}

/// A connector that uses what the previous sync saw: conditional requests (ETag, Last-Modified),
/// and, for crawlers, the links of pages that did not change.
public protocol IncrementalConnector: Connector {
    /// Lists the source, asking it only for what changed since `previous`.
    func listing(previous: PreviousSync) -> AsyncThrowingStream<SourceListing, any Error>
}

/// What the last syncs recorded about a connector's documents.
public struct PreviousSync: Sendable {
    /// A document as it was indexed.
    public struct Document: Sendable, Hashable {
        /// Its version stamp.
        public var version: String
        /// The link targets it contained, as written in it.
        public var links: [String]

        /// Creates a record.
        public init(version: String, links: [String]) {
            self.version = version
            self.links = links
        }
    }

    private let documents: [String: Document]

    /// Creates the record from documents by external identifier.
    public init(documents: [String: Document]) {
        self.documents = documents
    }

    /// The indexed document with this identifier, if any.
    public func document(_ externalID: String) -> Document? {
        documents[externalID]
    }
}
