import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import QuarryIngest
import QuarryStore

/// `/api/v1/admin/connectors`: create, read, update and delete connectors, start and cancel syncs,
/// and read their run history. Admins only. Secrets are write-only: responses show `********`.
struct AdminConnectorController {
    let store: Store
    let coordinator: SyncCoordinator
    let maximumBodyBytes: Int

    func addRoutes(to group: RouterGroup<QuarryRequestContext>) {
        group.get("connectors", use: list)
        group.post("connectors", use: create)
        group.get("connectors/{connector}", use: show)
        group.put("connectors/{connector}", use: replace)
        group.delete("connectors/{connector}", use: delete)
        group.post("connectors/{connector}/sync", use: sync)
        group.get("connectors/{connector}/runs", use: runs)
        group.post("connectors/{connector}/runs/{run}/cancel", use: cancel)
    }

    @Sendable func list(_ request: Request, context: QuarryRequestContext) async throws -> Response {
        var items: [Any] = []
        for record in try await store.connectors() {
            items.append(try await describe(record))
        }
        return try json(["connectors": items])
    }

    @Sendable func create(_ request: Request, context: QuarryRequestContext) async throws -> Response {
        let definition = try await readDefinition(request, existing: nil)
        guard try await store.connector(named: definition.name) == nil else {
            throw Problem(
                status: .conflict,
                code: "connector_exists",
                detail:
                    "A connector named \"\(definition.name)\" exists; PUT /api/v1/admin/connectors/\(definition.name) replaces it."
            )
        }
        let record = try await store.saveConnector(definition)
        return try json(try await describe(record), status: .created)
    }

    @Sendable func show(_ request: Request, context: QuarryRequestContext) async throws -> Response {
        try json(try await describe(try await record(context)))
    }

    @Sendable func replace(_ request: Request, context: QuarryRequestContext) async throws -> Response {
        let existing = try await record(context)
        let definition = try await readDefinition(
            request,
            existing: try ConnectorDefinition.decode(json: existing.configuration),
            name: existing.name
        )
        guard definition.name == existing.name else {
            throw Problem.badRequest("invalid_connector", "name: cannot be changed; create a new connector instead.")
        }
        let record = try await store.saveConnector(definition)
        return try json(try await describe(record))
    }

    @Sendable func delete(_ request: Request, context: QuarryRequestContext) async throws -> Response {
        let record = try await record(context)
        guard await !coordinator.isRunning(record.name) else {
            throw Problem(
                status: .conflict,
                code: "sync_running",
                detail: "A sync of this connector is running; cancel it first."
            )
        }
        try await store.deleteConnector(named: record.name)
        return Response(status: .noContent)
    }

    @Sendable func sync(_ request: Request, context: QuarryRequestContext) async throws -> Response {
        let record = try await record(context)
        let modeText = request.uri.queryParameters.get("mode") ?? "incremental"
        guard let mode = SyncMode(rawValue: modeText) else {
            throw Problem.badRequest("invalid_parameter", "The parameter \"mode\" must be incremental or full.")
        }
        do {
            let runID = try await coordinator.start(connectorName: record.name, mode: mode)
            return try json(["runId": runID, "connector": record.name, "mode": mode.rawValue], status: .accepted)
        } catch let error as SyncError where error.isAlreadyRunning {
            throw Problem(
                status: .conflict,
                code: "sync_running",
                detail: "A sync of this connector is already running."
            )
        } catch let error as ConnectorDefinitionError {
            throw Problem(status: .unprocessableContent, code: "invalid_connector", detail: "\(error)")
        }
    }

    @Sendable func runs(_ request: Request, context: QuarryRequestContext) async throws -> Response {
        let record = try await record(context)
        var limit = 20
        if let text = request.uri.queryParameters.get("limit") {
            guard let value = Int(text), (1...200).contains(value) else {
                throw Problem.badRequest(
                    "invalid_parameter",
                    "The parameter \"limit\" must be an integer from 1 to 200."
                )
            }
            limit = value
        }
        let runs = try await store.syncRuns(connectorName: record.name, limit: limit).map(Self.describe)
        return try json(["runs": runs])
    }

