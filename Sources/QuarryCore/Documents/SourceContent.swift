public import struct Foundation.Data

/// The bytes of a document as fetched by a connector.
public enum SourceContent: Sendable {
    /// The whole content in memory.
    case data(Data)
    /// A file on local disk that the extractor may read or stream.
    case file(path: String)
}
