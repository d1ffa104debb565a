/// A vector index operation was given input it cannot use, or found its files unusable.
///
/// Each error says what was wrong and to what (a dimension, a component, a file); none carries
/// vector values beyond the one offending component. ``isCorruptIndex`` tells a caller that the
/// files on disk should be discarded and the index rebuilt from the store.
public struct VectorIndexError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The kind of failure, for callers that react differently to each.
    public enum Code: Equatable, Sendable {
        /// A vector (record or query) does not have the index's dimension.
        case wrongDimension
        /// A vector has a NaN or infinite component.
        case nonFiniteComponent
        /// An argument is out of its range (a negative `k`, an empty model name, a zero dimension).
        case invalidArgument
        /// The index's files are missing, truncated, fail their checksum or are of another format.
        case corruptIndex
        /// The files hold an index for another model or dimension than the one asked for.
        case incompatibleIndex
        /// Reading or writing the index's files failed (an `errno` from the system).
        case io
    }

    /// The kind of failure.
    public let code: Code
    /// What happened, in one sentence.
    public let message: String

    private init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// A vector has `actual` components where the index holds vectors of `expected`.
    public static func wrongDimension(expected: Int, actual: Int, what: String) -> VectorIndexError {
        VectorIndexError(
            .wrongDimension,
            "\(what) has \(actual) components but the index holds \(expected)-dimensional vectors"
        )
    }

    /// Component `index` of a vector is NaN or infinite.
    public static func nonFiniteComponent(index: Int, value: Float, what: String) -> VectorIndexError {
        VectorIndexError(
            .nonFiniteComponent,
            "\(what) has a non-finite component at index \(index) (\(value)); vectors must be finite"
        )
    }

    /// An argument is out of range.
    public static func invalidArgument(_ message: String) -> VectorIndexError {
        VectorIndexError(.invalidArgument, message)
    }

    /// The index's files cannot be trusted; rebuild the index from the store.
    public static func corruptIndex(_ message: String) -> VectorIndexError {
        VectorIndexError(.corruptIndex, message + "; rebuild the index from the store")
    }

    /// The files hold another model's or dimension's index.
    public static func incompatibleIndex(_ message: String) -> VectorIndexError {
        VectorIndexError(.incompatibleIndex, message)
    }

    /// A system call failed on a path.
    public static func io(_ operation: String, path: String, errno code: Int32) -> VectorIndexError {
        VectorIndexError(.io, "\(operation) \(path) failed: errno \(code)")
    }

    /// Whether the files should be discarded and the index rebuilt (corrupt or incompatible).
    public var requiresRebuild: Bool { code == .corruptIndex || code == .incompatibleIndex }

    public var description: String { message }
}
