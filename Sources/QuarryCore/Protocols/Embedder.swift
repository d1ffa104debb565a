/// Turns texts into fixed-length vectors whose dot products measure how alike the texts are.
///
/// An embedder is identified by ``model`` and ``dimension``: vectors from two embedders are only
/// comparable when both agree, so an index records the model that made its vectors and refuses
/// to mix them. Vectors are L2-normalised (length 1), so the dot product is the cosine.
///
/// ```swift
/// let vectors = try await embedder.embed(["How many days of leave do I get?"])
/// let score = zip(vectors[0], passageVector).reduce(0) { $0 + $1.0 * $1.1 }
/// ```
///
/// Implementations accept any string: an empty text, or one longer than the model reads
/// (it is truncated), still gets a vector of ``dimension`` values.
public protocol Embedder: Sendable {
    /// The model that makes the vectors, such as `sentence-transformers/all-MiniLM-L6-v2`.
    var model: String { get }

    /// The number of values in every vector.
    var dimension: Int { get }

    /// Embeds each text; the result has one vector per text, in the same order.
    ///
    /// - Parameter texts: The texts, in any number (implementations batch them as they see fit).
    /// - Returns: One unit-length vector of ``dimension`` values per text.
    /// - Throws: An error from the implementation when the model cannot run (a remote endpoint
    ///   that fails, for example); never for the content of a text.
    func embed(_ texts: [String]) async throws -> [[Float]]
}

extension Embedder {
    /// Embeds one text.
    ///
    /// - Throws: What ``embed(_:)`` throws.
    public func embed(_ text: String) async throws -> [Float] {
        let vectors = try await embed([text])
        return vectors[0]
    }
}
