/// Settings of the HTTP server, each with a default.
public struct ServerConfiguration: Sendable, Hashable {
    /// The address to listen on. The default serves this machine only.
    public var host: String
    /// The port to listen on; 0 picks a free one.
    public var port: Int
    /// Request bodies larger than this are refused with 413.
    public var maximumBodyBytes: Int
    /// Whether connectors with a `schedule` are synced by this server on their own.
    public var runsScheduledSyncs: Bool
    /// How long guardrail decisions are kept in the audit (`nil`: for ever). The default is a year.
    public var auditRetention: Duration?

    /// Creates a configuration.
    public init(
        host: String = "127.0.0.1",
        port: Int = 8080,
        maximumBodyBytes: Int = 1 << 20,
        runsScheduledSyncs: Bool = true,
        auditRetention: Duration? = .seconds(365 * 86_400)
    ) {
        self.host = host
        self.port = port
        self.maximumBodyBytes = maximumBodyBytes
        self.runsScheduledSyncs = runsScheduledSyncs
        self.auditRetention = auditRetention
    }
}
