public import Hummingbird
public import QuarryStore

/// The request context of Quarry's routes: Hummingbird's core context and the signed-in user.
public struct QuarryRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The user the request's API key belongs to; set by ``AuthenticationMiddleware``.
    public var user: User?

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.user = nil
    }

    /// The signed-in user, or a 401 problem if the route was reached without one.
    func requireUser() throws -> User {
        guard let user else { throw Problem.unauthorized }
        return user
    }
}
