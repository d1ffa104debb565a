import Foundation
import QuarryStore

#if canImport(Glibc)
import Glibc
#endif

/// This process's claim on a connector while it syncs it: one run per connector at a time, across
/// every Quarry process sharing the data directory.
///
/// The lease lasts ``duration`` and is renewed every ``renewalInterval`` while the run goes on. A
/// process killed mid-sync leaves a lease that lapses on its own; a lease held by a process of this
/// host that no longer exists is taken over at once, and its run is recorded as interrupted.
struct SyncLeaseHolder: Sendable {
    static let duration: TimeInterval = 60
    static let renewalInterval: Duration = .seconds(20)

    /// `host:pid:nonce`.
    let identity: String
    let store: Store
    let connectorID: Int64

    init(store: Store, connectorID: Int64) {
        self.store = store
        self.connectorID = connectorID
        identity = "\(Self.hostName):\(getpid()):\(UUID().uuidString.prefix(8).lowercased())"
    }

    /// Takes the lease, or throws ``SyncError/alreadyRunning(connector:holder:)``.
    func acquire(connectorName: String) async throws {
        guard
            let standing = try await store.acquireSyncLease(
                connectorID: connectorID,
                holder: identity,
                duration: Self.duration
            )
        else { return }
        if Self.isDeadLocalProcess(standing.holder),
            try await store.acquireSyncLease(
                connectorID: connectorID,
                holder: identity,
                duration: Self.duration,
                breaking: standing.holder
            ) == nil
        {
            try await store.abandonRunningSyncRuns(
                connectorID: connectorID,
                reason: "interrupted: the process running it (\(standing.holder)) stopped"
            )
            return
        }
        throw SyncError.alreadyRunning(connector: connectorName, holder: standing.holder)
    }

    /// Renews the lease until cancelled.
    func keepAlive() async {
        while !Task.isCancelled {
            try? await Task.sleep(for: Self.renewalInterval)
            if Task.isCancelled { return }
            _ = try? await store.renewSyncLease(connectorID: connectorID, holder: identity, duration: Self.duration)
        }
    }

    /// Gives the lease up (also when the run was cancelled).
    func release() async {
        let store = store
        let connectorID = connectorID
        let identity = identity
        await Task { try? await store.releaseSyncLease(connectorID: connectorID, holder: identity) }.value
    }

    private static let hostName: String = {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count) == 0 else { return "unknown" }
        return String(decoding: buffer.prefix(while: { $0 != 0 }).map(UInt8.init(bitPattern:)), as: UTF8.self)
    }()

    /// Whether `holder` names a process of this host that no longer exists.
    private static func isDeadLocalProcess(_ holder: String) -> Bool {
        let parts = holder.split(separator: ":")
        guard parts.count == 3, String(parts[0]) == hostName, let pid = pid_t(parts[1]) else { return false }
        return kill(pid, 0) != 0 && errno == ESRCH
    }
}

/// A sync that cannot start or go on.
public struct SyncError: Error, Equatable, Sendable, CustomStringConvertible {
    private enum Code: Equatable, Sendable {
        case alreadyRunning(String, String)
    }

    private let code: Code

    /// Another run of this connector holds its lease.
    public static func alreadyRunning(connector: String, holder: String) -> SyncError {
        SyncError(code: .alreadyRunning(connector, holder))
    }

    /// Whether the error means another run is in progress.
    public var isAlreadyRunning: Bool {
        if case .alreadyRunning = code { return true }
        return false
    }

    public var description: String {
        switch code {
        case .alreadyRunning(let connector, let holder):
            "the connector \"\(connector)\" is already being synced (by \(holder)); wait for that run to finish"
        }
    }
}
