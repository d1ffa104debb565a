import Hummingbird
import QuarryStore

/// Lets only admins through; everyone else gets a 403 problem.
struct AdminMiddleware: RouterMiddleware {
    typealias Context = QuarryRequestContext

    func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws
        -> Response
    {
        guard try context.requireUser().isAdmin else {
            throw Problem(status: .forbidden, code: "admin_required", detail: "This route is for admins only.")
        }
        return try await next(request, context)
    }
}
