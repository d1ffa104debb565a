public import Foundation
import Yams

/// A connector configuration as a tree, from a YAML file or a JSON body, remembering lines for errors.
///
/// Scalars stay text until a field is read, so `chunk_size: "900"` and `chunk_size: 900` mean the
/// same, and a wrong type is reported by the field that expected another one.
public indirect enum ConfigValue: Sendable, Hashable {
    case scalar(String, line: Int?)
    case list([ConfigValue], line: Int?)
    case map([Entry], line: Int?)
    case null(line: Int?)

    /// One key of a map.
    public struct Entry: Sendable, Hashable {
        public let key: String
        public let value: ConfigValue
        public let line: Int?

        /// Creates an entry.
        public init(key: String, value: ConfigValue, line: Int?) {
            self.key = key
            self.value = value
            self.line = line
        }
    }

    /// The line the value starts on, in a YAML file.
    public var line: Int? {
        switch self {
        case .scalar(_, let line), .list(_, let line), .map(_, let line), .null(let line): line
        }
    }

    /// Parses YAML text.
    ///
    /// - Throws: ``ConnectorDefinitionError`` with the line and the parser's reason.
    public static func parse(yaml: String) throws -> ConfigValue {
        let node: Node?
        do {
            node = try Yams.compose(yaml: yaml)
        } catch let error as YamlError {
            throw ConnectorDefinitionError(line: nil, field: nil, message: "not valid YAML: \(Self.describe(error))")
        }
        guard let node else { throw ConnectorDefinitionError(line: nil, field: nil, message: "the file is empty") }
        return try ConfigValue(node)
    }

    /// Parses JSON (the admin API's bodies and the stored form).
    ///
    /// - Throws: ``ConnectorDefinitionError`` when the text is not JSON.
    public static func parse(json: Data) throws -> ConfigValue {
        do {
            return try JSONDecoder().decode(JSONTree.self, from: json).value
        } catch {
            throw ConnectorDefinitionError(line: nil, field: nil, message: "not valid JSON")
        }
    }

    /// Decodes any JSON into a ``ConfigValue``, keeping booleans and numbers apart from strings.
    private struct JSONTree: Decodable {
        let value: ConfigValue

        struct Key: CodingKey {
            let stringValue: String
            var intValue: Int? { nil }
            init(stringValue: String) { self.stringValue = stringValue }
            init?(intValue: Int) { nil }
        }

        init(from decoder: any Decoder) throws {
            if let object = try? decoder.container(keyedBy: Key.self) {
                value = .map(
                    try object.allKeys.sorted { $0.stringValue < $1.stringValue }.map { key in
                        Entry(
                            key: key.stringValue,
                            value: try object.decode(JSONTree.self, forKey: key).value,
                            line: nil
                        )
                    },
                    line: nil
                )
            } else if var array = try? decoder.unkeyedContainer() {
                var items: [ConfigValue] = []
                while !array.isAtEnd { items.append(try array.decode(JSONTree.self).value) }
                value = .list(items, line: nil)
            } else {
                let single = try decoder.singleValueContainer()
                if single.decodeNil() {
                    value = .null(line: nil)
                } else if let bool = try? single.decode(Bool.self) {
                    value = .scalar(bool ? "true" : "false", line: nil)
                } else if let integer = try? single.decode(Int.self) {
                    value = .scalar(String(integer), line: nil)
                } else if let number = try? single.decode(Double.self) {
                    value = .scalar(String(number), line: nil)
                } else {
                    value = .scalar(try single.decode(String.self), line: nil)
                }
            }
        }
    }

    private init(_ node: Node) throws {
        switch node {
        case .scalar(let scalar):
            let line = scalar.mark.map { $0.line }
            if scalar.style == .plain, ["", "~", "null", "Null", "NULL"].contains(scalar.string) {
                self = .null(line: line)
            } else {
                self = .scalar(scalar.string, line: line)
            }
        case .sequence(let sequence):
            self = .list(try sequence.map(ConfigValue.init), line: sequence.mark.map { $0.line })
        case .mapping(let mapping):
            var entries: [Entry] = []
            for (key, value) in mapping {
                guard let name = key.scalar?.string else {
                    throw ConnectorDefinitionError(
                        line: key.mark?.line,
                        field: nil,
                        message: "keys must be plain names"
                    )
                }
                entries.append(Entry(key: name, value: try ConfigValue(value), line: key.mark?.line))
            }
            self = .map(entries, line: mapping.mark.map { $0.line })
        case .alias:
            throw ConnectorDefinitionError(line: node.mark?.line, field: nil, message: "YAML aliases are not supported")
        }
    }

    private static func describe(_ error: YamlError) -> String {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _),
            .composer(_, let problem, let mark, _):
            "line \(mark.line): \(problem)"
        default:
            "\(error)"
        }
    }
}

/// A connector configuration that cannot be used, naming the line (in a file) and the field.
public struct ConnectorDefinitionError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The line in the YAML file, when known.
    public let line: Int?
    /// The field at fault, when there is one.
    public let field: String?
    /// What is wrong.
    public let message: String

    /// Creates an error.
    public init(line: Int?, field: String?, message: String) {
        self.line = line
        self.field = field
        self.message = message
    }

    public var description: String {
        var parts: [String] = []
        if let line { parts.append("line \(line)") }
        if let field { parts.append(field) }
        parts.append(message)
        return parts.joined(separator: ": ")
    }
}
