public import Hummingbird
public import Logging
import QuarryAnswer
public import QuarryCore
public import QuarryGuardrails
public import QuarryIndex
import QuarryIngest
public import QuarryStore
import ServiceLifecycle

/// Builds Quarry's HTTP application over a store.
///
/// Routes: `GET /healthz` (no key), and with `Authorization: Bearer KEY`: `GET /api/v1/me`,
/// `POST /api/v1/chat`, `POST /api/v1/chat/stream`, `GET /api/v1/conversations`, `GET` and
/// `DELETE /api/v1/conversations/{id}`,
/// and for admins `/api/v1/admin/connectors…` and `/api/v1/admin/guardrails…`.
/// Every error is `application/problem+json`. Chat runs the guardrail policy in force (the
/// built-in default until an admin sets one); `embedder` lets its topics use embedding similarity.
/// With an `embedder`, syncs embed passages and a background ``QuarryIngest/EmbeddingBackfill``
/// embeds those still without a vector; with `vectors` too (made by the same model), chat
/// retrieves through ``QuarryIndex/HybridRetriever`` (vector search and BM25, fused, ranked as
/// `retrieval` says), and the index follows the store in the background. Answers come from
/// `generator` (such as a ``QuarryAnswer/LanguageModelGenerator``), by default the extractive one;
/// content filters ask `moderation` (a ``QuarryAnswer/ModerationClassifier``) before the built-in scorer.
///
/// ```swift
/// let store = try Store(directory: "./quarry-data")
/// let app = buildApplication(store: store, configuration: .init(port: 8080), logger: logger)
/// try await app.runService()
/// ```
public func buildApplication(
    store: Store,
    configuration: ServerConfiguration = .init(),
    logger: Logger,
    embedder: (any Embedder)? = nil,
    vectors: StoreVectorIndex? = nil,
    retrieval: HybridRetriever.Configuration = .init(),
    generator: (any Generator)? = nil,
    moderation: (any ContentClassifier)? = nil,
    onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
) -> some ApplicationProtocol {
    let guardrails = GuardrailService(store: store, embedder: embedder, classifier: moderation, logger: logger)
    let chat = ChatService(
        store: store,
        embedder: embedder,
        vectors: vectors,
        retrieval: retrieval,
        generator: generator,
        guardrails: guardrails,
        logger: logger
    )
    let router = Router(context: QuarryRequestContext.self)
    router.add(middleware: ProblemMiddleware(maximumBodyBytes: configuration.maximumBodyBytes))
    router.get("healthz") { _, _ -> HealthResponse in
        guard await store.isHealthy() else {
            throw Problem(status: .serviceUnavailable, code: "unhealthy", detail: "The database is not answering.")
        }
        return HealthResponse(status: "ok")
    }
    let api = router.group("api/v1").add(middleware: AuthenticationMiddleware(store: store))
    api.get("me") { _, context -> MeResponse in
        let user = try context.requireUser()
        return MeResponse(name: user.name, isAdmin: user.isAdmin, groups: user.groups)
    }
    ChatController(chat: chat, maximumBodyBytes: configuration.maximumBodyBytes).addRoutes(to: api)

    let coordinator = SyncCoordinator(engine: SyncEngine(store: store, embedder: embedder, logger: logger))
    let admin = api.group("admin").add(middleware: AdminMiddleware())
    AdminConnectorController(store: store, coordinator: coordinator, maximumBodyBytes: configuration.maximumBodyBytes)
        .addRoutes(to: admin)
    AdminGuardrailController(store: store, guardrails: guardrails, maximumBodyBytes: configuration.maximumBodyBytes)
        .addRoutes(to: admin)
    AdminGuardrailAuditController(store: store).addRoutes(to: admin)
    var services: [any Service] = []
    if let embedder {
        services.append(EmbeddingBackfill(store: store, embedder: embedder, logger: logger))
    }
    if let vectors { services.append(vectors) }
    if configuration.runsScheduledSyncs {
        services.append(SyncScheduler(store: store, coordinator: coordinator, logger: logger))
    }
    if let retention = configuration.auditRetention {
        services.append(GuardrailAuditRetention(store: store, retention: retention, logger: logger))
    }

    return Application(
        router: router,
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "quarry"),
        services: services,
        onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? configuration.port) },
        logger: logger
    )
}
