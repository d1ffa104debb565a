/// How aggressively a content filter acts, as in Bedrock Guardrails.
///
/// `high` acts on anything the scorer rates at least a little likely, `low` only on what it is
/// confident about; `none` turns the category off.
public enum FilterStrength: String, Sendable, Hashable, Codable, CaseIterable, Comparable {
    case none, low, medium, high

    /// The lowest score (0…1) that fires at this strength, or `nil` for `none`.
    public var threshold: Double? {
        switch self {
        case .none: nil
        case .low: 0.85
        case .medium: 0.6
        case .high: 0.35
        }
    }

    private var rank: Int {
        switch self {
        case .none: 0
        case .low: 1
        case .medium: 2
        case .high: 3
        }
    }

    public static func < (lhs: FilterStrength, rhs: FilterStrength) -> Bool { lhs.rank < rhs.rank }
}
