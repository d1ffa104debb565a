public import QuarryCore
import Synchronization

/// Forwards to a real embedder and records every text that reached it, so that a test can show
/// what was embedded (and what the cache spared).
public final class CountingEmbedder: Embedder {
    private let inner: any Embedder
    private let seen = Mutex<[String]>([])

    /// Wraps `inner`.
    public init(_ inner: any Embedder) { self.inner = inner }

    public var model: String { inner.model }
    public var dimension: Int { inner.dimension }

    /// Every text embedded so far, in order.
    public var texts: [String] { seen.withLock { $0 } }

    /// Forgets the texts recorded so far.
    public func reset() { seen.withLock { $0 = [] } }

    public func embed(_ texts: [String]) async throws -> [[Float]] {
        seen.withLock { $0 += texts }
        return try await inner.embed(texts)
    }
}
