import Foundation
import QuarryConnectors
import QuarryCore
import QuarryTesting
import Testing

struct FileSystemConnectorTests {
    private func list(_ root: String, defaultPolicy: AccessPolicy = .adminsOnly) async throws -> [SourceListing] {
        let connector = FileSystemConnector(
            name: "test",
            configuration: .init(root: root, defaultPolicy: defaultPolicy)
        )
        var entries: [SourceListing] = []
        for try await entry in connector.listing() { entries.append(entry) }
        return entries
    }

    private func policies(_ entries: [SourceListing]) -> [String: [String]] {
        var result: [String: [String]] = [:]
        for case .item(let item) in entries { result[item.externalID] = item.policy.readerKeys }
        return result
    }

    @Test func folderPoliciesAreInheritedAndTheNearestWins() async throws {
        let root = try TemporaryDirectory()
        try root.write(".quarry-acl.json", #"{"readers": ["everyone"]}"#)
        try root.write("welcome.md", "# Welcome\n\nHello.")
        try root.write("hr/.quarry-acl.json", #"{"readers": ["group:hr"]}"#)
        try root.write("hr/salary.md", "# Salary\n\nBands.")
        try root.write("hr/cases/case-1.txt", "A case.")
        try root.write("hr/cases/.quarry-acl.json", #"{"readers": ["group:hr-cases", "user:dana"]}"#)
        try root.write("hr/cases/case-2.md", "# Case 2\n\nText.")

        let found = policies(try await list(root.path))
        #expect(
            found == [
                "welcome.md": ["everyone"],
                "hr/salary.md": ["group:hr"],
                "hr/cases/case-1.txt": ["group:hr-cases", "user:dana"],
                "hr/cases/case-2.md": ["group:hr-cases", "user:dana"],
            ]
        )
    }

    @Test func aSidecarOverridesItsFolderAndIsNotItselfADocument() async throws {
        let root = try TemporaryDirectory()
        try root.write(".quarry-acl.json", #"{"readers": ["everyone"]}"#)
        try root.write("offsite.md", "# Offsite\n\nKestrel.")
        try root.write("offsite.md.acl.json", #"{"readers": ["group:leadership", "user:admin"]}"#)
        let found = policies(try await list(root.path))
        #expect(found == ["offsite.md": ["group:leadership", "user:admin"]])
    }

    @Test func filesWithoutAPolicyGetTheConnectorsDefault() async throws {
        let root = try TemporaryDirectory()
        try root.write("notes.txt", "Some notes.")
        #expect(policies(try await list(root.path)) == ["notes.txt": []])
        #expect(policies(try await list(root.path, defaultPolicy: .everyone)) == ["notes.txt": ["everyone"]])
    }

    @Test func aBrokenPolicyFailsEveryDocumentItGovernsInsteadOfWideningAccess() async throws {
        let root = try TemporaryDirectory()
        try root.write(".quarry-acl.json", #"{"readers": ["everyone"]}"#)
        try root.write("public.md", "# Public\n\nText.")
        try root.write("hr/.quarry-acl.json", #"{"readers": ["group:hr""#)  // truncated: invalid JSON
        try root.write("hr/salary.md", "# Salary\n\nBands.")
        try root.write("ops/plan.md", "# Plan\n\nText.")
        try root.write("ops/plan.md.acl.json", #"{"readers": ["team:ops"]}"#)

        let entries = try await list(root.path)
        #expect(policies(entries) == ["public.md": ["everyone"]])
        let failures = entries.compactMap { entry -> String? in
            if case .failure(let id, let reason) = entry { return "\(id): \(reason)" }
            return nil
        }
        #expect(
            failures == [
                "hr/salary.md: the access policy hr/.quarry-acl.json is invalid: not valid JSON",
                "ops/plan.md: the access policy ops/plan.md.acl.json is invalid: invalid reader \"team:ops\": unknown kind \"team\"; expected user or group",
            ]
        )
    }

    @Test func hiddenFilesSymlinksAndUnknownFormatsAreSkipped() async throws {
        let root = try TemporaryDirectory()
        let outside = try TemporaryDirectory()
        try outside.write("secret.md", "# Secret\n\nOutside the root.")
        try root.write("doc.md", "# Doc\n\nText.")
        try root.write(".hidden.md", "# Hidden")
        try root.write(".git/config.txt", "git")
        try root.write("image.png", "not really a png")
        try FileManager.default.createSymbolicLink(
            atPath: root.file("link.md"),
            withDestinationPath: outside.file("secret.md")
        )
        try FileManager.default.createSymbolicLink(
            atPath: root.file("linked-folder"),
            withDestinationPath: outside.path
        )

        #expect(policies(try await list(root.path)).keys.sorted() == ["doc.md"])
    }

    @Test func versionsChangeWhenAFileChanges() async throws {
        let root = try TemporaryDirectory()
        try root.write("doc.md", "# Doc\n\nText.")
        let first = try await list(root.path)
        try root.write("doc.md", "# Doc\n\nLonger text now.")
        let second = try await list(root.path)
        guard case .item(let before) = first.first, case .item(let after) = second.first else {
            Issue.record("expected items")
            return
        }
        #expect(before.version != after.version)
        #expect(before.uri.hasPrefix("file:///"))
    }

    @Test func aMissingRootStopsTheListing() async throws {
        await #expect(throws: ConnectorError.rootNotFound("/nonexistent/quarry-root")) {
            _ = try await list("/nonexistent/quarry-root")
        }
    }

    @Test func policyFilesMustHaveOnlyAReadersList() {
        #expect(throws: AccessPolicyFileError.self) { try AccessPolicyFile.parse(Data(#"["everyone"]"#.utf8)) }
        #expect(throws: AccessPolicyFileError.self) {
            try AccessPolicyFile.parse(Data(#"{"reader": ["everyone"]}"#.utf8))
        }
        #expect(throws: AccessPolicyFileError.self) {
            try AccessPolicyFile.parse(Data(#"{"readers": "everyone"}"#.utf8))
        }
        #expect(throws: AccessPolicyFileError.self) { try AccessPolicyFile.parse(Data(#"{"readers": [1]}"#.utf8)) }
        #expect(throws: Never.self) { try AccessPolicyFile.parse(Data(#"{"readers": []}"#.utf8)) }
    }

    @Test func aFileSwappedForALinkAfterTheListingIsNotRead() async throws {
        let root = try TemporaryDirectory()
        let outside = try TemporaryDirectory()
        try outside.write("salary-bands.md", "# Salaries\n\nSecret figures.")
        try root.write("notes.md", "# Notes\n\nPublic notes.")
        try root.write("folder/inner.md", "# Inner\n\nText.")
        let connector = FileSystemConnector(
            name: "test",
            configuration: .init(root: root.path, defaultPolicy: .everyone)
        )
        var items: [SourceItem] = []
        for try await case .item(let item) in connector.listing() { items.append(item) }
        #expect(items.count == 2)

        // The file, then a folder on the path, are replaced by links after the listing.
        try root.remove("notes.md")
        try FileManager.default.createSymbolicLink(
            atPath: root.file("notes.md"),
            withDestinationPath: outside.file("salary-bands.md")
        )
        try FileManager.default.moveItem(atPath: root.file("folder"), toPath: outside.file("folder"))
        try FileManager.default.createSymbolicLink(
            atPath: root.file("folder"),
            withDestinationPath: outside.file("folder")
        )

        for item in items {
            await #expect(throws: ConnectorError.self) { _ = try await connector.content(of: item) }
        }
    }

    @Test func aFileChangedSinceItWasListedIsLeftForTheNextSync() async throws {
        let root = try TemporaryDirectory()
        try root.write("doc.md", "# Doc\n\nText.")
        let connector = FileSystemConnector(
            name: "test",
            configuration: .init(root: root.path, defaultPolicy: .everyone)
        )
        var items: [SourceItem] = []
        for try await case .item(let item) in connector.listing() { items.append(item) }
        try root.write("doc.md", "# Doc\n\nDifferent, longer text.")
        do {
            _ = try await connector.content(of: items[0])
            Issue.record("expected an error")
        } catch let error as ConnectorError {
            #expect(error.isTransient)
            #expect(error == .changedDuringSync("doc.md"))
        }
    }

    @Test func filesOverTheSizeLimitAreRefusedWithTheirSize() async throws {
        let root = try TemporaryDirectory()
        try root.write("big.txt", String(repeating: "a", count: 2000))
        let connector = FileSystemConnector(
            name: "test",
            configuration: .init(root: root.path, defaultPolicy: .everyone, maximumFileBytes: 1000)
        )
        var items: [SourceItem] = []
        for try await case .item(let item) in connector.listing() { items.append(item) }
        await #expect(
            throws: ConnectorError.unreadableFile("big.txt", reason: "it is 2000 bytes, over the limit of 1000")
        ) {
            _ = try await connector.content(of: items[0])
        }
    }

    @Test func aSidecarWhoseFileIsGoneIsReported() async throws {
        let root = try TemporaryDirectory()
        try root.write(".quarry-acl.json", #"{"readers": ["everyone"]}"#)
        try root.write("salaries-2026.md", "# Salaries\n\nFigures.")
        try root.write("salaries.md.acl.json", #"{"readers": ["group:hr"]}"#)
        let entries = try await list(root.path)
        #expect(policies(entries) == ["salaries-2026.md": ["everyone"]])
        #expect(
            entries.contains(
                .failure(
                    externalID: "salaries.md.acl.json",
                    reason: "the access policy salaries.md.acl.json names no file; was its file renamed?"
                )
            )
        )
    }

    @Test func namesThatDifferOnlyInUnicodeNormalisationAreDifferentFiles() async throws {
        let root = try TemporaryDirectory()
        let composed = "R\u{E9}sum\u{E9}.md"
        let decomposed = "Re\u{301}sume\u{301}.md"
        try root.write(".quarry-acl.json", #"{"readers": ["everyone"]}"#)
        try root.write(composed, "# CV\n\nConfidential.")
        try root.write(composed + ".acl.json", #"{"readers": ["group:hr"]}"#)
        try root.write(decomposed, "# CV\n\nPublic.")
        let entries = try await list(root.path)
        var found: [[UInt8]: [String]] = [:]
        for case .item(let item) in entries { found[Array(item.externalID.utf8)] = item.policy.readerKeys }
        #expect(found == [Array(composed.utf8): ["group:hr"], Array(decomposed.utf8): ["everyone"]])
    }
}
