import Foundation
import QuarryConnectors
import QuarryTesting
import Testing

/// Our signer against botocore's `S3SigV4Auth` on a few hundred random requests: methods, keys
/// with Unicode and reserved characters, repeated and empty query parameters, headers with odd
/// spacing, signed and unsigned payloads, with and without a session token.
///
/// The seed is fixed (set `QUARRY_SIGV4_SEED` to try another) and printed on failure.
struct SigV4CrossCheckTests {
    static let defaultSeed: UInt64 = 0x5147_5634_2026

    struct Spec: Codable {
        var method: String
        var scheme: String
        var host: String
        var key: String
        var query: [[String]]
        var headers: [[String]]
        var body: String
        var signPayload: Bool

        enum CodingKeys: String, CodingKey {
            case method, scheme, host, key, query, headers, body
            case signPayload = "sign_payload"
        }
    }

    struct Document: Codable {
        var accessKeyID: String
        var secretAccessKey: String
        var sessionToken: String?
        var region: String
        var timestamp: String
        var requests: [Spec]

        enum CodingKeys: String, CodingKey {
            case accessKeyID = "access_key_id"
            case secretAccessKey = "secret_access_key"
            case sessionToken = "session_token"
            case region, timestamp, requests
        }
    }

    struct Signed: Codable {
        var path: String
        var canonicalRequest: String
        var authorization: String

        enum CodingKeys: String, CodingKey {
            case path, authorization
            case canonicalRequest = "canonical_request"
        }
    }

    @Test(arguments: [false, true])
    func matchesBotocoreOnRandomRequests(withSessionToken: Bool) async throws {
        let seed =
            ProcessInfo.processInfo.environment["QUARRY_SIGV4_SEED"].flatMap { UInt64($0) }
            ?? Self.defaultSeed &+ (withSessionToken ? 1 : 0)
        var random = SplitMix64(seed: seed)
        let count = 200
        let date = Date(timeIntervalSince1970: 1_700_000_000 + Double(random.next() % 100_000_000))
        let credentials = S3Credentials(
            accessKeyID: "AKIA" + Self.word(16, from: "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567", using: &random),
            secretAccessKey: Self.word(
                40,
                from: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+/",
                using: &random
            ),
            sessionToken: withSessionToken
                ? "IQoJb3JpZ2luX2VjE" + Self.word(60, from: "abcXYZ019+/=", using: &random) : nil
        )
        let regions = ["us-east-1", "eu-west-1", "ap-southeast-2", "auto"]
        let region = regions[Int(random.next() % UInt64(regions.count))]
        let signer = SigV4Signer(credentials: credentials, region: region)
        let timestamp = signer.signedHeaders(
            for: SigV4Request(method: "GET", path: "/", headers: [("host", "h")]),
            date: date
        ).first { $0.name == "x-amz-date" }!.value
        let specs = (0..<count).map { _ in Self.randomSpec(using: &random) }

        let directory = try TemporaryDirectory(prefix: "quarry-sigv4")
        let input = directory.file("requests.json")
        let document = Document(
            accessKeyID: credentials.accessKeyID,
            secretAccessKey: credentials.secretAccessKey,
            sessionToken: credentials.sessionToken,
            region: region,
            timestamp: timestamp,
            requests: specs
        )
        try JSONEncoder().encode(document).write(to: URL(fileURLWithPath: input))
        let script = SampleCorpus.repositoryRoot + "/Tests/QuarryConnectorsTests/Support/botocore_sign.py"
        let output = try await TestProcess.run(TestProcess.venvPython, [script, input])
        try #require(output.status == 0, "botocore_sign.py failed (seed \(seed)): \(output.standardError)")
        let expected = try JSONDecoder().decode([Signed].self, from: output.standardOutput)
        try #require(expected.count == count)

        var mismatches = 0
        for (spec, botocore) in zip(specs, expected) {
            let request = SigV4Request(
                method: spec.method,
                path: "/" + spec.key,
                query: spec.query.map { ($0[0], $0[1]) },
                headers: spec.headers.map { ($0[0], $0[1]) },
                payload: spec.signPayload ? .hashing(Data(spec.body.utf8)) : .unsigned
            )
            let ours = signer.authorization(for: request, date: date)
            let path = SigV4Signer.encodePath("/" + spec.key)
            if ours != botocore.authorization || path != botocore.path {
                mismatches += 1
                if mismatches <= 3 {
                    Issue.record(
                        """
                        seed \(seed): signatures differ for \(spec.method) \(spec.key.debugDescription)
                        ours:     \(ours)
                        botocore: \(botocore.authorization)
                        our canonical request:
                        \(signer.canonicalRequest(for: request, date: date))
                        botocore's:
                        \(botocore.canonicalRequest)
                        """
                    )
                }
            }
        }
        #expect(mismatches == 0, "seed \(seed): \(mismatches) of \(count) requests signed differently")
    }

