public import Foundation

/// Runs a program to completion and captures its output; for test helpers written in Python.
public enum TestProcess {
    /// What a finished program left.
    public struct Output: Sendable {
        /// The exit status.
        public var status: Int32
        /// Everything written to standard output.
        public var standardOutput: Data
        /// Everything written to standard error, as text.
        public var standardError: String
    }

    /// The project's Python (`<repo>/.venv/bin/python`, made by `scripts/setup.sh`).
    public static var venvPython: String { SampleCorpus.repositoryRoot + "/.venv/bin/python" }

    /// Runs `executable` with `arguments` and waits for it, killing it after `timeout`.
    ///
    /// - Throws: when the program cannot be started or outlives the timeout.
    public static func run(
        _ executable: String,
        _ arguments: [String],
        timeout: Duration = .seconds(60)
    ) async throws
        -> Output
    {
        let directory = try TemporaryDirectory(prefix: "quarry-process")
        let outputPath = directory.file("stdout")
        let errorPath = directory.file("stderr")
        _ = FileManager.default.createFile(atPath: outputPath, contents: nil)
        _ = FileManager.default.createFile(atPath: errorPath, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = try FileHandle(forWritingTo: URL(fileURLWithPath: outputPath))
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: errorPath))
        try process.run()
        let started = ContinuousClock.now
        while process.isRunning {
            if ContinuousClock.now - started > timeout {
                process.terminate()
                process.waitUntilExit()
                throw TestProcessError(description: "\(executable) did not finish within \(timeout)")
            }
            try await Task.sleep(for: .milliseconds(20))
        }
        return Output(
            status: process.terminationStatus,
            standardOutput: FileManager.default.contents(atPath: outputPath) ?? Data(),
            standardError: String(decoding: FileManager.default.contents(atPath: errorPath) ?? Data(), as: UTF8.self)
        )
    }
}

/// A test helper process failed.
public struct TestProcessError: Error, CustomStringConvertible {
    public let description: String

    /// Creates an error.
    public init(description: String) {
        self.description = description
    }
}
