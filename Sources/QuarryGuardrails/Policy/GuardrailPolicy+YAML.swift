import Foundation
import QuarryCore
import Yams

extension GuardrailPolicy {
    /// Reads a policy from YAML (JSON is YAML too), checking every field.
    ///
    /// Unknown keys, unknown categories, entity types or actions, regular expressions that do not
    /// compile, and numbers out of range are errors naming their line.
    ///
    /// - Throws: ``GuardrailPolicyError`` with the line and the reason.
    public init(yaml: String) throws {
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch let error as YamlError {
            throw Self.describe(error)
        }
        self.init()
        guard let root else { return }
        let fields = try Fields(root, path: "policy")
        if let value = fields["name"] { name = try value.string() }
        if let value = fields["messages"] {
            let messageFields = try Fields(value.node, path: "messages")
            if let text = messageFields["blocked_input"] { messages.blockedInput = try text.string() }
            if let text = messageFields["blocked_output"] { messages.blockedOutput = try text.string() }
            try messageFields.rejectUnknown()
        }
        if let value = fields["stages"] {
            let stageFields = try Fields(value.node, path: "stages")
            var enabled: Set<GuardrailStage> = []
            for stage in GuardrailStage.allCases {
                if try stageFields[stage.rawValue]?.bool() ?? stages.contains(stage) { enabled.insert(stage) }
            }
            try stageFields.rejectUnknown()
            stages = enabled
        }
        if let value = fields["pii"] { pii = try Self.readPII(value) }
        if let value = fields["words"] { words = try Self.readWords(value) }
        if let value = fields["content"] { content = try Self.readContent(value) }
        if let value = fields["answer_scope"] {
            let text = try value.string()
            guard let scope = AnswerScope(rawValue: text.lowercased()) else {
                throw GuardrailPolicyError(
                    line: value.line,
                    reason: "answer_scope must be documents or general_knowledge, not \"\(text)\""
                )
            }
            answerScope = scope
        }
        if let value = fields["topics"] {
            topics = try value.list().map(Self.readTopic)
            var seen: Set<String> = []
            for (topic, item) in zip(topics, try value.list()) where !seen.insert(topic.name.lowercased()).inserted {
                throw GuardrailPolicyError(line: item.line, reason: "topic \"\(topic.name)\" is defined twice")
            }
        }
        try fields.rejectUnknown()
    }

    private static func readPII(_ value: Value) throws -> PII {
        let fields = try Fields(value.node, path: "pii")
        var pii = PII()
        if let score = fields["min_score"] { pii.minimumScore = try score.fraction("min_score") }
        if let entities = fields["entities"] {
            let entityFields = try Fields(entities.node, path: "pii.entities")
            for (name, entry) in entityFields.entries {
                guard PIIEntityType.all.contains(name) else {
                    throw GuardrailPolicyError(
                        line: entry.line,
                        reason:
                            "unknown entity type \"\(name)\" (expected one of \(PIIEntityType.all.joined(separator: ", "));"
                            + " define your own under pii.custom)"
                    )
                }
                pii.entities[name] = try readActions(entry, allowed: [.block, .mask, .anonymize, .log])
            }
        }
        if let custom = fields["custom"] {
            var names: Set<String> = []
            for item in try custom.list() {
                let entity = try readCustomEntity(item)
                guard names.insert(entity.name).inserted, !PIIEntityType.all.contains(entity.name) else {
                    throw GuardrailPolicyError(
                        line: item.line,
                        reason: "entity type \"\(entity.name)\" is already defined"
                    )
                }
                pii.custom.append(entity)
            }
        }
        if let allow = fields["allow"] { pii.allow = try allow.list().map { try $0.string() } }
        try fields.rejectUnknown()
        return pii
    }

