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
