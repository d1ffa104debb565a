import Foundation
import QuarryConnectors
import QuarryCore

/// A connector that lists and returns what a test scripts.
///
/// Used only for faults a real source cannot be made to produce here: a folder that cannot be
/// listed (the tests run as root, whom permissions do not stop), a file that changes between
/// listing and reading at an exact moment, and a listing that hangs until cancelled.
struct ScriptedConnector: Connector {
    let name: String
    let entries: [SourceListing]
    let contents: [String: String]
    var changedDuringSync: Set<String> = []
    /// When set, the listing stops after this many entries and waits to be cancelled.
    var hangAfter: Int?

    func listing() -> AsyncThrowingStream<SourceListing, any Error> {
        let entries = entries
        let hangAfter = hangAfter
        return AsyncThrowingStream { continuation in
            let task = Task {
                for (index, entry) in entries.enumerated() {
                    if index == hangAfter {
                        try? await Task.sleep(for: .seconds(3600))
                        continuation.finish()
                        return
                    }
                    continuation.yield(entry)
                }
                continuation.finish()
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    func content(of item: SourceItem) async throws -> SourceContent {
        if changedDuringSync.contains(item.externalID) {
            throw ConnectorError.changedDuringSync(item.externalID)
        }
        return .data(Data((contents[item.externalID] ?? "").utf8))
    }

    static func item(_ id: String, version: String = "1", policy: AccessPolicy = .everyone) -> SourceListing {
        .item(
            SourceItem(externalID: id, uri: "test:///\(id)", version: version, contentType: .markdown, policy: policy)
        )
    }
}
