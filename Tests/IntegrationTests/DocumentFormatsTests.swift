import Foundation
import Logging
import QuarryConnectors
import QuarryCore
import QuarryIngest
import QuarryStore
import QuarryTesting
import Testing

/// HTML, PDF and CSV documents in a real S3 API server (moto), synced and asked about through the
/// chat API: answers cite the table row, the PDF page and the HTML section they come from.
@Suite(.timeLimit(.minutes(5)))
struct DocumentFormatsTests {
    let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })

    /// A CSV export over the connector's 8 MiB streaming threshold: about 60,000 projects.
    static func projectsCSV() -> Data {
        var csv = "Project,Budget,Owner,Status,Notes\r\n"
        csv += "Apollo,\"£1,250,000\",Dana Whitfield,Active,\"Warehouse robotics pilot; phase 2 starts in March\"\r\n"
        var index = 0
        while csv.utf8.count < 9 << 20 {
            csv +=
                "PRJ-\(index),\(10_000 + index * 7),Owner \(index % 113),Closed,\"Routine maintenance batch \(index)\"\r\n"
            index += 1
        }
        csv += "Hermes,\"£310,000\",Eli Moreno,Paused,\"Courier app rewrite, waiting for the new API\"\r\n"
        return Data(csv.utf8)
    }

    static let officesHTML = """
        <!DOCTYPE html><html lang="en"><head><meta charset="windows-1252"><title>Offices — Northwind intranet</title></head>
        <body><nav><a href="/">Home</a> <a href="/people">People</a></nav>
        <main><h1>Offices</h1><p>Northwind has three offices. Visitors sign in at reception.</p>
        <h2>Contact numbers</h2>
        <table><thead><tr><th>Office</th><th>City</th><th>Reception phone</th></tr></thead>
        <tbody><tr><td>Head office</td><td>Leeds</td><td>+44 113 496 0000</td></tr>
        <tr><td>Engineering</td><td>Z\u{FC}rich</td><td>+41 44 668 1800</td></tr></tbody></table>
        </main><footer>Intranet team</footer></body></html>
        """

    @Test func rowsPagesAndSectionsAreCitedFromABucket() async throws {
        let server = try await MotoServer.start()
        defer { server.stop() }
        let client = try S3Client(
            configuration: .init(endpoint: server.endpoint, bucket: "exports"),
            credentials: S3Credentials(accessKeyID: "AKIDMOTO", secretAccessKey: "moto-secret")
        )
        try await client.createBucket()
        let everyone = [S3Connector.readersMetadataName: "everyone"]
        try await client.putObject("finance/projects.csv", data: Self.projectsCSV(), metadata: everyone)
        // The page is stored in windows-1252, as its meta tag says.
        try await client.putObject(
            "intranet/offices.html",
            data: Self.officesHTML.data(using: .windowsCP1252)!,
            metadata: everyone
        )
        let pdf = try Data(contentsOf: URL(fileURLWithPath: "/usr/share/developers-reference/developers-reference.pdf"))
        try await client.putObject("manuals/developers-reference.pdf", data: pdf, metadata: everyone)
        try await client.putObject("broken/report.pdf", data: Data("%PDF-1.7 cut short".utf8), metadata: everyone)

        let installation = try await DemoInstallation.make(indexCorpus: false)
        try await installation.store.saveConnector(
            ConnectorDefinition(
                configuration: try ConfigValue.parse(
                    yaml: """
                        name: exports
                        type: s3
                        endpoint: \(server.endpoint)
                        bucket: exports
                        access_key_id: AKIDMOTO
                        secret_access_key: moto-secret
                        """
                )
            )
        )
        let run = try await SyncEngine(store: installation.store, logger: logger).sync(connectorName: "exports")
        #expect(run.counts.summaryLine == "added=3 updated=0 unchanged=0 deleted=0 failed=1")
        #expect(run.failures.map(\.externalID) == ["broken/report.pdf"])
        #expect(run.failures.first?.reason.hasPrefix("the content could not be read: the PDF is damaged") == true)
        let csv = try #require(
            try await installation.store.documents().first { $0.externalID == "finance/projects.csv" }
        )
        #expect(csv.passageCount > 60_000)

        try await withAPI(installation) { api in
            let budget = try await api.ask("What is the budget of project Hermes?", as: "carol")
            #expect(budget.text.contains("£310,000"), "\(budget.text)")
            let row = try #require(budget.citations.first)
            #expect(row["uri"] as? String == "s3://exports/finance/projects.csv")
            #expect(
                row["snippet"] as? String
                    == "Project: Hermes; Budget: £310,000; Owner: Eli Moreno; Status: Paused; Notes: Courier app rewrite, waiting for the new API"
            )

            let phone = try await api.ask("What is the reception phone number of the Zürich office?", as: "carol")
            #expect(phone.text.contains("+41 44 668 1800"), "\(phone.text)")
            let office = try #require(phone.citations.first)
            #expect(office["title"] as? String == "Offices")
            #expect(office["heading"] as? String == "Contact numbers")

            let vacation = try await api.ask(
                "Where do developers send a mail with [VAC] before a vacation?",
                as: "carol"
            )
            #expect(vacation.text.contains("debian-private@lists.debian.org"), "\(vacation.text)")
            let page = try #require(vacation.citations.first)
            #expect(page["title"] as? String == "Debian Developer's Reference")
            #expect(page["page"] as? Int == 20)
        }
    }
}
