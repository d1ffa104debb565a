import Foundation
import QuarryConnectors
import QuarryCore
import QuarryTesting
import Testing

/// The client against a scripted local HTTP server: retries, timeouts, error documents, broken
/// answers and addressing, without S3.
struct S3ClientTests {
    static let credentials = S3Credentials(
        accessKeyID: "AKIAIOSFODNN7EXAMPLE",
        secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
    )

    static let emptyListing = """
        <?xml version="1.0" encoding="UTF-8"?>
        <ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>docs</Name>\
        <IsTruncated>false</IsTruncated><KeyCount>1</KeyCount>\
        <Contents><Key>a &amp; b.md</Key><ETag>&quot;abc&quot;</ETag><Size>5</Size></Contents></ListBucketResult>
        """

    static func errorDocument(_ code: String, _ message: String = "") -> String {
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>\(code)</Code><Message>\(message)</Message>"
            + "<RequestId>1</RequestId></Error>"
    }

    private func client(
        _ server: ScriptedHTTPServer,
        clock: ImmediateClock = ImmediateClock(),
        addressing: S3Client.Configuration.Addressing = .path,
        timeout: Duration = .seconds(10),
        attempts: Int = 4
    ) throws -> S3Client {
        try S3Client(
            configuration: .init(
                endpoint: server.endpoint,
                bucket: "docs",
                addressing: addressing,
                requestTimeout: timeout,
                retry: RetryPolicy(maximumAttempts: attempts, baseDelay: .milliseconds(100), maximumDelay: .seconds(1))
            ),
            credentials: Self.credentials,
            clock: clock
        )
    }

    @Test func serverErrorsAndSlowDownAreRetriedWithBackoffThenSucceed() async throws {
        let server = try ScriptedHTTPServer(responses: [
            .init(status: 500, body: Self.errorDocument("InternalError")),
            .init(status: 503, body: Self.errorDocument("SlowDown", "Please reduce your request rate.")),
            .init(status: 200, headers: [("Content-Type", "application/xml")], body: Self.emptyListing),
        ])
        let clock = ImmediateClock()
        let page = try await client(server, clock: clock).listObjects(prefix: "hr/")
        #expect(page.objects == [S3ObjectSummary(key: "a & b.md", etag: "abc", size: 5)])
        #expect(server.requests.count == 3)
        #expect(clock.sleeps.count == 2)
        #expect(clock.sleeps.allSatisfy { $0 >= .zero && $0 <= .milliseconds(200) })
        let line = try #require(server.requests.first?.line)
        #expect(line == "GET /docs?list-type=2&max-keys=1000&prefix=hr%2F HTTP/1.1")
        #expect(server.requests.first?.headers["authorization"]?.hasPrefix("AWS4-HMAC-SHA256 Credential=AKIA") == true)
    }

