import Foundation
import QuarryConnectors
import Testing

/// The signer against AWS's published vectors: the SigV4 test suite and the S3 examples.
struct SigV4SignerTests {
    struct SuiteCase: Decodable, CustomTestStringConvertible, Sendable {
        let name: String
        let method: String
        let path: String
        let query: [[String]]
        let headers: [[String]]
        let body: String
        let creq: String
        let sts: String
        let authz: String
        let sessionToken: String?

        enum CodingKeys: String, CodingKey {
            case name, method, path, query, headers, body, creq, sts, authz
            case sessionToken = "session_token"
        }

        var testDescription: String { name }

        var request: SigV4Request {
            SigV4Request(
                method: method,
                path: path,
                query: query.map { ($0[0], $0[1]) },
                headers: headers.map { ($0[0], $0[1]) },
                payload: .hashing(Data(body.utf8))
            )
        }
    }

    struct Suite: Decodable {
        let cases: [SuiteCase]
    }

    static let suiteCases: [SuiteCase] = {
        let url = Bundle.module.url(forResource: "Fixtures/sigv4/aws-sig-v4-test-suite", withExtension: "json")!
        return try! JSONDecoder().decode(Suite.self, from: Data(contentsOf: url)).cases
    }()

    /// 2015-08-30T12:36:00Z, the suite's date.
    static let suiteDate = Date(timeIntervalSince1970: 1_440_938_160)
    /// 2013-05-24T00:00:00Z, the S3 examples' date.
    static let s3Date = Date(timeIntervalSince1970: 1_369_353_600)

    static let s3Credentials = S3Credentials(
        accessKeyID: "AKIAIOSFODNN7EXAMPLE",
        secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
    )

    @Test(arguments: suiteCases)
    func awsTestSuite(_ vector: SuiteCase) {
        let signer = SigV4Signer(
            credentials: S3Credentials(
                accessKeyID: "AKIDEXAMPLE",
                secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
                sessionToken: vector.sessionToken
            ),
            region: "us-east-1",
            service: "service",
            sendsContentHash: false
        )
        #expect(signer.canonicalRequest(for: vector.request, date: Self.suiteDate) == vector.creq)
        #expect(signer.stringToSign(for: vector.request, date: Self.suiteDate) == vector.sts)
        #expect(signer.authorization(for: vector.request, date: Self.suiteDate) == vector.authz)
    }

    @Test func theSuiteIsAllThere() {
        #expect(Self.suiteCases.count == 18)
    }