    @Sendable func cancel(_ request: Request, context: QuarryRequestContext) async throws -> Response {
        let record = try await record(context)
        guard let runID = context.parameters.get("run", as: Int64.self),
            let run = try await store.syncRun(id: runID), run.connectorName == record.name
        else { throw Problem.notFound("No such run of this connector.") }
        guard run.status == .running, await coordinator.cancel(runID: runID) else {
            throw Problem(status: .conflict, code: "not_running", detail: "This run is not running in this server.")
        }
        return try json(["runId": runID, "status": "cancelling"], status: .accepted)
    }

    // MARK: - Helpers

    /// The connector named by the path (its name or its numeric id).
    private func record(_ context: QuarryRequestContext) async throws -> ConnectorRecord {
        let key = context.parameters.get("connector") ?? ""
        let found: ConnectorRecord?
        if let id = Int64(key) {
            found = try await store.connector(id: id)
        } else {
            found = try await store.connector(named: key)
        }
        guard let found else { throw Problem.notFound("No connector \"\(key.prefix(80))\".") }
        return found
    }

    private func readDefinition(
        _ request: Request,
        existing: ConnectorDefinition?,
        name: String? = nil
    ) async throws
        -> ConnectorDefinition
    {
        if let length = request.headers[.contentLength].flatMap(Int.init), length > maximumBodyBytes {
            throw Problem.contentTooLarge(limit: maximumBodyBytes)
        }
        let body = try await request.body.collect(upTo: maximumBodyBytes)
        guard body.readableBytes > 0 else {
            throw Problem.badRequest("empty_body", "The request body is empty; send the connector's settings as JSON.")
        }
        do {
            var value = try ConfigValue.parse(json: Data(body.readableBytesView))
            if let name, case .map(var entries, let line) = value, !entries.contains(where: { $0.key == "name" }) {
                entries.append(ConfigValue.Entry(key: "name", value: .scalar(name, line: nil), line: nil))
                value = .map(entries, line: line)
            }
            return try ConnectorDefinition(configuration: value, existing: existing)
        } catch let error as ConnectorDefinitionError {
            throw Problem.badRequest("invalid_connector", "\(error)")
        }
    }

    private func describe(_ record: ConnectorRecord) async throws -> [String: Any] {
        let definition = try ConnectorDefinition.decode(json: record.configuration)
        var object: [String: Any] = [
            "id": record.id,
            "settings": Dictionary(
                uniqueKeysWithValues: definition.configurationPairs(redacted: true).map { ($0.key, $0.value) }
            ),
            "running": await coordinator.isRunning(record.name),
            "createdAt": Self.date(record.createdAt),
            "updatedAt": Self.date(record.updatedAt),
        ]
        if let last = try await store.syncRuns(connectorName: record.name, limit: 1).first {
            object["lastRun"] = Self.describe(last)
        }
        return object
    }

    private static func describe(_ run: SyncRun) -> [String: Any] {
        var object: [String: Any] = [
            "id": run.id, "mode": run.mode, "status": run.status.rawValue, "startedAt": date(run.startedAt),
            "counts": [
                "seen": run.counts.seen, "added": run.counts.added, "updated": run.counts.updated,
                "unchanged": run.counts.unchanged, "deleted": run.counts.deleted, "failed": run.counts.failed,
            ],
            "failures": run.failures.map { ["externalId": $0.externalID, "reason": $0.reason] },
            "warnings": run.warnings.map { ["externalId": $0.externalID, "message": $0.message] },
        ]
        if let finished = run.finishedAt { object["finishedAt"] = date(finished) }
        if let error = run.error { object["error"] = error }
        return object
    }

    private static func date(_ date: Date) -> String {
        ISO8601DateFormatter().string(from: date)
    }

    private func json(_ object: [String: Any], status: HTTPResponse.Status = .ok) throws -> Response {
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
        return Response(
            status: status,
            headers: [.contentType: "application/json; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(bytes: data))
        )
    }
}