    private static func readCustomEntity(_ value: Value) throws -> CustomEntity {
        let fields = try Fields(value.node, path: "pii.custom")
        let name = try fields.required("name").string()
        guard !name.isEmpty,
            name.unicodeScalars.allSatisfy({ ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "_" })
        else {
            throw GuardrailPolicyError(
                line: fields["name"]?.line,
                reason: "entity name \"\(name)\" must be upper-case letters, digits and _"
            )
        }
        let patternValue = try fields.required("pattern")
        let pattern = try patternValue.string()
        do {
            _ = try NSRegularExpression(pattern: pattern)
        } catch {
            throw GuardrailPolicyError(
                line: patternValue.line,
                reason: "pattern of \(name) is not a valid regular expression: \(pattern)"
            )
        }
        if (try? NSRegularExpression(pattern: pattern).firstMatch(in: "", range: NSRange(location: 0, length: 0)))
            != nil
        {
            throw GuardrailPolicyError(line: patternValue.line, reason: "pattern of \(name) matches the empty string")
        }
        var entity = CustomEntity(name: name, pattern: pattern)
        if let score = fields["score"] { entity.score = try score.fraction("score") }
        if let context = fields["context"] { entity.context = try context.list().map { try $0.string() } }
        if let action = fields["action"] {
            entity.actions = try readActions(action, allowed: [.block, .mask, .anonymize, .log])
        }
        try fields.rejectUnknown()
        return entity
    }

    private static func readWords(_ value: Value) throws -> Words {
        let fields = try Fields(value.node, path: "words")
        var words = Words()
        if let profanity = fields["profanity"] { words.profanity = try profanity.bool() }
        if let list = fields["list"] {
            words.list = try list.list().map { item in
                let text = try item.string()
                guard text.contains(where: { $0.isLetter || $0.isNumber }) else {
                    throw GuardrailPolicyError(
                        line: item.line,
                        reason: "word filter \"\(text)\" has no letters or digits"
                    )
                }
                return text
            }
        }
        if let action = fields["action"] { words.actions = try readActions(action, allowed: [.block, .mask, .log]) }
        try fields.rejectUnknown()
        return words
    }

    private static func readContent(_ value: Value) throws -> Content {
        let fields = try Fields(value.node, path: "content")
        var content = Content()
        for (key, entry) in fields.entries {
            if key == "action" {
                let action = try entry.action(allowed: [.block, .log])
                content.action = action
                continue
            }
            guard let category = ContentCategory(rawValue: key) else {
                throw GuardrailPolicyError(
                    line: entry.line,
                    reason: "unknown content category \"\(key)\" (expected one of "
                        + ContentCategory.allCases.map(\.rawValue).joined(separator: ", ") + ", or action)"
                )
            }
            if case .scalar = entry.node {
                let strength = try entry.strength()
                content.filters[category] = Strengths(input: strength, output: strength)
            } else {
                let sides = try Fields(entry.node, path: "content.\(key)")
                let input = try sides["input"]?.strength() ?? FilterStrength.none
                let output = try sides["output"]?.strength() ?? FilterStrength.none
                try sides.rejectUnknown()
                content.filters[category] = Strengths(input: input, output: output)
            }
        }
        fields.markAllUsed()
        return content
    }

    private static func readTopic(_ value: Value) throws -> Topic {
        let fields = try Fields(value.node, path: "topics")
        let name = try fields.required("name").string()
        guard !name.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw GuardrailPolicyError(line: fields["name"]?.line, reason: "a topic's name cannot be empty")
        }
        let definitionValue = try fields.required("definition")
        let definition = try definitionValue.string()
        guard !definition.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw GuardrailPolicyError(line: definitionValue.line, reason: "topic \"\(name)\" needs a definition")
        }
        var topic = Topic(name: name, definition: definition)
        if let examples = fields["examples"] { topic.examples = try examples.list().map { try $0.string() } }
        if let threshold = fields["threshold"] { topic.threshold = try threshold.fraction("threshold") }
        if let keywords = fields["keywords"] { topic.keywords = try keywords.list().map { try $0.string() } }
        if let message = fields["message"] { topic.message = try message.string() }
        if let stages = fields["stages"] {
            topic.stages = Set(
                try stages.list().map { item in
                    let text = try item.string()
                    guard let stage = GuardrailStage(rawValue: text) else {
                        throw GuardrailPolicyError(
                            line: item.line,
                            reason: "unknown stage \"\(text)\" (expected input, retrieval or output)"
                        )
                    }
                    return stage
                }
            )
        }
        try fields.rejectUnknown()
        return topic
    }

    /// A scalar action for every stage, or a mapping `{input: block, output: mask}`.
    private static func readActions(_ value: Value, allowed: Set<GuardrailAction>) throws -> StageActions {
        if case .scalar = value.node { return StageActions(all: try value.action(allowed: allowed)) }
        let fields = try Fields(value.node, path: "action")
        let actions = StageActions(
            input: try fields["input"]?.action(allowed: allowed),
            retrieval: try fields["retrieval"]?.action(allowed: allowed),
            output: try fields["output"]?.action(allowed: allowed)
        )
        try fields.rejectUnknown()
        return actions
    }

    private static func describe(_ error: YamlError) -> GuardrailPolicyError {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _),
            .composer(_, let problem, let mark, _):
            GuardrailPolicyError(line: mark.line, reason: "not valid YAML: \(problem)")
        default:
            GuardrailPolicyError(line: nil, reason: "not valid YAML: \(error)")
        }
    }
}

