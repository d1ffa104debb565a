import Foundation

/// How often a connector syncs on its own: an interval such as `15m`, `1h` or `1d`.
public struct SyncSchedule: Sendable, Hashable, CustomStringConvertible {
    /// Seconds between the end of one run and the start of the next.
    public let interval: Int

    /// The shortest interval accepted.
    public static let minimumInterval = 60

    /// Parses `90s`, `15m`, `2h`, `1d` (a number and a unit).
    ///
    /// - Throws: a message saying what is wrong.
    public init(parsing text: String) throws(ConnectorDefinitionError) {
        let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
        guard let unit = trimmed.last, let number = Int(trimmed.dropLast()), number > 0 else {
            throw ConnectorDefinitionError(
                line: nil,
                field: "schedule",
                message: "expected an interval such as 15m, 1h or 1d, not \"\(text)\""
            )
        }
        let seconds: Int
        switch unit {
        case "s": seconds = number
        case "m": seconds = number * 60
        case "h": seconds = number * 3600
        case "d": seconds = number * 86_400
        default:
            throw ConnectorDefinitionError(
                line: nil,
                field: "schedule",
                message: "unknown unit \"\(unit)\"; use s, m, h or d"
            )
        }
        guard seconds >= Self.minimumInterval else {
            throw ConnectorDefinitionError(line: nil, field: "schedule", message: "the interval must be at least 1m")
        }
        interval = seconds
    }

    public var description: String {
        if interval % 86_400 == 0 { return "\(interval / 86_400)d" }
        if interval % 3600 == 0 { return "\(interval / 3600)h" }
        if interval % 60 == 0 { return "\(interval / 60)m" }
        return "\(interval)s"
    }
}
