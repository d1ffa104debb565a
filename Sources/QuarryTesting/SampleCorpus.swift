import Foundation

/// The sample handbook shipped under `connectors/samples/handbook`, found from this source file.
public enum SampleCorpus {
    /// The repository's root folder.
    public static let repositoryRoot: String = {
        var url = URL(fileURLWithPath: #filePath)
        for _ in 0..<3 { url.deleteLastPathComponent() }  // QuarryTesting, Sources, root
        return url.path
    }()

    /// The handbook's folder.
    public static var handbook: String { repositoryRoot + "/connectors/samples/handbook" }

    /// Copies the handbook into `directory/handbook` (for tests that edit it) and returns the copy's path.
    public static func copy(into directory: TemporaryDirectory) throws -> String {
        let destination = directory.file("handbook")
        try FileManager.default.copyItem(atPath: handbook, toPath: destination)
        return destination
    }
}