/// A YAML node with its line, read as the policy's field types.
struct Value {
    let node: Node

    var line: Int? { node.mark?.line }

    func string() throws -> String {
        guard case .scalar(let scalar) = node else {
            throw GuardrailPolicyError(line: line, reason: "expected a text, found \(kind)")
        }
        return scalar.string
    }

    func bool() throws -> Bool {
        guard case .scalar = node, let value = node.bool else {
            throw GuardrailPolicyError(line: line, reason: "expected true or false, found \(describe)")
        }
        return value
    }

    func fraction(_ field: String) throws -> Double {
        guard case .scalar = node, let value = node.float ?? node.int.map(Double.init) else {
            throw GuardrailPolicyError(line: line, reason: "\(field) must be a number between 0 and 1, not \(describe)")
        }
        guard (0...1).contains(value) else {
            throw GuardrailPolicyError(line: line, reason: "\(field) must be between 0 and 1, not \(describe)")
        }
        return value
    }

    func list() throws -> [Value] {
        guard case .sequence(let sequence) = node else {
            throw GuardrailPolicyError(line: line, reason: "expected a list, found \(kind)")
        }
        return sequence.map(Value.init)
    }

    func action(allowed: Set<GuardrailAction>) throws -> GuardrailAction {
        let text = try string()
        let names = GuardrailAction.allCases.filter(allowed.contains).map(\.rawValue).joined(separator: ", ")
        guard let action = GuardrailAction(rawValue: text.lowercased()), allowed.contains(action) else {
            throw GuardrailPolicyError(line: line, reason: "unknown action \"\(text)\" here (expected one of \(names))")
        }
        return action
    }

    func strength() throws -> FilterStrength {
        let text = try string()
        guard let strength = FilterStrength(rawValue: text.lowercased()) else {
            throw GuardrailPolicyError(
                line: line,
                reason: "strength must be none, low, medium or high, not \"\(text)\""
            )
        }
        return strength
    }

    private var kind: String {
        switch node {
        case .scalar: "a text"
        case .mapping: "a mapping"
        case .sequence: "a list"
        case .alias: "an alias"
        }
    }

    private var describe: String {
        if case .scalar(let scalar) = node { return "\"\(scalar.string)\"" }
        return kind
    }
}

/// A YAML mapping's fields, remembering which were read so that unknown keys are reported.
final class Fields {
    let entries: [(String, Value)]
    private let path: String
    private let line: Int?
    private var used: Set<String> = []

    init(_ node: Node, path: String) throws {
        guard case .mapping(let mapping) = node else {
            throw GuardrailPolicyError(line: node.mark?.line, reason: "\(path) must be a mapping of keys to values")
        }
        var entries: [(String, Value)] = []
        var seen: Set<String> = []
        for (key, value) in mapping {
            guard case .scalar(let scalar) = key else {
                throw GuardrailPolicyError(line: key.mark?.line, reason: "keys must be plain names")
            }
            guard seen.insert(scalar.string).inserted else {
                throw GuardrailPolicyError(line: key.mark?.line, reason: "\(scalar.string) appears twice")
            }
            entries.append((scalar.string, Value(node: value)))
        }
        self.entries = entries
        self.path = path
        self.line = node.mark?.line
    }

    subscript(key: String) -> Value? {
        used.insert(key)
        return entries.first { $0.0 == key }?.1
    }

    func required(_ key: String) throws -> Value {
        guard let value = self[key] else {
            throw GuardrailPolicyError(line: line, reason: "\(path): \(key) is required")
        }
        return value
    }

    func markAllUsed() {
        for (key, _) in entries { used.insert(key) }
    }

    func rejectUnknown() throws {
        if let (key, value) = entries.first(where: { !used.contains($0.0) }) {
            throw GuardrailPolicyError(line: value.line.map { max($0, 1) }, reason: "\(path): unknown key \"\(key)\"")
        }
    }
}
