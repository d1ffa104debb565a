/// A connector could not list or fetch documents.
public struct ConnectorError: Error, Equatable, Sendable, CustomStringConvertible {
    private enum Code: Equatable, Sendable {
        case rootNotFound(String)
        case unreadableFolder(String, String)
        case unreadableFile(String, String)
        case invalidConfiguration(String)
        case changedDuringSync(String)
        case temporarilyUnavailable(String, String)
    }

    private let code: Code

    /// The folder a filesystem connector is pointed at does not exist or is not a folder.
    public static func rootNotFound(_ path: String) -> ConnectorError {
        ConnectorError(code: .rootNotFound(path))
    }

    /// A folder below the root could not be listed; the sync stops so that nothing under it is taken for deleted.
    public static func unreadableFolder(_ path: String, reason: String) -> ConnectorError {
        ConnectorError(code: .unreadableFolder(path, reason))
    }

    /// A listed file could not be read.
    public static func unreadableFile(_ path: String, reason: String) -> ConnectorError {
        ConnectorError(code: .unreadableFile(path, reason))
    }

    /// A document changed between the listing and the read; the next sync will pick it up.
    public static func changedDuringSync(_ path: String) -> ConnectorError {
        ConnectorError(code: .changedDuringSync(path))
    }

    /// Whether the error says nothing about the document itself, only about this moment, so the
    /// indexed copy should be kept rather than withdrawn.
    public var isTransient: Bool {
        switch code {
        case .changedDuringSync, .temporarilyUnavailable: true
        default: false
        }
    }

    /// A document could not be fetched this time (server errors, throttling, timeouts after
    /// retries); the indexed copy is kept and the next sync tries again.
    public static func temporarilyUnavailable(_ path: String, reason: String) -> ConnectorError {
        ConnectorError(code: .temporarilyUnavailable(path, reason))
    }

    /// The connector's configuration is not usable.
    public static func invalidConfiguration(_ message: String) -> ConnectorError {
        ConnectorError(code: .invalidConfiguration(message))
    }

    public var description: String {
        switch code {
        case .rootNotFound(let path): "the folder \(path) does not exist or is not a folder"
        case .unreadableFolder(let path, let reason): "cannot list the folder \(path): \(reason)"
        case .unreadableFile(let path, let reason): "cannot read \(path): \(reason)"
        case .invalidConfiguration(let message): "invalid connector configuration: \(message)"
        case .changedDuringSync(let path): "\(path) changed while it was being synced; the next sync will index it"
        case .temporarilyUnavailable(let path, let reason):
            "\(path) could not be fetched this time (\(reason)); the indexed copy is kept"
        }
    }
}
