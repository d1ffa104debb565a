import Foundation

/// Reads typed fields from a configuration map, with errors that name the line and the field,
/// and reports keys nobody asked for.
struct ConfigFields {
    private let entries: [ConfigValue.Entry]
    private let line: Int?
    private var used = Set<String>()

    init(_ value: ConfigValue) throws(ConnectorDefinitionError) {
        guard case .map(let entries, let line) = value else {
            throw ConnectorDefinitionError(
                line: value.line,
                field: nil,
                message: "expected a map of settings (name: ..., type: ...)"
            )
        }
        var seen = Set<String>()
        for entry in entries where !seen.insert(entry.key).inserted {
            throw ConnectorDefinitionError(line: entry.line, field: entry.key, message: "appears twice")
        }
        self.entries = entries
        self.line = line
    }

    private func entry(_ key: String) -> ConfigValue.Entry? {
        entries.first { $0.key == key }
    }

    private func fail(_ key: String, _ message: String) -> ConnectorDefinitionError {
        ConnectorDefinitionError(line: entry(key)?.line, field: key, message: message)
    }

    /// An optional text field; `null` counts as absent.
    mutating func string(_ key: String) throws(ConnectorDefinitionError) -> String? {
        used.insert(key)
        guard let entry = entry(key) else { return nil }
        switch entry.value {
        case .null: return nil
        case .scalar(let text, _): return text
        default: throw fail(key, "expected a single value, not a list or a map")
        }
    }

    /// A required, non-empty text field.
    mutating func requiredString(_ key: String, for purpose: String) throws(ConnectorDefinitionError) -> String {
        guard let value = try string(key)?.trimmingCharacters(in: .whitespaces), !value.isEmpty else {
            throw fail(key, "required \(purpose)")
        }
        return value
    }

    /// An optional whole number within `range`.
    mutating func integer(_ key: String, in range: ClosedRange<Int>) throws(ConnectorDefinitionError) -> Int? {
        guard let text = try string(key) else { return nil }
        guard let value = Int(text.trimmingCharacters(in: .whitespaces)) else {
            throw fail(key, "expected a whole number, not \"\(text.prefix(40))\"")
        }
        guard range.contains(value) else {
            throw fail(key, "must be between \(range.lowerBound) and \(range.upperBound), not \(value)")
        }
        return value
    }

    /// An optional yes/no field.
    mutating func bool(_ key: String) throws(ConnectorDefinitionError) -> Bool? {
        guard let text = try string(key) else { return nil }
        switch text.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default: throw fail(key, "expected true or false, not \"\(text.prefix(40))\"")
        }
    }

    /// An optional list of text values; a single value counts as a list of one.
    mutating func strings(_ key: String) throws(ConnectorDefinitionError) -> [String]? {
        used.insert(key)
        guard let entry = entry(key) else { return nil }
        switch entry.value {
        case .null: return nil
        case .scalar(let text, _): return [text]
        case .list(let items, _):
            var result: [String] = []
            for item in items {
                guard case .scalar(let text, _) = item else { throw fail(key, "expected a list of values") }
                result.append(text)
            }
            return result
        case .map: throw fail(key, "expected a list of values, not a map")
        }
    }

    /// Fails on the first key not in `allowed`, suggesting an allowed key it may be a typo of.
    func rejectUnknownKeys(allowed: [String]) throws(ConnectorDefinitionError) {
        for entry in entries where !allowed.contains(entry.key) {
            let suggestion = allowed.min { distance(entry.key, $0) < distance(entry.key, $1) }
            var message = "unknown setting"
            if let suggestion, distance(entry.key, suggestion) <= 2 { message += "; did you mean \(suggestion)?" }
            throw ConnectorDefinitionError(line: entry.line, field: entry.key, message: message)
        }
    }

    /// Levenshtein distance, for suggestions.
    private func distance(_ a: String, _ b: String) -> Int {
        let a = Array(a)
        let b = Array(b)
        var previous = Array(0...b.count)
        for (i, x) in a.enumerated() {
            var current = [i + 1]
            for (j, y) in b.enumerated() {
                current.append(min(previous[j] + (x == y ? 0 : 1), previous[j + 1] + 1, current[j] + 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}
