/// How documents are cut into passages.
public struct ChunkingConfiguration: Sendable, Hashable, Codable {
    /// The size a passage aims at, in characters. Passages end on a sentence where they can;
    /// a single sentence longer than this is cut between words.
    public var targetSize: Int
    /// How many characters of whole sentences a passage repeats from the one before it, when a
    /// section is longer than one passage.
    public var overlap: Int

    /// Creates a configuration; the defaults suit question answering over handbook-style prose.
    public init(targetSize: Int = 1000, overlap: Int = 150) {
        self.targetSize = targetSize
        self.overlap = overlap
    }

    /// Checks that the sizes make sense together.
    ///
    /// - Throws: a message naming the setting that is out of range.
    public func validate() throws(ChunkingConfigurationError) {
        guard (100...20_000).contains(targetSize) else {
            throw ChunkingConfigurationError(
                message: "chunk size must be between 100 and 20000 characters, not \(targetSize)"
            )
        }
        guard overlap >= 0, overlap <= targetSize / 2 else {
            throw ChunkingConfigurationError(
                message: "chunk overlap must be between 0 and half the chunk size (\(targetSize / 2)), not \(overlap)"
            )
        }
    }
}

/// A ``ChunkingConfiguration`` whose values do not make sense.
public struct ChunkingConfigurationError: Error, Equatable, Sendable, CustomStringConvertible {
    /// What is wrong.
    public let message: String
    public var description: String { message }
}
