import Foundation
import HTTPTypes
import Hummingbird
import Logging
import QuarryStore

/// Signs the request in with `Authorization: Bearer KEY`, or answers 401.
struct AuthenticationMiddleware: RouterMiddleware {
    typealias Context = QuarryRequestContext

    let store: Store

    func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws
        -> Response
    {
        guard let header = request.headers[.authorization] else { throw Problem.unauthorized }
        let parts = header.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" else { throw Problem.unauthorized }
        let key = parts[1].trimmingCharacters(in: .whitespaces)
        guard let user = try await store.authenticate(apiKey: key) else { throw Problem.unauthorized }
        var context = context
        context.user = user
        context.logger[metadataKey: "user.id"] = "\(user.id)"
        return try await next(request, context)
    }
}
