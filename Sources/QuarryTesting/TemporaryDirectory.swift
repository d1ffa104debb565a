import Foundation

/// A fresh directory under the system's temporary folder, removed when the value is deinitialised.
public final class TemporaryDirectory: Sendable {
    /// The directory's absolute path.
    public let path: String

    /// Creates the directory; `prefix` helps tell test leftovers apart.
    public init(prefix: String = "quarry-test") throws {
        let base = URL(fileURLWithPath: NSTemporaryDirectory())
        let url = base.appendingPathComponent("\(prefix)-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        path = url.path
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }

    /// The path of `relative` inside the directory.
    public func file(_ relative: String) -> String {
        path + "/" + relative
    }

    /// Writes `contents` to `relative`, creating folders as needed.
    public func write(_ relative: String, _ contents: String) throws {
        let url = URL(fileURLWithPath: file(relative))
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(contents.utf8).write(to: url)
    }

    /// Removes `relative`.
    public func remove(_ relative: String) throws {
        try FileManager.default.removeItem(atPath: file(relative))
    }
}