    /// The S3 API Reference's "GET Object" example: the first 10 bytes of `test.txt`.
    @Test func s3GetObjectExample() {
        let signer = SigV4Signer(credentials: Self.s3Credentials, region: "us-east-1")
        let request = SigV4Request(
            method: "GET",
            path: "/test.txt",
            headers: [("Host", "examplebucket.s3.amazonaws.com"), ("Range", "bytes=0-9")]
        )
        #expect(
            signer.canonicalRequest(for: request, date: Self.s3Date) == """
                GET
                /test.txt

                host:examplebucket.s3.amazonaws.com
                range:bytes=0-9
                x-amz-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
                x-amz-date:20130524T000000Z

                host;range;x-amz-content-sha256;x-amz-date
                e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
                """
        )
        #expect(
            signer.stringToSign(for: request, date: Self.s3Date) == """
                AWS4-HMAC-SHA256
                20130524T000000Z
                20130524/us-east-1/s3/aws4_request
                7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972
                """
        )
        #expect(
            signer.authorization(for: request, date: Self.s3Date)
                == "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "
                + "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, "
                + "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"
        )
        let headers = signer.signedHeaders(for: request, date: Self.s3Date)
        #expect(headers.map(\.name) == ["Host", "Range", "x-amz-date", "x-amz-content-sha256", "authorization"])
    }

    /// "PUT Object": a `$` in the key, a `Date` header and a signed body.
    @Test func s3PutObjectExample() {
        let signer = SigV4Signer(credentials: Self.s3Credentials, region: "us-east-1")
        let request = SigV4Request(
            method: "PUT",
            path: "/test$file.text",
            headers: [
                ("Host", "examplebucket.s3.amazonaws.com"),
                ("Date", "Fri, 24 May 2013 00:00:00 GMT"),
                ("x-amz-storage-class", "REDUCED_REDUNDANCY"),
            ],
            payload: .hashing(Data("Welcome to Amazon S3.".utf8))
        )
        #expect(signer.canonicalRequest(for: request, date: Self.s3Date).hasPrefix("PUT\n/test%24file.text\n\n"))
        #expect(
            signer.signature(for: request, date: Self.s3Date)
                == "98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd"
        )
    }

    /// "GET Bucket Lifecycle": a query parameter without a value signs as `lifecycle=`.
    @Test func s3GetBucketLifecycleExample() {
        let signer = SigV4Signer(credentials: Self.s3Credentials, region: "us-east-1")
        let request = SigV4Request(
            method: "GET",
            path: "/",
            query: [("lifecycle", "")],
            headers: [("Host", "examplebucket.s3.amazonaws.com")]
        )
        #expect(signer.canonicalRequest(for: request, date: Self.s3Date).hasPrefix("GET\n/\nlifecycle=\n"))
        #expect(
            signer.signature(for: request, date: Self.s3Date)
                == "fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543"
        )
    }

    /// "GET Bucket (List Objects)": parameters given out of order are sorted.
    @Test func s3ListObjectsExample() {
        let signer = SigV4Signer(credentials: Self.s3Credentials, region: "us-east-1")
        let request = SigV4Request(
            method: "GET",
            path: "/",
            query: [("prefix", "J"), ("max-keys", "2")],
            headers: [("Host", "examplebucket.s3.amazonaws.com")]
        )
        #expect(
            signer.signature(for: request, date: Self.s3Date)
                == "34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7"
        )
    }

    @Test func theSigningKeyIsAWSsDocumentedExample() {
        // The General Reference's "derive a signing key" example (iam, 2012-02-15).
        let signer = SigV4Signer(
            credentials: S3Credentials(accessKeyID: "x", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"),
            region: "us-east-1",
            service: "iam"
        )
        let key = signer.signingKey(date: Date(timeIntervalSince1970: 1_329_264_000))
        let hex = key.map { String(format: "%02x", $0) }.joined()
        #expect(hex == "f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d")
    }

    @Test func pathsAreEncodedOnceAndKeepTheirSlashes() {
        #expect(SigV4Signer.encodePath("/b/a b+c/%41é~.md") == "/b/a%20b%2Bc/%2541%C3%A9~.md")
        #expect(SigV4Signer.encode("a/b=c&d") == "a%2Fb%3Dc%26d")
    }

    @Test func sessionTokensAreSentAndSigned() {
        let signer = SigV4Signer(
            credentials: S3Credentials(accessKeyID: "AKIDEXAMPLE", secretAccessKey: "secret", sessionToken: "token"),
            region: "eu-west-1"
        )
        let request = SigV4Request(method: "GET", path: "/", headers: [("host", "h")], payload: .unsigned)
        let headers = signer.signedHeaders(for: request, date: Self.s3Date)
        #expect(headers.contains { $0.name == "x-amz-security-token" && $0.value == "token" })
        #expect(headers.contains { $0.name == "x-amz-content-sha256" && $0.value == "UNSIGNED-PAYLOAD" })
        #expect(
            headers.last!.value.contains("SignedHeaders=host;x-amz-content-sha256;x-amz-date;x-amz-security-token,")
        )
    }

    @Test func datesAreFormattedInUTC() {
        let signer = SigV4Signer(credentials: Self.s3Credentials, region: "r")
        #expect(signer.credentialScope(date: Date(timeIntervalSince1970: 951_868_799)) == "20000229/r/s3/aws4_request")
        let request = SigV4Request(method: "GET", path: "/", headers: [("host", "h")])
        let headers = signer.signedHeaders(for: request, date: Date(timeIntervalSince1970: 4_107_542_399.9))
        #expect(headers.first { $0.name == "x-amz-date" }?.value == "21000228T235959Z")
    }

    @Test func credentialsNeverShowTheirSecrets() {
        let credentials = S3Credentials(
            accessKeyID: "AKIAIOSFODNN7EXAMPLE",
            secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
            sessionToken: "FQoGZXIvYXdzEXAMPLETOKEN"
        )
        var dumped = ""
        dump(credentials, to: &dumped)
        for text in [
            credentials.description, credentials.debugDescription, "\(credentials)", String(reflecting: credentials),
            dumped,
        ] {
            #expect(!text.contains("wJalrXUtnFEMI"))
            #expect(!text.contains("EXAMPLEKEY"))
            #expect(!text.contains("FQoGZXIvYXdz"))
            #expect(!text.contains("IOSFODNN7EXAMPLE"))
        }
        #expect(credentials.description.contains("AKIA…"))
    }
}
