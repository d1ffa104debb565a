import Foundation
import QuarryConnectors
import QuarryCore
import QuarryTesting
import Testing

/// Signatures checked by a server: moto with IAM authentication on (after the set-up requests,
/// it recomputes every request's signature with the key's secret and refuses mismatches).
struct S3AuthenticationTests {
    struct Key: Decodable {
        let accessKeyID: String
        let secretAccessKey: String

        enum CodingKeys: String, CodingKey {
            case accessKeyID = "access_key_id"
            case secretAccessKey = "secret_access_key"
        }
    }

    private func connector(
        _ server: MotoServer,
        bucket: String,
        keyID: String,
        secret: String,
        addressing: S3Client.Configuration.Addressing = .path
    ) throws -> S3Connector {
        try S3Connector(
            name: "secured",
            configuration: .init(
                endpoint: addressing == .path ? server.endpoint : "http://s3.quarry.test:\(server.port)",
                bucket: bucket,
                addressing: addressing,
                credentials: .init(accessKeyID: keyID, secretAccessKey: "env:QUARRY_TEST_SECRET"),
                requestTimeout: .seconds(20),
                retry: RetryPolicy(maximumAttempts: 2, baseDelay: .milliseconds(1)),
                resolveTo: addressing == .path ? nil : "127.0.0.1:\(server.port)"
            ),
            environment: ["QUARRY_TEST_SECRET": secret]
        )
    }

    private func list(_ connector: S3Connector) async throws -> [SourceListing] {
        var entries: [SourceListing] = []
        for try await entry in connector.listing() { entries.append(entry) }
        return entries
    }

    @Test func theServerAcceptsOurSignaturesAndRefusesAWrongSecret() async throws {
        // Plain keys and spaces only: moto rebuilds the path through Werkzeug before it recomputes the
        // signature, which undoes the encoding of "é", "&", "(", "+" and the like, so boto3's own requests
        // for such keys fail there too (checked with boto3 1.44.5 and moto 5.2.1). Those characters are
        // covered by SigV4CrossCheckTests against botocore and by S3ConnectorTests without authentication.
        let objects = ["notes/plan.md=# Plan", "notes/meeting notes 2026.txt=Spaces."]
        let server = try await MotoServer.start(
            environment: ["INITIAL_NO_AUTH_ACTION_COUNT": String(4 + objects.count)]
        )
        defer { server.stop() }
        let bucket = "quarry-secured"
        let script = SampleCorpus.repositoryRoot + "/Tests/QuarryConnectorsTests/Support/moto_iam_setup.py"
        let setup = try await TestProcess.run(TestProcess.venvPython, [script, server.endpoint, bucket] + objects)
        try #require(setup.status == 0, "moto_iam_setup.py failed: \(setup.standardError)")
        let key = try JSONDecoder().decode(Key.self, from: setup.standardOutput)

        for addressing in [S3Client.Configuration.Addressing.path, .virtual] {
            let connector = try connector(
                server,
                bucket: bucket,
                keyID: key.accessKeyID,
                secret: key.secretAccessKey,
                addressing: addressing
            )
            let entries = try await list(connector)
            let items = entries.compactMap { if case .item(let item) = $0 { item } else { nil } }
            #expect(items.map(\.externalID) == ["notes/meeting notes 2026.txt", "notes/plan.md"], "\(entries)")
            #expect(items.allSatisfy { $0.policy.readerKeys == ["group:hr"] })
            for item in items {
                guard case .data(let data) = try await connector.content(of: item) else { continue }
                #expect(!data.isEmpty)
            }
        }

        let wrongSecret = key.secretAccessKey.dropLast() + (key.secretAccessKey.hasSuffix("A") ? "B" : "A")
        do {
            _ = try await list(connector(server, bucket: bucket, keyID: key.accessKeyID, secret: String(wrongSecret)))
            Issue.record("expected the listing to be refused")
        } catch let error as S3Error {
            #expect(error.status == 403)
            #expect(error.errorCode == "SignatureDoesNotMatch")
            #expect(!error.description.contains(String(wrongSecret)))
            #expect(!error.description.contains(key.secretAccessKey))
        }

        do {
            _ = try await list(connector(server, bucket: bucket, keyID: "AKIAUNKNOWNKEY000000", secret: "x"))
            Issue.record("expected the listing to be refused")
        } catch let error as S3Error {
            #expect(error.status == 403)
            #expect(error.errorCode == "InvalidAccessKeyId")
        }
    }
}
