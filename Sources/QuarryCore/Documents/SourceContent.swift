public import struct Foundation.Data

/// The bytes of a document as fetched by a connector.
///
/// Documents are read whole today; a streamed case arrives with the formats that need it (large CSV).
public enum SourceContent: Sendable {
    /// The whole content in memory.
    case data(Data)
}