    @Test func retriesStopAfterTheConfiguredAttempts() async throws {
        let server = try ScriptedHTTPServer(responses: [.init(status: 500, body: Self.errorDocument("InternalError"))])
        let clock = ImmediateClock()
        await #expect(
            throws: S3Error.service(status: 500, code: "InternalError", message: "", operation: "ListObjectsV2")
        ) {
            _ = try await client(server, clock: clock, attempts: 3).listObjects()
        }
        #expect(server.requests.count == 3)
        #expect(clock.sleeps.count == 2)
    }

    @Test func aSlowAnswerTimesOutAndIsRetried() async throws {
        let server = try ScriptedHTTPServer(responses: [
            .init(status: 200, body: Self.emptyListing, delay: .seconds(3)),
            .dropped,
            .init(status: 200, body: Self.emptyListing),
        ])
        let page = try await client(server, timeout: .milliseconds(400)).listObjects()
        #expect(page.objects.count == 1)
        #expect(server.requests.count == 3)
    }

    @Test func anUnreachableEndpointFailsClearlyAfterItsRetries() async throws {
        let port = try MotoServer.freePort()  // nothing listens there
        let clock = ImmediateClock()
        let client = try S3Client(
            configuration: .init(
                endpoint: "http://127.0.0.1:\(port)",
                bucket: "docs",
                requestTimeout: .milliseconds(300),
                retry: RetryPolicy(maximumAttempts: 2)
            ),
            credentials: Self.credentials,
            clock: clock
        )
        do {
            _ = try await client.listObjects()
            Issue.record("expected an error")
        } catch let error as S3Error {
            #expect(error.isRetryable)
            #expect(error.description.hasPrefix("ListObjectsV2 failed: "))
            #expect(clock.sleeps.count == 1)
        }
    }

    @Test func malformedListingsAreRejectedWithAReason() async throws {
        let cases: [(String, String)] = [
            ("<ListBucketResult><Contents><Key>a.md</Key>", "malformed XML"),
            ("not xml at all", "malformed XML"),
            ("", "empty body"),
            ("<Other/>", "expected <ListBucketResult>"),
            ("<ListBucketResult><Contents><Key>a.md</Key><Size>1</Size></Contents></ListBucketResult>", "no <ETag>"),
            (
                "<ListBucketResult><IsTruncated>true</IsTruncated></ListBucketResult>",
                "truncated but has no <NextContinuationToken>"
            ),
        ]
        for (body, reason) in cases {
            let server = try ScriptedHTTPServer(responses: [.init(status: 200, body: body)])
            do {
                _ = try await client(server).listObjects()
                Issue.record("expected an error for \(body)")
            } catch let error as S3Error {
                #expect(error.description.contains("ListObjectsV2 returned a response that cannot be read"))
                #expect(error.description.contains(reason), "\(error)")
                #expect(!error.isRetryable)
            }
            #expect(server.requests.count == 1)
        }
    }

    @Test func errorsNameTheCodeAndTheKeyButNeverTheCredentials() async throws {
        let server = try ScriptedHTTPServer(responses: [
            .init(
                status: 403,
                body: Self.errorDocument(
                    "SignatureDoesNotMatch",
                    "The request signature we calculated does not match the signature you provided."
                )
            )
        ])
        do {
            _ = try await client(server).getObject("hr/salaries 2026.md", maximumBytes: 100)
            Issue.record("expected an error")
        } catch let error as S3Error {
            #expect(error.errorCode == "SignatureDoesNotMatch")
            #expect(error.key == "hr/salaries 2026.md")
            #expect(
                error.description
                    == "GetObject of \"hr/salaries 2026.md\" failed: HTTP 403 SignatureDoesNotMatch: "
                    + "The request signature we calculated does not match the signature you provided."
            )
            for text in [error.description, String(reflecting: error)] {
                #expect(!text.contains("wJalrXUtnFEMI"))
                #expect(!text.contains("Signature="))
            }
        }
        #expect(server.requests.count == 1)  // a 403 is not retried
    }

    @Test func objectsOverTheCapAreRefusedBeforeTheirBodyIsRead() async throws {
        let body = String(repeating: "x", count: 5000)
        let server = try ScriptedHTTPServer(responses: [
            .init(status: 200, headers: [("ETag", "\"e1\"")], body: body)
        ])
        await #expect(throws: S3Error.tooLarge(size: 5000, limit: 4999, key: "big.txt")) {
            _ = try await client(server).getObject("big.txt", maximumBytes: 4999)
        }
        let fits = try await client(server).getObject("big.txt", maximumBytes: 5000)
        #expect(fits.data.count == 5000)
        #expect(fits.head.etag == "e1")
    }

    @Test func aTruncatedBodyIsAnError() async throws {
        let server = try ScriptedHTTPServer(responses: [
            .init(status: 200, headers: [("Content-Length", "100")], body: "short")
        ])
        do {
            _ = try await client(server, attempts: 1).getObject("a.txt", maximumBytes: 1000)
            Issue.record("expected an error")
        } catch let error as S3Error {
            #expect(error.isRetryable)
        }
    }

    @Test func virtualHostedRequestsPutTheBucketInTheHostHeader() async throws {
        let server = try ScriptedHTTPServer(responses: [.init(status: 200, body: Self.emptyListing)])
        let client = try S3Client(
            configuration: .init(
                endpoint: "http://s3.quarry.test:\(server.port)",
                bucket: "docs",
                addressing: .virtual,
                resolveTo: "127.0.0.1:\(server.port)"
            ),
            credentials: Self.credentials
        )
        _ = try await client.listObjects()
        let request = try #require(server.requests.first)
        #expect(request.line == "GET /?list-type=2&max-keys=1000 HTTP/1.1")
        #expect(request.headers["host"] == "docs.s3.quarry.test:\(server.port)")
        #expect(request.headers["x-amz-content-sha256"] == SigV4Payload.empty.hashValue)
    }

    @Test func keysAreEncodedOnceInThePath() async throws {
        let server = try ScriptedHTTPServer(responses: [
            .init(status: 200, headers: [("ETag", "\"e\""), ("x-amz-meta-quarry-readers", "group:hr")], body: "")
        ])
        let head = try await client(server).headObject("a b+c/ü%20.md")
        #expect(server.requests.first?.line == "HEAD /docs/a%20b%2Bc/%C3%BC%2520.md HTTP/1.1")
        #expect(head.metadata == ["quarry-readers": "group:hr"])
    }

    @Test func endpointsMustBeHTTPURLsWithoutAPath() {
        for endpoint in ["ftp://x", "s3.amazonaws.com", "https://host/path", "https://user:pw@host"] {
            #expect(throws: S3Error.self) {
                _ = try S3Client(configuration: .init(endpoint: endpoint, bucket: "b"), credentials: Self.credentials)
            }
        }
        #expect(throws: Never.self) {
            _ = try S3Client(configuration: .init(bucket: "b"), credentials: Self.credentials)
        }
    }

    @Test func backoffGrowsExponentiallyWithFullJitter() {
        let policy = RetryPolicy(maximumAttempts: 6, baseDelay: .milliseconds(100), maximumDelay: .milliseconds(500))
        #expect(
            (1...5).map { policy.delayBound(afterAttempt: $0) }
                == [.milliseconds(100), .milliseconds(200), .milliseconds(400), .milliseconds(500), .milliseconds(500)]
        )
        var random = SplitMix64(seed: 7)
        for attempt in 1...5 {
            for _ in 0..<50 {
                let delay = policy.delay(afterAttempt: attempt, using: &random)
                #expect(delay >= .zero && delay <= policy.delayBound(afterAttempt: attempt))
            }
        }
        #expect(policy.allowsRetry(afterAttempt: 5))
        #expect(!policy.allowsRetry(afterAttempt: 6))
        #expect(RetryPolicy.none.maximumAttempts == 1)
    }

    // MARK: - Credentials

    @Test func credentialsComeFromTheConfigurationTheEnvironmentOrTheSharedFile() throws {
        let environment = [
            "QUARRY_S3_SECRET": "from-variable", "AWS_ACCESS_KEY_ID": "AKIAENV", "AWS_SECRET_ACCESS_KEY": "env-secret",
            "AWS_SESSION_TOKEN": "env-token", "HOME": "/home/quarry",
        ]
        let file = """
            [default]
            aws_access_key_id = AKIADEFAULT
            aws_secret_access_key = default-secret
            # a comment
            [profile reader]
            aws_access_key_id=AKIAREADER
            aws_secret_access_key=reader-secret
            aws_session_token=reader-token
            """
        let read: (String) -> Data? = { $0 == "/home/quarry/.aws/credentials" ? Data(file.utf8) : nil }

        let configured = try S3Credentials.resolve(
            .init(accessKeyID: "AKIACONFIG", secretAccessKey: "env:QUARRY_S3_SECRET"),
            environment: environment,
            readFile: read
        )
        #expect(configured == S3Credentials(accessKeyID: "AKIACONFIG", secretAccessKey: "from-variable"))
        #expect(
            try S3Credentials.resolve(.init(), environment: environment, readFile: read)
                == S3Credentials(accessKeyID: "AKIAENV", secretAccessKey: "env-secret", sessionToken: "env-token")
        )
        #expect(
            try S3Credentials.resolve(.init(), environment: ["HOME": "/home/quarry"], readFile: read)
                == S3Credentials(accessKeyID: "AKIADEFAULT", secretAccessKey: "default-secret")
        )
        #expect(
            try S3Credentials.resolve(.init(profile: "reader"), environment: environment, readFile: read)
                == S3Credentials(
                    accessKeyID: "AKIAREADER",
                    secretAccessKey: "reader-secret",
                    sessionToken: "reader-token"
                )
        )
    }

    @Test func missingCredentialsNameWhatIsMissingNeverAValue() {
        let environment = ["OTHER": "wJalrXUtnFEMI"]
        #expect(
            throws: S3Error.configuration(
                "secret_access_key names the environment variable QUARRY_MISSING, which is not set"
            )
        ) {
            try S3Credentials.resolve(
                .init(accessKeyID: "AKIA", secretAccessKey: "env:QUARRY_MISSING"),
                environment: environment,
                readFile: { _ in nil }
            )
        }
        #expect(throws: S3Error.configuration("access_key_id is set but secret_access_key is not")) {
            try S3Credentials.resolve(.init(accessKeyID: "AKIA"), environment: environment, readFile: { _ in nil })
        }
        #expect(throws: S3Error.self) {
            try S3Credentials.resolve(.init(profile: "nobody"), environment: [:], readFile: { _ in Data("[a]".utf8) })
        }
    }

    @Test func configurationsNeverShowTheirSecrets() throws {
        let configuration = S3Connector.Configuration(
            endpoint: "https://s3.eu-west-1.amazonaws.com",
            region: "eu-west-1",
            bucket: "handbook",
            credentials: .init(accessKeyID: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCY")
        )
        let fromVariable = S3Credentials.Source(accessKeyID: "env:KEY_ID", secretAccessKey: "env:SECRET")
        var dumped = ""
        dump(configuration, to: &dumped)
        for text in [configuration.description, "\(configuration)", String(reflecting: configuration), dumped] {
            #expect(!text.contains("wJalrXUtnFEMI"))
            #expect(!text.contains("IOSFODNN7"))
            #expect(text.contains("handbook"))
        }
        #expect(fromVariable.description.contains("env:SECRET"))
        let connector = try S3Connector(name: "handbook", configuration: configuration, environment: [:])
        var dumpedConnector = ""
        dump(connector, to: &dumpedConnector)
        #expect(!dumpedConnector.contains("wJalrXUtnFEMI"))
        #expect(!dumpedConnector.contains("IOSFODNN7"))
    }
}
