/// A span of personal data found in a text.
///
/// Offsets are in Unicode scalars, end exclusive, like every span Quarry reports.
public struct PIIMatch: Sendable, Hashable, Codable {
    /// The entity type, such as `EMAIL_ADDRESS` or a policy's custom type.
    public var entity: String
    /// The first scalar of the span.
    public var start: Int
    /// One past the last scalar of the span.
    public var end: Int
    /// How sure the recogniser is (0…1), after context words.
    public var score: Double

    /// A match.
    public init(entity: String, start: Int, end: Int, score: Double) {
        self.entity = entity
        self.start = start
        self.end = end
        self.score = score
    }

    /// Whether two spans share at least one scalar.
    public func overlaps(_ other: PIIMatch) -> Bool { start < other.end && other.start < end }
}
