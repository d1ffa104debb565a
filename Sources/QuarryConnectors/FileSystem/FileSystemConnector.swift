import Foundation
public import QuarryCore

/// Reads documents from a folder tree on local disk.
///
/// Access policies come from a sidecar `FILE.acl.json` beside a file, else from the nearest
/// `.quarry-acl.json` in its folder or any folder above it (up to the root), else from
/// ``Configuration/defaultPolicy``. A policy file that cannot be parsed fails every document it
/// would govern; it never falls back to a wider policy. A sidecar whose file does not exist is
/// reported. Hidden files and symbolic links are skipped, and files are read without following
/// links at any step, so nothing outside the root can be pulled in.
public struct FileSystemConnector: Connector {
    /// How a filesystem connector is set up.
    public struct Configuration: Sendable, Hashable, Codable {
        /// The folder to index.
        public var root: String
        /// The policy of files that no policy file covers. The default is admins only.
        public var defaultPolicy: AccessPolicy
        /// Files larger than this fail with a reason instead of being read (CSV files excepted).
        public var maximumFileBytes: Int64
        /// CSV files larger than this fail with a reason; those over ``streamingThreshold`` are streamed.
        public var maximumCSVBytes: Int64
        /// CSV files larger than this are handed over a piece at a time rather than read whole.
        public var streamingThreshold: Int64 = 8 << 20

