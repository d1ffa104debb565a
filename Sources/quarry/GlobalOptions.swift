import ArgumentParser
import Foundation
import Logging
import QuarryStore

/// Options every command takes.
struct GlobalOptions: ParsableArguments {
    @Option(
        name: .customLong("data-dir"),
        help: ArgumentHelp("Where Quarry keeps its database.", valueName: "path")
    )
    var dataDirectory: String = ProcessInfo.processInfo.environment["QUARRY_DATA_DIR"] ?? "./quarry-data"

    @Option(help: "Log level: trace, debug, info, notice, warning, error or critical.")
    var logLevel: String?

    /// Opens the store in the data directory, bringing its schema up to date.
    func openStore() throws -> Store {
        do {
            return try Store(directory: dataDirectory)
        } catch {
            throw CLIError("cannot open the database in \(dataDirectory): \(error)")
        }
    }

    /// Sets up logging to standard error, at `defaultLevel` unless `--log-level` or `LOG_LEVEL` says otherwise.
    func makeLogger(defaultLevel: Logger.Level) throws -> Logger {
        let text = logLevel ?? ProcessInfo.processInfo.environment["LOG_LEVEL"]
        var level = defaultLevel
        if let text {
            guard let parsed = Logger.Level(rawValue: text.lowercased()) else {
                throw ValidationError("unknown log level \"\(text)\"")
            }
            level = parsed
        }
        LoggingBootstrap.once(level: level)
        var logger = Logger(label: "quarry")
        logger.logLevel = level
        return logger
    }
}

/// Installs the stderr log handler once per process.
enum LoggingBootstrap {
    nonisolated(unsafe) private static var done = false  // only touched from the main command's start

    static func once(level: Logger.Level) {
        guard !done else { return }
        done = true
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
    }
}

/// A failure to report to the user, as one line on standard error, with exit code 1.
struct CLIError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
