import Hummingbird
import Logging
import NIOCore
import QuarryAnswer
import QuarryStore

/// Turns every error into an `application/problem+json` response with the right status.
///
/// Known errors keep their status and a safe description; anything unexpected becomes a bare 500
/// whose detail is only a reference to the log line, so internals never reach the client.
struct ProblemMiddleware<Context: RequestContext>: RouterMiddleware {
    let maximumBodyBytes: Int

    func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws
        -> Response
    {
        do {
            return try await next(request, context)
        } catch let problem as Problem {
            return try problem.response(from: request, context: context)
        } catch let error as ChatError {
            let problem =
                error.isInvalidRequest
                ? Problem.badRequest(
                    error == .emptyMessage ? "empty_message" : "message_too_long",
                    error.description.prefix(1).uppercased() + error.description.dropFirst() + "."
                )
                : Problem.notFound("No conversation with this id.")
            return try problem.response(from: request, context: context)
        } catch let error as LanguageModelError {
            context.logger.error("the language model failed", metadata: ["error.description": "\(error)"])
            return try Problem.languageModelUnavailable.response(from: request, context: context)
        } catch is NIOTooManyBytesError {
            return try Problem.contentTooLarge(limit: maximumBodyBytes).response(from: request, context: context)
        } catch let error as HTTPError {
            let problem: Problem
            switch error.status {
            case .notFound: problem = .notFound("No route for \(request.method) \(request.uri.path).")
            case .contentTooLarge: problem = .contentTooLarge(limit: maximumBodyBytes)
            case .methodNotAllowed:
                problem = Problem(status: .methodNotAllowed, code: "method_not_allowed", detail: "Method not allowed.")
            default:
                problem = Problem(
                    status: error.status,
                    code: error.status.code < 500 ? "bad_request" : "internal_error",
                    detail: error.status.code < 500 ? (error.body ?? error.status.reasonPhrase) : "Internal error."
                )
            }
            return try problem.response(from: request, context: context)
        } catch {
            // The request id when the log handler keeps metadata, else a fresh one; either way it is in the log line.
            let reference =
                context.logger[metadataKey: "hb.request.id"]?.description
                ?? String(UInt64.random(in: 0...UInt64.max), radix: 16)
            context.logger.error(
                "request failed",
                metadata: [
                    "error.reference": "\(reference)", "error.type": "\(type(of: error))",
                    "error.description": "\(String(describing: error))",
                ]
            )
            return try Problem.internal(reference: reference).response(from: request, context: context)
        }
    }
}
