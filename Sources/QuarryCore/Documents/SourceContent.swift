public import struct Foundation.Data

/// The bytes of a document as fetched by a connector.
public enum SourceContent: Sendable {
    /// The whole content in memory.
    case data(Data)
    /// Content too large to hold in memory (a CSV export of a gigabyte), handed over a piece at a time.
    case stream(ContentStream)
}

/// Content that a connector writes out a piece at a time, at most once.
///
/// The sync engine spools it to a file in the data directory, hashing it on the way, and the
/// extractor reads it back in pieces: it is never held in memory whole.
public struct ContentStream: Sendable {
    /// The size the source announced, if any.
    public let size: Int64?
    private let produce: @Sendable (_ sink: (Data) async throws -> Void) async throws -> Void

    /// Creates a stream whose `produce` closure calls `sink` with each piece, in order.
    public init(size: Int64?, produce: @escaping @Sendable (_ sink: (Data) async throws -> Void) async throws -> Void) {
        self.size = size
        self.produce = produce
    }

    /// Delivers the content to `sink`, piece by piece.
    public func write(into sink: (Data) async throws -> Void) async throws {
        try await produce(sink)
    }
}
