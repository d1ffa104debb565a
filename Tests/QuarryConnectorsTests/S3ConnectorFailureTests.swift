import Foundation
import QuarryConnectors
import QuarryCore
import QuarryTesting
import Testing

/// The connector when the endpoint misbehaves, against the scripted server: a listing that
/// cannot be completed throws (so the sync deletes nothing), and an object whose policy cannot be
/// read now is unavailable rather than offered under a wider policy.
struct S3ConnectorFailureTests {
    static let oneObject = """
        <?xml version="1.0" encoding="UTF-8"?>
        <ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>docs</Name>\
        <IsTruncated>false</IsTruncated><Contents><Key>hr/salaries.md</Key><ETag>"e1"</ETag><Size>10</Size>\
        </Contents></ListBucketResult>
        """

    private func connector(_ server: ScriptedHTTPServer, attempts: Int = 3) throws -> S3Connector {
        try S3Connector(
            name: "docs",
            configuration: .init(
                endpoint: server.endpoint,
                bucket: "docs",
                credentials: .init(accessKeyID: "AKIDEXAMPLE", secretAccessKey: "secret"),
                defaultPolicy: .everyone,
                requestTimeout: .seconds(5),
                retry: RetryPolicy(maximumAttempts: attempts, baseDelay: .milliseconds(1))
            ),
            clock: ImmediateClock()
        )
    }

    private func list(_ connector: S3Connector) async throws -> [SourceListing] {
        var entries: [SourceListing] = []
        for try await entry in connector.listing() { entries.append(entry) }
        return entries
    }

    @Test func aListingThatKeepsFailingThrows() async throws {
        let server = try ScriptedHTTPServer(responses: [.init(status: 500)])
        await #expect(throws: S3Error.service(status: 500, code: nil, message: nil, operation: "ListObjectsV2")) {
            _ = try await list(try connector(server))
        }
        #expect(server.requests.count == 3)
    }

    @Test func aMalformedListingThrows() async throws {
        let server = try ScriptedHTTPServer(responses: [
            .init(status: 200, body: "<ListBucketResult><Contents><Key>a.md</Key><ETag>x</ETag>")
        ])
        await #expect(throws: S3Error.self) { _ = try await list(try connector(server)) }
    }

    @Test func aListingThatFailsOnALaterPageThrowsAndYieldsNothing() async throws {
        let firstPage = Self.oneObject.replacingOccurrences(
            of: "<IsTruncated>false</IsTruncated>",
            with: "<IsTruncated>true</IsTruncated><NextContinuationToken>t2</NextContinuationToken>"
        )
        let server = try ScriptedHTTPServer(responses: [
            .init(status: 200, body: firstPage), .init(status: 503, body: "<Error><Code>SlowDown</Code></Error>"),
        ])
        var yielded = 0
        do {
            for try await _ in try connector(server, attempts: 2).listing() { yielded += 1 }
            Issue.record("expected the listing to throw")
        } catch let error as S3Error {
            #expect(error.errorCode == "SlowDown")
        }
        #expect(yielded == 0)
        #expect(server.requests[1].line.contains("continuation-token=t2"))
    }

    @Test func metadataThatCannotBeReadNowMakesTheObjectUnavailable() async throws {
        let server = try ScriptedHTTPServer(responses: [.init(status: 200, body: Self.oneObject), .init(status: 500)])
        let entries = try await list(try connector(server))
        guard case .unavailable(let path, let reason) = entries.first else {
            Issue.record("expected an unavailable entry, got \(entries)")
            return
        }
        #expect(path == "hr/salaries.md")
        #expect(reason == "cannot read its metadata now: HTTP 500")
        #expect(server.requests.count == 4)  // the listing, then three HEADs
    }

    @Test func metadataThatMayNotBeReadFailsTheObject() async throws {
        let server = try ScriptedHTTPServer(responses: [
            .init(status: 200, body: Self.oneObject), .init(status: 403),
        ])
        let entries = try await list(try connector(server))
        guard case .failure(let id, let reason) = entries.first else {
            Issue.record("expected a failure, got \(entries)")
            return
        }
        #expect(id == "hr/salaries.md")
        #expect(reason == "cannot read its metadata: HTTP 403")
    }

    @Test func aReadThatFailsForAPassingReasonIsNotMistakenForAChange() async throws {
        let server = try ScriptedHTTPServer(responses: [.init(status: 500)])
        let item = SourceItem(
            externalID: "a.md",
            uri: "s3://docs/a.md",
            version: "e1",
            contentType: .markdown,
            policy: .everyone
        )
        do {
            _ = try await connector(server, attempts: 2).content(of: item)
            Issue.record("expected an error")
        } catch let error as ConnectorError {
            // Still failing after the retries: kept for the next sync, neither a change nor a withdrawal.
            #expect(error == .temporarilyUnavailable("a.md", reason: "HTTP 500"))
            #expect(error.isTransient)
        }
        #expect(server.requests.first?.headers["if-match"] == "\"e1\"")
    }
}
