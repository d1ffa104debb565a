import Foundation
import QuarryConnectors
public import QuarryCore
public import QuarryExtract

/// A connector's stored settings: its type, where it reads, the default policy and how documents are chunked.
///
/// Stored as JSON in the store's `connector` table:
/// `{"type": "filesystem", "root": "/srv/handbook", "default_readers": ["everyone"], "chunk_size": 1000, "chunk_overlap": 150}`.
public struct ConnectorDefinition: Sendable, Hashable, Codable {
    /// The connector types this version of Quarry knows.
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        case filesystem
    }

    /// The unique name.
    public var name: String
    /// The type of source.
    public var type: Kind
    /// For `filesystem`: the folder to index.
    public var root: String?
    /// Readers of documents that carry no policy of their own; empty means admins only.
    public var defaultReaders: [String]
    /// How documents are cut into passages.
    public var chunking: ChunkingConfiguration

    /// Creates a definition.
    public init(
        name: String,
        type: Kind,
        root: String? = nil,
        defaultReaders: [String] = [],
        chunking: ChunkingConfiguration = .init()
    ) {
        self.name = name
        self.type = type
        self.root = root
        self.defaultReaders = defaultReaders
        self.chunking = chunking
    }

    enum CodingKeys: String, CodingKey {
        case name, type, root
        case defaultReaders = "default_readers"
        case chunkSize = "chunk_size"
        case chunkOverlap = "chunk_overlap"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        type = try container.decode(Kind.self, forKey: .type)
        root = try container.decodeIfPresent(String.self, forKey: .root)
        defaultReaders = try container.decodeIfPresent([String].self, forKey: .defaultReaders) ?? []
        let defaults = ChunkingConfiguration()
        chunking = ChunkingConfiguration(
            targetSize: try container.decodeIfPresent(Int.self, forKey: .chunkSize) ?? defaults.targetSize,
            overlap: try container.decodeIfPresent(Int.self, forKey: .chunkOverlap) ?? defaults.overlap
        )
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(name, forKey: .name)
        try container.encode(type, forKey: .type)
        try container.encodeIfPresent(root, forKey: .root)
        try container.encode(defaultReaders, forKey: .defaultReaders)
        try container.encode(chunking.targetSize, forKey: .chunkSize)
        try container.encode(chunking.overlap, forKey: .chunkOverlap)
    }

    /// Checks every field, naming the first one that is wrong.
    ///
    /// - Throws: ``ConnectorError/invalidConfiguration(_:)``.
    public func validate() throws {
        do {
            _ = try PrincipalName.validated(name)
        } catch {
            throw ConnectorError.invalidConfiguration("name: \(error.reason)")
        }
        do {
            _ = try AccessPolicy(parsing: defaultReaders)
        } catch {
            throw ConnectorError.invalidConfiguration("default_readers: \(error.description)")
        }
        do {
            try chunking.validate()
        } catch {
            throw ConnectorError.invalidConfiguration("chunking: \(error.message)")
        }
        switch type {
        case .filesystem:
            guard let root, !root.isEmpty else {
                throw ConnectorError.invalidConfiguration("root: a filesystem connector needs the folder to read")
            }
        }
    }

    /// The connector this definition describes.
    public func makeConnector() throws -> any Connector {
        try validate()
        let policy = try AccessPolicy(parsing: defaultReaders)
        switch type {
        case .filesystem:
            return FileSystemConnector(
                name: name,
                configuration: .init(root: root ?? ".", defaultPolicy: policy)
            )
        }
    }

    /// The definition as stored.
    public func encodedJSON() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }

    /// Reads a stored definition.
    public static func decode(json: String) throws -> ConnectorDefinition {
        try JSONDecoder().decode(ConnectorDefinition.self, from: Data(json.utf8))
    }
}