        /// Creates a configuration.
        public init(
            root: String,
            defaultPolicy: AccessPolicy = .adminsOnly,
            maximumFileBytes: Int64 = 32 << 20,
            maximumCSVBytes: Int64 = 4 << 30
        ) {
            self.root = root
            self.defaultPolicy = defaultPolicy
            self.maximumFileBytes = maximumFileBytes
            self.maximumCSVBytes = maximumCSVBytes
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
                    let walker = FolderWalker(configuration: configuration)
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

    /// Reads the file, refusing links, non-regular files, files over the size limit and files
    /// that changed since they were listed (the next sync picks those up). A large CSV file is
    /// streamed rather than read whole.
    public func content(of item: SourceItem) async throws -> SourceContent {
        let isCSV = item.contentType == .csv
        let limit = isCSV ? configuration.maximumCSVBytes : configuration.maximumFileBytes
        let reader = NoFollowFileReader(root: configuration.root, maximumBytes: limit)
        do {
            // The stamp is checked before anything is read: a file that grew since the listing is
            // never read into memory on the strength of its listed size.
            let file = try reader.openFile(item.externalID)
            guard file.version == item.version else { throw ConnectorError.changedDuringSync(item.externalID) }
            if isCSV, file.size > configuration.streamingThreshold {
                return .stream(Self.stream(file, externalID: item.externalID))
            }
            return .data(try file.readAll())
        } catch let failure as NoFollowFileReader.Failure {
            throw Self.error(failure, externalID: item.externalID, limit: limit)
        }
    }

    /// The open file, a mebibyte at a time, up to the size it was opened with; a file that changes
    /// while it is read fails as changed.
    private static func stream(_ file: OpenFile, externalID: String) -> ContentStream {
        ContentStream(size: file.size) { sink in
            var buffer = Data(count: 1 << 20)
            var offset: Int64 = 0
            while offset < file.size {
                let wanted = Int(min(Int64(buffer.count), file.size - offset))
                let count = try buffer.withUnsafeMutableBytes { raw in
                    try file.read(into: UnsafeMutableRawBufferPointer(rebasing: raw[..<wanted]), at: offset)
                }
                if count == 0 { break }
                offset += Int64(count)
                try await sink(buffer.prefix(count))
            }
            guard offset == file.size, (try? file.status())?.version == file.version else {
                throw ConnectorError.changedDuringSync(externalID)
            }
        }
    }

    private static func error(_ failure: NoFollowFileReader.Failure, externalID: String, limit: Int64) -> ConnectorError
    {
        switch failure {
        case .missing: .unreadableFile(externalID, reason: "the file disappeared")
        case .notRegularFile: .unreadableFile(externalID, reason: "it is not a regular file (or is a link)")
        case .tooLarge(let size): .unreadableFile(externalID, reason: "it is \(size) bytes, over the limit of \(limit)")
        case .system(let reason): .unreadableFile(externalID, reason: reason)
        }
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

    func walk(_ yield: (SourceListing) -> Bool) throws {
        guard (try? FileStatus.of(linkAt: configuration.root))?.kind == .directory else {
            throw ConnectorError.rootNotFound(configuration.root)
        }
        guard let names = try? fileManager.contentsOfDirectory(atPath: configuration.root) else {
            throw ConnectorError.unreadableFolder(".", reason: "permission denied or I/O error")
        }
        _ = walkFolder(relative: "", names: names, inherited: .policy(configuration.defaultPolicy), yield)
    }

    /// Returns false when the consumer stopped listening.
    private func walkFolder(
        relative: String,
        names unsortedNames: [String],
        inherited: InheritedPolicy,
        _ yield: (SourceListing) -> Bool
    ) -> Bool {
        let folder = relative.isEmpty ? configuration.root : configuration.root + "/" + relative
        let names = unsortedNames.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
        // Names are compared as bytes: two spellings of "é" are two different files.
        let nameBytes = Set(names.map { Array($0.utf8) })

        var policy = inherited
        if nameBytes.contains(Array(AccessPolicyFile.folderFileName.utf8)) {
            let policyPath = folder + "/" + AccessPolicyFile.folderFileName
            policy = readPolicy(atPath: policyPath, displayName: join(relative, AccessPolicyFile.folderFileName))
        }

        for name in names where !name.hasPrefix(".") {
            let path = folder + "/" + name
            let relativePath = join(relative, name)
            let status: FileStatus
            do {
                status = try FileStatus.of(linkAt: path)
            } catch {
                if case .missing = error { continue }  // deleted while we walk
                guard yield(.unavailable(path: relativePath, reason: "cannot read its attributes")) else {
                    return false
                }
                continue
            }
            switch status.kind {
            case .directory:
                guard let children = try? fileManager.contentsOfDirectory(atPath: path) else {
                    guard yield(.unavailable(path: relativePath, reason: "cannot list the folder")) else {
                        return false
                    }
                    continue
                }
                guard walkFolder(relative: relativePath, names: children, inherited: policy, yield) else {
                    return false
                }
            case .regular:
                if name.utf8.count > AccessPolicyFile.sidecarSuffix.utf8.count,
                    name.hasSuffix(AccessPolicyFile.sidecarSuffix)
                {
                    let target = Array(name.utf8.dropLast(AccessPolicyFile.sidecarSuffix.utf8.count))
                    if !nameBytes.contains(target) {
                        let entry = SourceListing.failure(
                            externalID: relativePath,
                            reason: "the access policy \(relativePath) names no file; was its file renamed?"
                        )
                        guard yield(entry) else { return false }
                    }
                    continue
                }
                guard let contentType = ContentType(fileExtension: (name as NSString).pathExtension) else { continue }
                let hasSidecar = nameBytes.contains(Array((name + AccessPolicyFile.sidecarSuffix).utf8))
                let entry = listing(
                    relativePath: relativePath,
                    path: path,
                    contentType: contentType,
                    status: status,
                    folderPolicy: policy,
                    hasSidecar: hasSidecar
                )
                guard yield(entry) else { return false }
            case .other:
                continue  // symbolic links, sockets, devices
            }
        }
        return true
    }

    private func listing(
        relativePath: String,
        path: String,
        contentType: ContentType,
        status: FileStatus,
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
            return .item(
                SourceItem(
                    externalID: relativePath,
                    uri: URL(fileURLWithPath: path).absoluteString,
                    version: status.version,
                    contentType: contentType,
                    size: status.size,
                    policy: accessPolicy
                )
            )
        }
    }

    private func readPolicy(atPath path: String, displayName: String) -> InheritedPolicy {
        guard (try? FileStatus.of(linkAt: path))?.kind == .regular, let data = fileManager.contents(atPath: path) else {
            return .broken("the access policy \(displayName) cannot be read (or is not a regular file)")
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
