import Foundation
public import QuarryCore

/// Reads documents from a folder tree on local disk.
///
/// Access policies come from a sidecar `FILE.acl.json` beside a file, else from the nearest
/// `.quarry-acl.json` in its folder or any folder above it (up to the root), else from
/// ``Configuration/defaultPolicy``. A policy file that cannot be parsed fails every document it
/// would govern; it never falls back to a wider policy. Hidden files and symbolic links are skipped.
public struct FileSystemConnector: Connector {
    /// How a filesystem connector is set up.
    public struct Configuration: Sendable, Hashable, Codable {
        /// The folder to index.
        public var root: String
        /// The policy of files that no policy file covers. The default is admins only.
        public var defaultPolicy: AccessPolicy

        /// Creates a configuration.
        public init(root: String, defaultPolicy: AccessPolicy = .adminsOnly) {
            self.root = root
            self.defaultPolicy = defaultPolicy
        }
    }

    public let name: String
    /// The connector's settings.
    public let configuration: Configuration

    /// Creates a connector; the root is resolved to an absolute, standardised path.
    public init(name: String, configuration: Configuration) {
        self.name = name
        var configuration = configuration
        configuration.root = URL(fileURLWithPath: configuration.root).standardizedFileURL.path
        self.configuration = configuration
    }

    public func listing() -> AsyncThrowingStream<SourceListing, any Error> {
        let configuration = configuration
        return AsyncThrowingStream { continuation in
            let task = Task {
                do {
                    var walker = FolderWalker(configuration: configuration)
                    try walker.walk { entry in
                        continuation.yield(entry)
                        return !Task.isCancelled
                    }
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    public func content(of item: SourceItem) async throws -> SourceContent {
        let path = configuration.root + "/" + item.externalID
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw ConnectorError.unreadableFile(item.externalID, reason: "the file is missing or not readable")
        }
        return .file(path: path)
    }
}

/// Walks the folder tree depth first in name order, carrying the inherited policy down.
private struct FolderWalker {
    let configuration: FileSystemConnector.Configuration
    let fileManager = FileManager.default

    /// A policy inherited from a folder, or the reason it could not be read.
    enum InheritedPolicy {
        case policy(AccessPolicy)
        case broken(String)
    }

    init(configuration: FileSystemConnector.Configuration) {
        self.configuration = configuration
    }

    mutating func walk(_ yield: (SourceListing) -> Bool) throws {
        var isDirectory: ObjCBool = false
        guard fileManager.fileExists(atPath: configuration.root, isDirectory: &isDirectory), isDirectory.boolValue
        else {
            throw ConnectorError.rootNotFound(configuration.root)
        }
        _ = try walkFolder(relative: "", inherited: .policy(configuration.defaultPolicy), yield)
    }

    /// Returns false when the consumer stopped listening.
    private func walkFolder(
        relative: String,
        inherited: InheritedPolicy,
        _ yield: (SourceListing) -> Bool
    ) throws -> Bool {
        let folder = relative.isEmpty ? configuration.root : configuration.root + "/" + relative
        let names: [String]
        do {
            names = try fileManager.contentsOfDirectory(atPath: folder).sorted()
        } catch {
            throw ConnectorError.unreadableFolder(
                relative.isEmpty ? "." : relative,
                reason: "permission denied or I/O error"
            )
        }

        var policy = inherited
        if names.contains(AccessPolicyFile.folderFileName) {
            let policyPath = folder + "/" + AccessPolicyFile.folderFileName
            policy = readPolicy(atPath: policyPath, displayName: join(relative, AccessPolicyFile.folderFileName))
        }

        for name in names where !name.hasPrefix(".") {
            let path = folder + "/" + name
            let relativePath = join(relative, name)
            guard let attributes = try? fileManager.attributesOfItem(atPath: path),
                let type = attributes[.type] as? FileAttributeType
            else { continue }
            switch type {
            case .typeDirectory:
                guard try walkFolder(relative: relativePath, inherited: policy, yield) else { return false }
            case .typeRegular:
                guard !name.hasSuffix(AccessPolicyFile.sidecarSuffix),
                    let contentType = ContentType(fileExtension: (name as NSString).pathExtension)
                else { continue }
                let entry = listing(
                    relativePath: relativePath,
                    path: path,
                    contentType: contentType,
                    attributes: attributes,
                    folderPolicy: policy,
                    hasSidecar: names.contains(name + AccessPolicyFile.sidecarSuffix)
                )
                guard yield(entry) else { return false }
            default:
                continue  // symbolic links, sockets, devices
            }
        }
        return true
    }

    private func listing(
        relativePath: String,
        path: String,
        contentType: ContentType,
        attributes: [FileAttributeKey: Any],
        folderPolicy: InheritedPolicy,
        hasSidecar: Bool
    ) -> SourceListing {
        var policy = folderPolicy
        if hasSidecar {
            policy = readPolicy(
                atPath: path + AccessPolicyFile.sidecarSuffix,
                displayName: relativePath + AccessPolicyFile.sidecarSuffix
            )
        }
        switch policy {
        case .broken(let reason):
            return .failure(externalID: relativePath, reason: reason)
        case .policy(let accessPolicy):
            let size = (attributes[.size] as? NSNumber)?.int64Value ?? 0
            let modified = (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
            return .item(
                SourceItem(
                    externalID: relativePath,
                    uri: URL(fileURLWithPath: path).absoluteString,
                    version: "\(size)-\(Int64(modified * 1_000_000))",
                    contentType: contentType,
                    size: size,
                    policy: accessPolicy
                )
            )
        }
    }

    private func readPolicy(atPath path: String, displayName: String) -> InheritedPolicy {
        guard let data = fileManager.contents(atPath: path) else {
            return .broken("the access policy \(displayName) cannot be read")
        }
        do {
            return .policy(try AccessPolicyFile.parse(data))
        } catch {
            return .broken("the access policy \(displayName) is invalid: \(error.message)")
        }
    }

    private func join(_ folder: String, _ name: String) -> String {
        folder.isEmpty ? name : folder + "/" + name
    }
}
