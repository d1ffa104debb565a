import Foundation
import QuarryConnectors
import QuarryCore
import QuarryTesting
import Testing

/// Starts one moto_server for the whole suite and stops it when the suite ends, failed or not.
struct MotoServerTrait: SuiteTrait, TestScoping {
    @TaskLocal static var current: MotoServer?

    func provideScope(
        for test: Test,
        testCase: Test.Case?,
        performing function: @Sendable () async throws -> Void
    ) async throws {
        let server = try await MotoServer.start()
        defer { server.stop() }
        try await Self.$current.withValue(server) { try await function() }
    }
}

extension Trait where Self == MotoServerTrait {
    /// A moto S3 server for the suite (``MotoServerTrait/current``).
    static var motoServer: Self { MotoServerTrait() }
}

/// The connector against a real S3 API (moto): listings, policies, Unicode keys, addressing,
/// size limits and objects that change under it. Each test has its own bucket.
@Suite(.motoServer, .timeLimit(.minutes(2)))
struct S3ConnectorTests {
    /// A fresh bucket on the suite's server, with a client to fill it.
    struct Bucket {
        let server: MotoServer
        let name: String
        let client: S3Client

        init() async throws {
            server = try #require(MotoServerTrait.current)
            name = "quarry-" + UUID().uuidString.prefix(8).lowercased()
            client = try S3Client(
                configuration: .init(endpoint: server.endpoint, bucket: name),
                credentials: S3Credentials(accessKeyID: "AKIDMOTO", secretAccessKey: "moto-secret")
            )
            try await client.createBucket()
        }

        func put(_ key: String, _ text: String, readers: String? = nil, contentType: String? = nil) async throws {
            try await client.putObject(
                key,
                data: Data(text.utf8),
                contentType: contentType,
                metadata: readers.map { [S3Connector.readersMetadataName: $0] } ?? [:]
            )
        }

        func connector(
            prefix: String = "",
            addressing: S3Client.Configuration.Addressing = .path,
            defaultPolicy: AccessPolicy = .adminsOnly,
            pageSize: Int = 1000,
            maximumObjectBytes: Int64 = 32 << 20
        ) throws -> S3Connector {
            var endpoint = server.endpoint
            var resolveTo: String?
            if addressing == .virtual {
                // moto tells the bucket from the Host header (docs.s3.quarry.test), which no DNS resolves.
                endpoint = "http://s3.quarry.test:\(server.port)"
                resolveTo = "127.0.0.1:\(server.port)"
            }
            return try S3Connector(
                name: "bucket",
                configuration: .init(
                    endpoint: endpoint,
                    bucket: name,
                    prefix: prefix,
                    addressing: addressing,
                    credentials: .init(accessKeyID: "AKIDMOTO", secretAccessKey: "env:QUARRY_TEST_S3_SECRET"),
                    defaultPolicy: defaultPolicy,
                    maximumObjectBytes: maximumObjectBytes,
                    pageSize: pageSize,
                    requestTimeout: .seconds(20),
                    resolveTo: resolveTo
                ),
                environment: ["QUARRY_TEST_S3_SECRET": "moto-secret"]
            )
        }
    }

    private func list(_ connector: S3Connector) async throws -> [SourceListing] {
        var entries: [SourceListing] = []
        for try await entry in connector.listing() { entries.append(entry) }
        return entries
    }

    private func items(_ entries: [SourceListing]) -> [SourceItem] {
        entries.compactMap { if case .item(let item) = $0 { item } else { nil } }
    }

    private func policies(_ entries: [SourceListing]) -> [String: [String]] {
        var result: [String: [String]] = [:]
        for item in items(entries) { result[item.externalID] = item.policy.readerKeys }
        return result
    }

    private func failures(_ entries: [SourceListing]) -> [String: String] {
        var result: [String: String] = [:]
        for case .failure(let id, let reason) in entries { result[id] = reason }
        return result
    }

    @Test func listingFollowsContinuationTokensAcrossPages() async throws {
        let bucket = try await Bucket()
        let keys = (0..<23).map { String(format: "notes/%02d.md", $0) }
        for key in keys { try await bucket.put(key, "# \(key)\n\nText.") }
        try await bucket.put("outside/skip.md", "# Outside")

        let entries = try await list(try bucket.connector(prefix: "notes/", defaultPolicy: .everyone, pageSize: 5))
        let listed = items(entries)
        #expect(listed.map(\.externalID) == keys)
        #expect(listed.allSatisfy { $0.policy == .everyone && $0.contentType == .markdown && !$0.version.isEmpty })
        #expect(listed.first?.uri == "s3://\(bucket.name)/notes/00.md")
        #expect(listed.first?.size == Int64("# notes/00.md\n\nText.".utf8.count))
    }

