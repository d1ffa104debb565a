import Crypto
public import Foundation

/// Signs HTTP requests with AWS Signature Version 4 (header-based), as S3 expects.
///
/// The signer is a pure value: give it a request and the time, get back the headers to send.
/// It follows the S3 flavour of the algorithm: the path is URI-encoded exactly once (no double
/// encoding, no `.`/`..` normalisation, `/` kept), every byte outside `A-Z a-z 0-9 - _ . ~` is
/// percent-encoded in upper-case hex, query parameters are sorted by encoded name then encoded
/// value, header names are lower-cased and values trimmed with inner runs of spaces and tabs
/// collapsed to one space, and repeated headers are joined with commas in the order given.
///
/// ```swift
/// let signer = SigV4Signer(credentials: credentials, region: "us-east-1")
/// let request = SigV4Request(method: "GET", path: "/bucket/key.md", headers: [("host", "s3.example.com")])
/// let headers = signer.signedHeaders(for: request, date: Date())  // host, x-amz-*, authorization
/// ```
///
/// Verified against the AWS Signature Version 4 test suite, AWS's S3 examples and botocore's signer
/// (see `Tests/QuarryConnectorsTests/SigV4*`).
public struct SigV4Signer: Sendable {
    /// The key to sign with.
    public var credentials: S3Credentials
    /// The region in the credential scope, such as `us-east-1`.
    public var region: String
    /// The service in the credential scope: `s3`.
    public var service: String
    /// Whether to send and sign `x-amz-content-sha256` (S3 requires it; the generic AWS test
    /// suite does not use it).
    public var sendsContentHash: Bool

    /// Creates a signer.
    public init(credentials: S3Credentials, region: String, service: String = "s3", sendsContentHash: Bool = true) {
        self.credentials = credentials
        self.region = region
        self.service = service
        self.sendsContentHash = sendsContentHash
    }

    /// The algorithm name in the string to sign and the `Authorization` header.
    public static let algorithm = "AWS4-HMAC-SHA256"

    /// The headers to send: the request's own (without any `authorization`, `x-amz-date`,
    /// `x-amz-content-sha256` or `x-amz-security-token` it carried), then `x-amz-date`,
    /// `x-amz-content-sha256` (when ``sendsContentHash``), `x-amz-security-token` (with a session
    /// token) and `authorization`. All of them but `authorization` are signed.
    public func signedHeaders(for request: SigV4Request, date: Date) -> [(name: String, value: String)] {
        let prepared = prepare(request, date: date)
        let signature = self.signature(for: request, date: date)
        let scope = credentialScope(date: date)
        let authorization =
            "\(Self.algorithm) Credential=\(credentials.accessKeyID)/\(scope), "
            + "SignedHeaders=\(Self.signedHeaderNames(prepared.headers)), Signature=\(signature)"
        return prepared.headers + [("authorization", authorization)]
    }

    /// The `Authorization` header's value alone.
    public func authorization(for request: SigV4Request, date: Date) -> String {
        signedHeaders(for: request, date: date).last!.value
    }

    /// The canonical request (task 1 of the algorithm).
    public func canonicalRequest(for request: SigV4Request, date: Date) -> String {
        let prepared = prepare(request, date: date)
        return [
            request.method.uppercased(),
            Self.encodePath(request.path),
            Self.canonicalQuery(request.query),
            Self.canonicalHeaders(prepared.headers),
            Self.signedHeaderNames(prepared.headers),
            request.payload.hashValue,
        ].joined(separator: "\n")
    }

    /// The string to sign (task 2).
    public func stringToSign(for request: SigV4Request, date: Date) -> String {
        let timestamp = SigV4Date(date)
        let canonical = canonicalRequest(for: request, date: date)
        return [
            Self.algorithm,
            timestamp.dateTime,
            credentialScope(date: date),
            Self.hex(SHA256.hash(data: Data(canonical.utf8))),
        ].joined(separator: "\n")
    }

    /// The signature (tasks 3 and 4): HMAC of the string to sign under the derived key, in hex.
    public func signature(for request: SigV4Request, date: Date) -> String {
        let key = SymmetricKey(data: signingKey(date: date))
        let mac = HMAC<SHA256>.authenticationCode(for: Data(stringToSign(for: request, date: date).utf8), using: key)
        return Self.hex(mac)
    }

    /// The signing key's bytes: `HMAC("AWS4" + secret, date)` → region → service → `aws4_request`.
    public func signingKey(date: Date) -> Data {
        var key = SymmetricKey(data: Data(("AWS4" + credentials.secretAccessKey).utf8))
        for part in [SigV4Date(date).date, region, service, "aws4_request"] {
            key = SymmetricKey(data: Data(HMAC<SHA256>.authenticationCode(for: Data(part.utf8), using: key)))
        }
        return key.withUnsafeBytes { Data($0) }
    }

    /// `YYYYMMDD/region/service/aws4_request`.
    public func credentialScope(date: Date) -> String {
        "\(SigV4Date(date).date)/\(region)/\(service)/aws4_request"
    }

    // MARK: - Canonical forms

    /// Headers that the signer sets itself; copies given by the caller are dropped.
    private static let ownHeaders: Set<String> = [
        "authorization", "x-amz-date", "x-amz-content-sha256", "x-amz-security-token",
    ]

    private struct Prepared {
        var headers: [(name: String, value: String)]
    }

    private func prepare(_ request: SigV4Request, date: Date) -> Prepared {
        var headers = request.headers.filter { !Self.ownHeaders.contains($0.name.lowercased()) }
        headers.append(("x-amz-date", SigV4Date(date).dateTime))
        if sendsContentHash {
            headers.append(("x-amz-content-sha256", request.payload.hashValue))
        }
        if let token = credentials.sessionToken {
            headers.append(("x-amz-security-token", token))
        }
        return Prepared(headers: headers)
    }

