import Foundation
public import Logging

/// A log handler that keeps every line (message and metadata, rendered), for tests that check what
/// is logged and what never is.
///
/// ```swift
/// let log = LogRecorder()
/// let logger = Logger(label: "test") { _ in log.handler() }
/// … // then
/// #expect(!log.text.contains("sk-secret"))
/// ```
// @unchecked Sendable: `lines` is guarded by `lock`.
public final class LogRecorder: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []

    /// An empty recorder.
    public init() {}

    /// Every line so far, joined by newlines.
    public var text: String {
        lock.lock()
        defer { lock.unlock() }
        return lines.joined(separator: "\n")
    }

    /// A handler writing to this recorder.
    public func handler() -> some LogHandler { Handler(recorder: self) }

    fileprivate func append(_ line: String) {
        lock.lock()
        lines.append(line)
        lock.unlock()
    }

    private struct Handler: LogHandler {
        let recorder: LogRecorder
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace

        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }

        func log(event: LogEvent) {
            let all = metadata.merging(event.metadata ?? [:]) { _, new in new }
            let rendered = all.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
            recorder.append("\(event.level) \(event.message) \(rendered)")
        }
    }
}