    // MARK: - Random requests

    static let keyPieces: [String] = [
        "a", "Z", "0", "9", "docs", "report.md", " ", "  ", "+", "%", "%20", "&", "=", "?", "#", "!", "'", "(", ")",
        "*", ",", ";", ":", "@", "$", "~", ".", "..", "-", "_", "/", "//", "é", "e\u{301}", "ü", "日本語", "😀", "ሴ",
        "[", "]", "{", "}", "|", "\\", "^", "`", "\"", "<", ">", "\u{7F}", "\u{00A0}", "ß",
    ]

    static let queryNames = [
        "prefix", "max-keys", "continuation-token", "list-type", "a", "A", "b", "B", "x y", "ü", "k+", "", "a=b", "~",
    ]

    static let queryValues = [
        "", "1", "2", "value", "Value", "a b", "a+b", "a/b", "a=b", "x&y", "%41", "日本", "😀", "~-._", "  spaced  ",
    ]

    static let headerNames = [
        "Content-Type", "content-type", "X-Amz-Meta-Quarry-Readers", "x-amz-meta-owner", "My-Header1", "MY-HEADER1",
        "x-custom", "Range", "If-Match", "Cache-Control", "X-Amz-Request-Payer",
    ]

    static let headerValues = [
        "value", " value", "value ", "  a   b   c  ", "a\tb", "\t tab\t ", "group:hr,user:bob", "\"quoted  value\"",
        "bytes=0-9", "", "   ", "UPPER lower", "x,y , z",
    ]

    static func randomSpec(using random: inout SplitMix64) -> Spec {
        let methods = ["GET", "HEAD", "PUT", "POST", "DELETE"]
        let method = methods[Int(random.next() % 5)]
        var key = ""
        for _ in 0..<(1 + random.next() % 8) { key += pick(keyPieces, &random) }
        var query: [[String]] = []
        for _ in 0..<(random.next() % 6) {
            let name = pick(queryNames, &random)
            query.append([name, pick(queryValues, &random)])
            if random.next() % 4 == 0 { query.append([name, pick(queryValues, &random)]) }  // repeated name
        }
        let hosts = [
            "examplebucket.s3.amazonaws.com", "s3.eu-west-1.amazonaws.com", "127.0.0.1:9000", "minio.local:9000",
        ]
        let host = pick(hosts, &random)
        var headers: [[String]] = [[random.next() % 2 == 0 ? "Host" : "host", host]]
        for _ in 0..<(random.next() % 5) {
            headers.append([pick(headerNames, &random), pick(headerValues, &random)])
        }
        let body =
            method == "PUT" || method == "POST"
            ? String(repeating: pick(keyPieces, &random), count: Int(random.next() % 40)) : ""
        return Spec(
            method: method,
            scheme: random.next() % 3 == 0 ? "http" : "https",
            host: host,
            key: key,
            query: query,
            headers: headers.shuffled(using: &random),
            body: body,
            signPayload: random.next() % 2 == 0
        )
    }

    static func pick(_ choices: [String], _ random: inout SplitMix64) -> String {
        choices[Int(random.next() % UInt64(choices.count))]
    }

    static func word(_ length: Int, from alphabet: String, using random: inout SplitMix64) -> String {
        let characters = Array(alphabet)
        return String((0..<length).map { _ in characters[Int(random.next() % UInt64(characters.count))] })
    }
}

/// A small, fast, seedable generator (Vigna's SplitMix64), so a failing seed can be replayed.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