    /// `name:value\n` per distinct lower-cased name, sorted by name; repeated names joined by commas.
    static func canonicalHeaders(_ headers: [(name: String, value: String)]) -> String {
        var values: [String: [String]] = [:]
        for header in headers {
            values[header.name.lowercased(), default: []].append(trimmedHeaderValue(header.value))
        }
        return values.keys.sorted(by: byteOrder).map { "\($0):\(values[$0]!.joined(separator: ","))\n" }.joined()
    }

    /// The lower-cased names, sorted, distinct, joined by `;`.
    static func signedHeaderNames(_ headers: [(name: String, value: String)]) -> String {
        Set(headers.map { $0.name.lowercased() }).sorted(by: byteOrder).joined(separator: ";")
    }

    /// Trims leading and trailing spaces and tabs and collapses inner runs of them into one space.
    static func trimmedHeaderValue(_ value: String) -> String {
        var result: [UInt8] = []
        var pendingSpace = false
        for byte in value.utf8 {
            if byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") {
                pendingSpace = !result.isEmpty
                continue
            }
            if pendingSpace {
                result.append(UInt8(ascii: " "))
                pendingSpace = false
            }
            result.append(byte)
        }
        return String(decoding: result, as: UTF8.self)
    }

    /// `name=value` pairs, each part encoded, sorted by encoded name then encoded value, joined by `&`.
    public static func canonicalQuery(_ query: [(name: String, value: String)]) -> String {
        query.map { (encode($0.name), encode($0.value)) }
            .sorted { $0.0 == $1.0 ? byteOrder($0.1, $1.1) : byteOrder($0.0, $1.0) }
            .map { "\($0.0)=\($0.1)" }
            .joined(separator: "&")
    }

    /// The path as sent and as signed: every byte but the unreserved ones and `/` percent-encoded, once.
    public static func encodePath(_ path: String) -> String {
        encode(path, keepingSlash: true)
    }

    /// Percent-encodes every byte except `A-Z a-z 0-9 - _ . ~` (and `/` when asked), with upper-case hex.
    public static func encode(_ text: String, keepingSlash: Bool = false) -> String {
        var result: [UInt8] = []
        result.reserveCapacity(text.utf8.count)
        let digits = Array("0123456789ABCDEF".utf8)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."),
                UInt8(ascii: "~"):
                result.append(byte)
            case UInt8(ascii: "/") where keepingSlash:
                result.append(byte)
            default:
                result.append(UInt8(ascii: "%"))
                result.append(digits[Int(byte >> 4)])
                result.append(digits[Int(byte & 0x0F)])
            }
        }
        return String(decoding: result, as: UTF8.self)
    }

    /// Compares by UTF-8 bytes, as the specification's sort does.
    static func byteOrder(_ left: String, _ right: String) -> Bool {
        left.utf8.lexicographicallyPrecedes(right.utf8)
    }

    /// Lower-case hex.
    static func hex(_ bytes: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var result: [UInt8] = []
        for byte in bytes {
            result.append(digits[Int(byte >> 4)])
            result.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: result, as: UTF8.self)
    }
}

/// A request as the signer sees it.
public struct SigV4Request: Sendable {
    /// `GET`, `HEAD`, ...
    public var method: String
    /// The path, *not* encoded (`/bucket/a b+c.md`); the signer and the client encode it once.
    public var path: String
    /// Query parameters, *not* encoded, in any order; a parameter without a value has `""`.
    public var query: [(name: String, value: String)]
    /// Headers to sign, `host` included; any case, repeated names allowed.
    public var headers: [(name: String, value: String)]
    /// The payload's hash, or ``SigV4Payload/unsigned``.
    public var payload: SigV4Payload

    /// Creates a request.
    public init(
        method: String,
        path: String,
        query: [(name: String, value: String)] = [],
        headers: [(name: String, value: String)],
        payload: SigV4Payload = .empty
    ) {
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.payload = payload
    }
}

/// What `x-amz-content-sha256` and the canonical request's last line say about the body.
public enum SigV4Payload: Sendable, Hashable {
    /// `UNSIGNED-PAYLOAD`: the body is not part of the signature.
    case unsigned
    /// The lower-case hex SHA-256 of the body.
    case sha256(String)

    /// The hash of an empty body.
    public static let empty = SigV4Payload.sha256("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")

    /// The hash of `body`.
    public static func hashing(_ body: Data) -> SigV4Payload {
        .sha256(SigV4Signer.hex(SHA256.hash(data: body)))
    }

    /// The value in the header and the canonical request.
    public var hashValue: String {
        switch self {
        case .unsigned: "UNSIGNED-PAYLOAD"
        case .sha256(let hex): hex
        }
    }
}

/// The two time formats of the algorithm, in UTC, computed without a formatter or locale.
struct SigV4Date {
    /// `YYYYMMDD`.
    let date: String
    /// `YYYYMMDD'T'HHMMSS'Z'`.
    let dateTime: String

    init(_ instant: Date) {
        let seconds = Int64(instant.timeIntervalSince1970.rounded(.down))
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = seconds - days * 86_400
        // Howard Hinnant's civil_from_days.
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        func pad(_ value: Int64, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        date = pad(year, 4) + pad(month, 2) + pad(day, 2)
        dateTime =
            date + "T" + pad(secondOfDay / 3600, 2) + pad(secondOfDay / 60 % 60, 2) + pad(secondOfDay % 60, 2) + "Z"
    }
}
