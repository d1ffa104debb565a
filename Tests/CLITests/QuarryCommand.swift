import Foundation
import QuarryTesting
import Testing

/// Runs the built `quarry` binary as a user would, capturing what it prints.
struct QuarryCommand {
    struct Result {
        let status: Int32
        let output: String
        let errors: String
        var lines: [String] { output.split(separator: "\n").map(String.init) }
    }

    /// The binary built next to the tests (`swift build` builds it with them).
    static let binary: String = {
        let candidates = [
            SampleCorpus.repositoryRoot + "/.build/debug/quarry",
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("quarry")
                .path,
        ]
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) } ?? candidates[0]
    }()

    let dataDirectory: String
    /// The environment the command runs in: the test's own, with embeddings off unless a test
    /// turns them on (the model is tested through them in `EmbeddingCommandTests`).
    var environment = QuarryCommand.keywordOnlyEnvironment

    /// The test process's environment with `QUARRY_EMBEDDINGS=off`.
    static var keywordOnlyEnvironment: [String: String] {
        ProcessInfo.processInfo.environment.merging(["QUARRY_EMBEDDINGS": "off"]) { _, new in new }
    }

    func run(_ arguments: String...) throws -> Result {
        try run(arguments)
    }

    func run(_ arguments: [String]) throws -> Result {
        guard FileManager.default.isExecutableFile(atPath: Self.binary) else {
            throw CommandError(message: "\(Self.binary) is missing; build it with `swift build` first")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.binary)
        process.arguments = arguments + ["--data-dir", dataDirectory]
        process.environment = environment
        let output = Pipe()
        let errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        let errorData = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus,
            output: String(decoding: outputData, as: UTF8.self),
            errors: String(decoding: errorData, as: UTF8.self)
        )
    }

    struct CommandError: Error, CustomStringConvertible {
        let message: String
        var description: String { message }
    }
}
