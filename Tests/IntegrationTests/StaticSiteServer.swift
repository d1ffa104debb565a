import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle

/// A real HTTP server on 127.0.0.1 that serves a folder (with ETag and 304 support), a robots.txt,
/// and any extra responses a test sets; it records every request it answers.
actor StaticSiteServer {
    struct Request: Sendable, Hashable {
        let path: String
        let status: Int
    }

    private(set) var requests: [Request] = []
    private var overrides: [String: (status: Int, body: String)] = [:]

    func record(_ path: String, _ status: Int) {
        requests.append(Request(path: path, status: status))
    }

    func forgetRequests() {
        requests.removeAll()
    }

    /// Makes `path` answer `status` with `body` instead of the file.
    func override(_ path: String, status: Int, body: String = "") {
        overrides[path] = (status, body)
    }

    func removeOverride(_ path: String) {
        overrides[path] = nil
    }

    func overrideFor(_ path: String) -> (status: Int, body: String)? {
        overrides[path]
    }

    /// Serves `root` (and `robots` at /robots.txt) while `body` runs, then stops.
    static func serving<Value: Sendable>(
        _ root: String,
        robots: String = "User-agent: *\nDisallow:\n",
        _ body: @Sendable (StaticSiteServer, Int) async throws -> Value
    ) async throws -> Value {
        let site = StaticSiteServer()
        let router = Router()
        router.add(middleware: RecordingMiddleware(site: site))
        router.add(
            middleware: FileMiddleware(
                root,
                searchForIndexHtml: true,
                logger: Logger(label: "site", factory: { _ in SwiftLogNoOpLogHandler() })
            )
        )
        router.get("robots.txt") { _, _ in robots }
        let (ports, portContinuation) = AsyncStream.makeStream(of: Int.self)
        let app = Application(
            router: router,
            configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in
                portContinuation.yield(channel.localAddress?.port ?? 0)
                portContinuation.finish()
            },
            logger: Logger(label: "site", factory: { _ in SwiftLogNoOpLogHandler() })
        )
        let group = ServiceGroup(
            configuration: .init(
                services: [app],
                logger: Logger(label: "site", factory: { _ in SwiftLogNoOpLogHandler() })
            )
        )
        return try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next(), port > 0 else {
                await group.triggerGracefulShutdown()
                throw CancellationError()
            }
            do {
                let value = try await body(site, port)
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
                return value
            } catch {
                await group.triggerGracefulShutdown()
                try? await tasks.waitForAll()
                throw error
            }
        }
    }
}

/// Answers overridden paths and records every request's path and status.
private struct RecordingMiddleware: RouterMiddleware {
    typealias Context = BasicRequestContext
    let site: StaticSiteServer

    func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws
        -> Response
    {
        let path = request.uri.path
        if let override = await site.overrideFor(path) {
            await site.record(path, override.status)
            return Response(
                status: .init(code: override.status),
                headers: [.contentType: "text/html"],
                body: .init(byteBuffer: ByteBuffer(string: override.body))
            )
        }
        do {
            let response = try await next(request, context)
            await site.record(path, Int(response.status.code))
            return response
        } catch let error as HTTPError {
            await site.record(path, Int(error.status.code))
            throw error
        }
    }
}
