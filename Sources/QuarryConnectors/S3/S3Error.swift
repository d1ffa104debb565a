/// An S3 request failed.
///
/// The description names the operation, the bucket and the key, and S3's error code and message
/// when there is one; never credentials, signatures or request headers.
public struct S3Error: Error, Equatable, Sendable, CustomStringConvertible {
    private enum Code: Equatable, Sendable {
        /// S3 answered with an error status (and, usually, an `<Error>` document).
        case service(status: Int, code: String?, message: String?)
        /// The endpoint could not be reached, timed out or closed the connection.
        case transport(String)
        /// The answer could not be understood (malformed XML, missing fields).
        case malformedResponse(String)
        /// The object is larger than the caller accepts.
        case tooLarge(size: Int64?, limit: Int64)
        /// Credentials or settings are missing or wrong before any request is made.
        case configuration(String)
    }

    private let code: Code
    /// The operation: `ListObjectsV2`, `HeadObject`, `GetObject`.
    public let operation: String
    /// The object key, when the operation is about one object.
    public let key: String?

    private init(_ code: Code, operation: String, key: String?) {
        self.code = code
        self.operation = operation
        self.key = key
    }

    /// S3 answered with an error status.
    public static func service(
        status: Int,
        code: String?,
        message: String?,
        operation: String,
        key: String? = nil
    ) -> S3Error {
        S3Error(.service(status: status, code: code, message: message), operation: operation, key: key)
    }

    /// The request could not be completed (connection refused, reset, timed out).
    public static func transport(_ reason: String, operation: String, key: String? = nil) -> S3Error {
        S3Error(.transport(reason), operation: operation, key: key)
    }

    /// The response could not be understood.
    public static func malformedResponse(_ reason: String, operation: String, key: String? = nil) -> S3Error {
        S3Error(.malformedResponse(reason), operation: operation, key: key)
    }

    /// The object is over the size limit (`size` is nil when the server did not say).
    public static func tooLarge(size: Int64?, limit: Int64, key: String) -> S3Error {
        S3Error(.tooLarge(size: size, limit: limit), operation: "GetObject", key: key)
    }

    /// Settings or credentials are unusable.
    public static func configuration(_ message: String) -> S3Error {
        S3Error(.configuration(message), operation: "configuration", key: nil)
    }

    /// The HTTP status, for service errors.
    public var status: Int? {
        if case .service(let status, _, _) = code { return status }
        return nil
    }

    /// S3's error code (`NoSuchKey`, `AccessDenied`, `SlowDown`, ...), for service errors.
    public var errorCode: String? {
        if case .service(_, let errorCode, _) = code { return errorCode }
        return nil
    }

    /// Whether the object (or bucket) does not exist.
    public var isNotFound: Bool {
        guard case .service(let status, let errorCode, _) = code else { return false }
        return status == 404 || errorCode == "NoSuchKey" || errorCode == "NotFound"
    }

    /// Whether trying again later may succeed: throttling, 5xx, timeouts, connection failures.
    public var isRetryable: Bool {
        switch code {
        case .transport: return true
        case .service(let status, let errorCode, _):
            if status >= 500 { return true }
            return ["SlowDown", "RequestTimeout", "ThrottlingException", "Throttling"]
                .contains(errorCode ?? "")
        case .malformedResponse, .tooLarge, .configuration: return false
        }
    }

    public var description: String {
        let subject = key.map { "\(operation) of \"\($0)\"" } ?? operation
        switch code {
        case .service(let status, let errorCode, let message):
            var text = "\(subject) failed: HTTP \(status)"
            if let errorCode { text += " \(errorCode)" }
            if let message, !message.isEmpty { text += ": \(message.prefix(300))" }
            return text
        case .transport(let reason): return "\(subject) failed: \(reason)"
        case .malformedResponse(let reason): return "\(subject) returned a response that cannot be read: \(reason)"
        case .tooLarge(let size, let limit):
            let stated = size.map { "it is \($0) bytes" } ?? "it is larger than that"
            return "\(subject) refused: \(stated), over the limit of \(limit) bytes"
        case .configuration(let message): return "invalid S3 settings: \(message)"
        }
    }
}
