extension AsyncThrowingStream where Failure == any Error, Element: Sendable {
    /// A stream whose elements `produce` sends from a task of its own: the stream finishes when
    /// `produce` returns, with its error when it throws, and the task is cancelled when whoever
    /// reads the stream stops.
    ///
    /// ```swift
    /// AsyncThrowingStream.producing { send in
    ///     for piece in try await pieces() { send(piece) }
    /// }
    /// ```
    public static func producing(
        _ produce: @escaping @Sendable (_ send: @escaping @Sendable (Element) -> Void) async throws -> Void
    ) -> Self {
        AsyncThrowingStream { continuation in
            let task = Task {
                do {
                    try await produce { continuation.yield($0) }
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }
}
