import Foundation
import Logging
import QuarryConnectors
import QuarryCore
import QuarryIngest
import QuarryStore
import QuarryTesting
import Testing

/// The sample handbook in a real S3 API server (moto), synced through a connector definition and
/// asked about through the chat API: permissions from object metadata and sidecar objects.
@Suite(.timeLimit(.minutes(3)))
struct S3SyncTests {
    let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

    /// Uploads the handbook: folder policies become object metadata, sidecar files stay sidecar objects.
    private func upload(to client: S3Client) async throws -> Int {
        let root = SampleCorpus.handbook
        var documents = 0
        for path in try FileManager.default.subpathsOfDirectory(atPath: root).sorted() {
            var isDirectory: ObjCBool = false
            FileManager.default.fileExists(atPath: root + "/" + path, isDirectory: &isDirectory)
            guard !isDirectory.boolValue, !path.hasSuffix(".quarry-acl.json") else { continue }
            let hasSidecar = FileManager.default.fileExists(atPath: root + "/" + path + ".acl.json")
            let readers: String? =
                path.hasSuffix(".acl.json") || hasSidecar
                ? nil
                : path.hasPrefix("hr/")
                    ? "group:hr"
                    : path.hasPrefix("engineering/") ? "group:engineering" : "everyone"
            let data = try Data(contentsOf: URL(fileURLWithPath: root + "/" + path))
            try await client.putObject(
                "handbook/" + path,
                data: data,
                contentType: nil,
                metadata: readers.map { [S3Connector.readersMetadataName: $0] } ?? [:]
            )
            if !path.hasSuffix(".acl.json") { documents += 1 }
        }
        return documents
    }

    @Test func aBucketIsSyncedWithItsPoliciesAndThenIncrementally() async throws {
        let server = try await MotoServer.start()
        defer { server.stop() }
        let client = try S3Client(
            configuration: .init(endpoint: server.endpoint, bucket: "northwind"),
            credentials: S3Credentials(accessKeyID: "AKIDMOTO", secretAccessKey: "moto-secret")
        )
        try await client.createBucket()
        let documents = try await upload(to: client)

        let installation = try await DemoInstallation.make(indexCorpus: false)
        let yaml = """
            name: bucket
            type: s3
            endpoint: \(server.endpoint)
            region: us-east-1
            bucket: northwind
            prefix: handbook/
            addressing: path
            access_key_id: AKIDMOTO
            secret_access_key: env:QUARRY_TEST_S3_SECRET
            """
        setenv("QUARRY_TEST_S3_SECRET", "moto-secret", 1)
        try await installation.store.saveConnector(
            ConnectorDefinition(configuration: try ConfigValue.parse(yaml: yaml))
        )
        let engine = SyncEngine(store: installation.store, logger: logger)

        let first = try await engine.sync(connectorName: "bucket")
        #expect(first.counts.summaryLine == "added=\(documents) updated=0 unchanged=0 deleted=0 failed=0")

        try await withAPI(installation) { api in
            let carol = try await api.ask("What is the L4 salary band for engineers?", as: "carol")
            #expect(!carol.text.contains("£62,000"))
            let bob = try await api.ask("What is the L4 salary band for engineers?", as: "bob")
            #expect(bob.text.contains("£62,000"))
            #expect(bob.citations.contains { $0["uri"] as? String == "s3://northwind/handbook/hr/salary-bands.md" })
            // The offsite notes' sidecar object narrows them to the leadership group and admin.
            let kestrel = try await api.ask("What is Project Kestrel?", as: "alice")
            #expect(!kestrel.text.contains("vision-based picking"))
        }

        // Nothing changed: nothing is fetched or extracted again.
        let second = try await engine.sync(connectorName: "bucket")
        #expect(second.counts.summaryLine == "added=0 updated=0 unchanged=\(documents) deleted=0 failed=0")

        // An object deleted, one narrowed by its metadata: the next sync removes and restricts.
        try await client.deleteObject("handbook/company/office-guide.md")
        let expenses = try Data(
            contentsOf: URL(fileURLWithPath: SampleCorpus.handbook + "/company/expenses-and-travel.md")
        )
        try await client.putObject(
            "handbook/company/expenses-and-travel.md",
            data: expenses,
            contentType: nil,
            metadata: [S3Connector.readersMetadataName: "group:finance"]
        )
        let third = try await engine.sync(connectorName: "bucket")
        #expect(third.counts.deleted == 1)
        #expect(third.counts.updated == 1)
        try await withAPI(installation) { api in
            let hotel = try await api.ask("What is the hotel cap per night in London?", as: "carol")
            #expect(!hotel.text.contains("£220"))
        }
    }
}
