import Foundation
import Logging
import QuarryConnectors
import QuarryCore
import QuarryIngest
import QuarryStore
import QuarryTesting
import Testing

/// A folder of broken, hostile and huge files beside good ones: each bad file fails alone, with a
/// reason that says what is wrong with it, and everything else is indexed.
struct BadInputSyncTests {
    let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
    let carol = AccessScope(userName: "carol", groups: [], isAdmin: false)

    /// A file of `size` bytes that takes no room on disk (the file system stores the hole).
    private func sparseFile(_ path: String, head: String, size: Int64) throws {
        FileManager.default.createFile(atPath: path, contents: Data(head.utf8))
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        try handle.truncate(atOffset: UInt64(size))
        try handle.close()
    }

    @Test func eachBadFileFailsAloneWithItsReason() async throws {
        let directory = try TemporaryDirectory()
        try directory.write("docs/.quarry-acl.json", #"{"readers": ["everyone"]}"#)
        try directory.write("docs/good.md", "# Parking\n\nVisitors park in bay 12.")
        try directory.write("docs/empty.pdf", "")
        try directory.write("docs/corrupt.pdf", "%PDF-1.7\n1 0 obj << /Type /Catalog >> garbage")
        try directory.write("docs/fake.csv", "\u{0}\u{0}\u{0}\u{1}PK binary")
        try directory.write("docs/script-only.html", "<html><body><script>alert(1)</script></body></html>")
        try directory.write("docs/offices.csv", "Office,Phone\nLeeds,+44 113 496 0000\n")
        // UTF-16 HTML with a byte order mark, and a page that declares a charset it does not use.
        let utf16 = Data([0xFF, 0xFE]) + "<p>Lockers open with your badge.</p>".data(using: .utf16LittleEndian)!
        try utf16.write(to: URL(fileURLWithPath: directory.file("docs/lockers.html")))
        try directory.write("docs/klingon.html", "<meta charset=\"x-klingon\"><p>The canteen opens at noon.</p>")
        try sparseFile(directory.file("docs/huge.pdf"), head: "%PDF-1.4\n", size: 200 << 20)
        try sparseFile(directory.file("docs/huge.csv"), head: "Project,Budget\n", size: 200 << 20)

        let store = try Store(directory: directory.file("data"))
        try await store.saveConnector(
            name: "docs",
            type: "filesystem",
            configuration: try ConnectorDefinition.filesystem(name: "docs", root: directory.file("docs")).encodedJSON()
        )
        let run = try await SyncEngine(store: store, logger: logger).sync(connectorName: "docs")
        #expect(run.counts.summaryLine == "added=4 updated=0 unchanged=0 deleted=0 failed=6")
        let reasons = Dictionary(uniqueKeysWithValues: run.failures.map { ($0.externalID, $0.reason) })
        #expect(reasons["empty.pdf"] == "the content could not be read: the PDF is empty (0 bytes)")
        #expect(reasons["corrupt.pdf"]?.hasPrefix("the content could not be read: the PDF is damaged") == true)
        #expect(reasons["fake.csv"] == "the file looks like binary data, not text")
        #expect(reasons["script-only.html"] == "no text could be extracted")
        #expect(reasons["huge.pdf"] == "cannot read huge.pdf: it is 209715200 bytes, over the limit of 33554432")
        #expect(reasons["huge.csv"] == "the file looks like binary data, not text")
        #expect(
            run.warnings == [
                SyncWarning(
                    externalID: "klingon.html",
                    message: "the page declares an unknown character set \"x-klingon\""
                )
            ]
        )

        for (word, document) in [
            ("bay", "good.md"), ("Leeds", "offices.csv"), ("badge", "lockers.html"), ("canteen", "klingon.html"),
        ] {
            let hits = try await store.searchPassages(matching: "\"\(word)\"", scope: carol, limit: 5)
            #expect(hits.map(\.documentURI).contains { $0.hasSuffix("/" + document) }, "\(word)")
        }
        let spooled = (try? FileManager.default.subpathsOfDirectory(atPath: directory.file("data/spool"))) ?? []
        #expect(spooled.isEmpty, "spooled files are removed")
    }
}
