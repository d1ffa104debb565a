import Foundation
public import HTTPTypes
public import Hummingbird

/// An error response in the RFC 9457 `application/problem+json` format.
///
/// The body has `type`, `title`, `status`, `detail` and a stable machine-readable `code`. Details
/// describe what was wrong with the request; they never contain document text, prompts, SQL or
/// stack traces.
public struct Problem: Error, HTTPResponseError, Sendable {
    public let status: HTTPResponse.Status
    /// A stable identifier for programs: `invalid_json`, `unauthorized`, `not_found`...
    public let code: String
    /// What happened, for a person.
    public let detail: String
    /// Extra headers (for example `WWW-Authenticate`).
    public var headers: HTTPFields = [:]

    /// Creates a problem.
    public init(status: HTTPResponse.Status, code: String, detail: String) {
        self.status = status
        self.code = code
        self.detail = detail
    }

    static let unauthorized: Problem = {
        var problem = Problem(
            status: .unauthorized,
            code: "unauthorized",
            detail: "Missing or invalid API key. Send it as: Authorization: Bearer YOUR_KEY"
        )
        problem.headers[.wwwAuthenticate] = "Bearer realm=\"quarry\""
        return problem
    }()

    static func badRequest(_ code: String, _ detail: String) -> Problem {
        Problem(status: .badRequest, code: code, detail: detail)
    }

    /// The language model behind the answers failed; the reason (which names internal endpoints) is
    /// only in the log.
    static let languageModelUnavailable = Problem(
        status: .badGateway,
        code: "language_model_unavailable",
        detail: "The language model that writes answers did not answer. Try again later; the log says why."
    )

    static func notFound(_ detail: String) -> Problem {
        Problem(status: .notFound, code: "not_found", detail: detail)
    }

    static func contentTooLarge(limit: Int) -> Problem {
        Problem(
            status: .contentTooLarge,
            code: "payload_too_large",
            detail: "The request body is larger than the limit of \(limit) bytes."
        )
    }

    static func `internal`(reference: String) -> Problem {
        Problem(
            status: .internalServerError,
            code: "internal_error",
            detail: "Something went wrong on our side. Reference: \(reference)"
        )
    }

    private struct Body: Encodable {
        let type: String
        let title: String
        let status: Int
        let detail: String
        let code: String
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let body = Body(
            type: "about:blank",
            title: status.reasonPhrase,
            status: status.code,
            detail: detail,
            code: code
        )
        var headers = headers
        headers[.contentType] = "application/problem+json"
        return Response(
            status: status,
            headers: headers,
            body: .init(byteBuffer: ByteBuffer(bytes: try encoder.encode(body)))
        )
    }
}
