import Foundation
import QuarryCore
import QuarryStore
import QuarryTesting
import Testing

/// A sync killed with SIGKILL in the middle, then run again, ends with exactly the source's documents.
struct KilledSyncTests {
    @Test func aSyncKilledMidwayIsCompletedByTheNextOneWithNothingDuplicatedOrHalfIndexed() async throws {
        let directory = try TemporaryDirectory()
        let count = 1500
        for index in 0..<count {
            let body =
                (0..<12).map { "Paragraph \($0) of document \(index) explains procedure \(index * 7 + $0)." }
                + ["The closing code of this document is qz\(index)end."]
            try directory.write(
                "corpus/section-\(index % 15)/doc-\(index).md",
                "# Document \(index)\n\n" + body.joined(separator: "\n\n")
            )
        }
        let quarry = QuarryCommand(dataDirectory: directory.file("data"))

        // Start a sync and kill it once a few hundred documents are in.
        let process = Process()
        process.executableURL = URL(fileURLWithPath: QuarryCommand.binary)
        process.environment = QuarryCommand.keywordOnlyEnvironment
        process.arguments = [
            "sync", directory.file("corpus"), "--connector", "big", "--data-dir", directory.file("data"),
        ]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        var added = 0
        var buffer = Data()
        while added < 300, process.isRunning {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            buffer.append(chunk)
            added = String(decoding: buffer, as: UTF8.self).components(separatedBy: "  added ").count - 1
        }
        #expect(process.isRunning, "the sync should still be running when it is killed")
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal)

        // The next sync takes over the dead process's lease and completes the index.
        let again = try quarry.run("sync", "--connector", "big")
        #expect(again.status == 0, "\(again.errors)")
        let summary = try #require(again.lines.last)
        #expect(summary.hasSuffix("deleted=0 failed=0"))

        let store = try Store(directory: directory.file("data"))
        let documents = try await store.documents(connectorName: "big")
        #expect(documents.count == count)
        #expect(Set(documents.map(\.externalID)).count == count, "no document twice")
        #expect(documents.allSatisfy { $0.passageCount >= 1 }, "no document without its passages")
        // Every document's passages are all there and searchable: each ends with a code no other has.
        let admin = AccessScope(userName: "admin", groups: [], isAdmin: true)
        for index in stride(from: 0, to: count, by: 97) {
            let hits = try await store.searchPassages(matching: "\"qz\(index)end\"", scope: admin, limit: 5)
            #expect(hits.map(\.documentTitle) == ["Document \(index)"], "document \(index) is complete")
        }
        let runs = try await store.syncRuns(connectorName: "big")
        #expect(runs.first?.status == .succeeded)
        #expect(runs.dropFirst().first?.status == .failed)
        #expect(runs.dropFirst().first?.error?.hasPrefix("interrupted") == true)
    }
}