    @Test func metadataNamesTheReadersAndABrokenOneFailsTheObject() async throws {
        let bucket = try await Bucket()
        try await bucket.put("hr/salaries.md", "# Salaries", readers: "group:hr, user:Bob")
        try await bucket.put("hr/cases.md", "# Cases", readers: "group:hr,team:ops")
        try await bucket.put("hr/nobody.md", "# Nobody", readers: " ")
        try await bucket.put("welcome.md", "# Welcome")

        let entries = try await list(try bucket.connector(defaultPolicy: .everyone))
        #expect(
            policies(entries) == [
                "hr/salaries.md": ["group:hr", "user:bob"],
                "hr/nobody.md": [],
                "welcome.md": ["everyone"],
            ]
        )
        #expect(
            failures(entries) == [
                "hr/cases.md":
                    "the access policy in its x-amz-meta-quarry-readers metadata is invalid: invalid reader \"team:ops\": "
                    + "unknown kind \"team\"; expected user or group"
            ]
        )
    }

    @Test func sidecarsNameTheReadersAndAreNotDocuments() async throws {
        let bucket = try await Bucket()
        try await bucket.put("offsite.md", "# Offsite\n\nKestrel.")
        try await bucket.put("offsite.md.acl.json", #"{"readers": ["group:leadership", "user:admin"]}"#)
        try await bucket.put("broken.md", "# Broken")
        try await bucket.put("broken.md.acl.json", #"{"readers": ["group:hr""#)
        try await bucket.put("both.md", "# Both", readers: "everyone")
        try await bucket.put("both.md.acl.json", #"{"readers": ["group:hr"]}"#)
        try await bucket.put("renamed.md.acl.json", #"{"readers": ["group:hr"]}"#)
        try await bucket.put("plain.md", "# Plain")

        let entries = try await list(try bucket.connector(defaultPolicy: .everyone))
        #expect(policies(entries) == ["offsite.md": ["group:leadership", "user:admin"], "plain.md": ["everyone"]])
        #expect(
            failures(entries) == [
                "broken.md": "the access policy broken.md.acl.json is invalid: not valid JSON",
                "both.md":
                    "it has both an access policy both.md.acl.json and x-amz-meta-quarry-readers metadata; keep one of them",
                "renamed.md.acl.json": "the access policy renamed.md.acl.json names no object; was its object renamed?",
            ]
        )
    }

    @Test func folderMarkersAndUnknownFormatsAreNotDocuments() async throws {
        let bucket = try await Bucket()
        try await bucket.put("folder/", "")
        try await bucket.put("folder/image.png", "png")
        try await bucket.put("folder/README", "# Read me", contentType: "text/markdown; charset=utf-8")
        try await bucket.put("folder/blob", "bytes", contentType: "application/octet-stream")
        try await bucket.put("folder/page.HTML", "<p>x</p>")

        let listed = items(try await list(try bucket.connector()))
        #expect(listed.map(\.externalID) == ["folder/README", "folder/page.HTML"])
        #expect(listed.map(\.contentType) == [.markdown, .html])
    }

    @Test(arguments: [S3Client.Configuration.Addressing.path, .virtual])
    func unicodeKeysWithSpacesAndPlusSignsRoundTrip(addressing: S3Client.Configuration.Addressing) async throws {
        let bucket = try await Bucket()
        let composed = "r\u{E9}sum\u{E9} 2026 + notes.md"
        let decomposed = "re\u{301}sume\u{301} 2026 + notes.md"
        // Pairs, not a dictionary: Swift's String equality would merge the two spellings.
        let contents: [(key: String, text: String)] = [
            (composed, "# CV\n\nComposed."),
            (decomposed, "# CV\n\nDecomposed."),
            ("dir with space/a+b=c&d.md", "# Reserved\n\nCharacters."),
            ("日本語/メモ 😀.txt", "Unicode text."),
            ("percent%20kept.md", "# Percent"),
        ]
        for (key, text) in contents { try await bucket.put(key, text) }
        try await bucket.put(composed + ".acl.json", #"{"readers": ["group:hr"]}"#)

        let connector = try bucket.connector(addressing: addressing, defaultPolicy: .everyone)
        let listed = items(try await list(connector))
        #expect(Set(listed.map { Array($0.externalID.utf8) }) == Set(contents.map { Array($0.key.utf8) }))
        for item in listed {
            guard case .data(let data) = try await connector.content(of: item) else { continue }
            let expected = contents.first { Array($0.key.utf8) == Array(item.externalID.utf8) }?.text
            #expect(String(decoding: data, as: UTF8.self) == expected)
            // The composed name's sidecar must not be taken for the decomposed twin's.
            let isComposed = Array(item.externalID.utf8) == Array(composed.utf8)
            #expect(item.policy.readerKeys == (isComposed ? ["group:hr"] : ["everyone"]))
        }
        #expect(listed.contains { $0.uri.hasSuffix("/dir%20with%20space/a%2Bb%3Dc%26d.md") })
    }

    @Test func objectsAreReadUpToTheCapAndRefusedOverIt() async throws {
        let bucket = try await Bucket()
        let large = String(repeating: "Quarry reads large objects in chunks. ", count: 60_000)  // ~2.3 MB
        try await bucket.put("large.txt", large)

        let roomy = try bucket.connector(defaultPolicy: .everyone, maximumObjectBytes: 4 << 20)
        let item = try #require(items(try await list(roomy)).first)
        guard case .data(let data) = try await roomy.content(of: item) else { return }
        #expect(data == Data(large.utf8))

        let tight = try bucket.connector(defaultPolicy: .everyone, maximumObjectBytes: 1 << 20)
        let size = large.utf8.count
        await #expect(
            throws: ConnectorError.unreadableFile(
                "large.txt",
                reason: "it is \(size) bytes, over the limit of 1048576 bytes"
            )
        ) {
            _ = try await tight.content(of: item)
        }

        // The streamed path sees the same bytes in order, never more than the cap.
        var streamed = Data()
        let head = try await bucket.client.getObject("large.txt", maximumBytes: 4 << 20) { streamed.append($0) }
        #expect(streamed == Data(large.utf8))
        #expect(head.size == Int64(size))
    }

    @Test func anObjectDeletedOrChangedAfterTheListingIsLeftForTheNextSync() async throws {
        let bucket = try await Bucket()
        try await bucket.put("gone.md", "# Gone")
        try await bucket.put("changed.md", "# Before")
        try await bucket.put("kept.md", "# Kept")
        let connector = try bucket.connector(defaultPolicy: .everyone)
        let listed = items(try await list(connector))
        #expect(listed.count == 3)

        try await bucket.client.deleteObject("gone.md")
        try await bucket.put("changed.md", "# After, and longer")
        for item in listed {
            switch item.externalID {
            case "kept.md":
                guard case .data(let data) = try await connector.content(of: item) else { continue }
                #expect(String(decoding: data, as: UTF8.self) == "# Kept")
            default:
                do {
                    _ = try await connector.content(of: item)
                    Issue.record("expected \(item.externalID) to fail")
                } catch let error as ConnectorError {
                    #expect(error == .changedDuringSync(item.externalID))
                    #expect(error.isTransient)
                }
            }
        }
    }

    @Test func aMissingBucketStopsTheListing() async throws {
        let bucket = try await Bucket()
        let connector = try S3Connector(
            name: "missing",
            configuration: .init(
                endpoint: bucket.server.endpoint,
                bucket: bucket.name + "-missing",
                credentials: .init(accessKeyID: "AKIDMOTO", secretAccessKey: "moto-secret")
            )
        )
        do {
            _ = try await list(connector)
            Issue.record("expected the listing to throw")
        } catch let error as S3Error {
            #expect(error.errorCode == "NoSuchBucket")
            #expect(error.description.hasPrefix("ListObjectsV2 failed: HTTP 404 NoSuchBucket"))
        }
    }
}

/// The moto helper itself: a stopped server is gone, and so is its process.
struct S3MotoServerTests {
    @Test func aStoppedServerNoLongerAnswers() async throws {
        let server = try await MotoServer.start()
        let client = try S3Client(
            configuration: .init(
                endpoint: server.endpoint,
                bucket: "quarry-stop",
                // moto's first S3 request loads its S3 backend: seconds on a busy machine. After the
                // stop, the refused connection fails at once whatever the timeout.
                requestTimeout: .seconds(30),
                retry: .none
            ),
            credentials: S3Credentials(accessKeyID: "AKIDMOTO", secretAccessKey: "moto-secret")
        )
        try await client.createBucket()
        server.stop()
        server.stop()  // idempotent
        await #expect(throws: S3Error.self) { _ = try await client.listObjects() }
    }
}
