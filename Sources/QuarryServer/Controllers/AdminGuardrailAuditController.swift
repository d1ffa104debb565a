import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import QuarryGuardrails
import QuarryStore

/// `/api/v1/admin/guardrails/decisions`: the guardrail audit — what fired, where and what it did,
/// never the text — a page at a time, counted, and pruned. Admins only.
struct AdminGuardrailAuditController {
    let store: Store

    func addRoutes(to group: RouterGroup<QuarryRequestContext>) {
        group.get("guardrails/decisions", use: list)
        group.get("guardrails/decisions/summary", use: summary)
        group.delete("guardrails/decisions", use: prune)
    }

    /// Newest first; `limit` (1–500, default 100), `before` (the `nextBefore` of the previous page),
    /// `stage`, `verdict`, `user` (a name) and `since` (ISO 8601).
    @Sendable func list(_ request: Request, context: QuarryRequestContext) async throws -> Response {
        let query = request.uri.queryParameters
        var filter = try await self.filter(query)
        var limit = 100
        if let text = query.get("limit") {
            guard let value = Int(text), (1...500).contains(value) else {
                throw Problem.badRequest(
                    "invalid_parameter",
                    "The parameter \"limit\" must be an integer from 1 to 500."
                )
            }
            limit = value
        }
        if let text = query.get("before") {
            guard let value = Int64(text), value > 0 else {
                throw Problem.badRequest(
                    "invalid_parameter",
                    "The parameter \"before\" must be a nextBefore value from an earlier page."
                )
            }
            filter.beforeID = value
        }
        let records = try await store.guardrailDecisions(limit: limit, filter: filter)
        var names: [Int64: String] = [:]
        for id in Set(records.compactMap(\.userID)) {
            names[id] = try await store.user(id: id)?.name
        }
        let formatter = ISO8601DateFormatter()
        let decisions: [[String: Any]] = records.map { record in
            var object: [String: Any] = [
                "id": record.id ?? 0,
                "createdAt": formatter.string(from: record.createdAt),
                "stage": record.stage,
                "verdict": record.verdict,
                "findings": (try? JSONSerialization.jsonObject(with: Data(record.findings.utf8))) ?? [],
            ]
            if let user = record.userID.flatMap({ names[$0] }) { object["user"] = user }
            if let conversation = record.conversationID { object["conversationId"] = conversation }
            if let version = record.policyVersion { object["policyVersion"] = version }
            if let rule = record.blockedRule { object["blockedRule"] = rule }
            return object
        }
        var page: [String: Any] = ["decisions": decisions]
        if records.count == limit, let last = records.last?.id { page["nextBefore"] = last }
        return try json(page)
    }

    /// Counts by stage and verdict and by blocking rule, for the same filters as the list.
    @Sendable func summary(_ request: Request, context: QuarryRequestContext) async throws -> Response {
        let summary = try await store.guardrailDecisionSummary(filter: try await filter(request.uri.queryParameters))
        return try json([
            "total": summary.total, "byStageAndVerdict": summary.byStageAndVerdict,
            "byBlockedRule": summary.byBlockedRule,
        ])
    }

    /// Deletes the records made before `before` (ISO 8601, required): the retention an admin applies.
    @Sendable func prune(_ request: Request, context: QuarryRequestContext) async throws -> Response {
        guard let text = request.uri.queryParameters.get("before") else {
            throw Problem.badRequest(
                "missing_parameter",
                "Say which records to delete with \"before\", an ISO 8601 time such as 2026-01-01T00:00:00Z."
            )
        }
        let deleted = try await store.pruneGuardrailDecisions(before: try Self.date(text, parameter: "before"))
        return try json(["deleted": deleted])
    }

    private func filter(_ query: Parameters) async throws -> GuardrailDecisionFilter {
        var filter = GuardrailDecisionFilter()
        filter.stage = try Self.value(of: GuardrailStage.self, "stage", in: query)?.rawValue
        filter.verdict = try Self.value(of: GuardrailResult.Verdict.self, "verdict", in: query)?.rawValue
        if let name = query.get("user") {
            guard let user = try await store.user(named: name) else {
                throw Problem.badRequest("invalid_parameter", "There is no user named \"\(name)\".")
            }
            filter.userID = user.id
        }
        if let text = query.get("since") { filter.since = try Self.date(text, parameter: "since") }
        return filter
    }

    /// The query parameter `name` as one of `Value`'s cases, or a 400 listing them.
    private static func value<Value: RawRepresentable<String> & CaseIterable>(
        of type: Value.Type,
        _ name: String,
        in query: Parameters
    ) throws -> Value? {
        guard let text = query.get(name) else { return nil }
        guard let value = Value(rawValue: text) else {
            let names = Value.allCases.map(\.rawValue)
            let list = names.dropLast().joined(separator: ", ") + " or " + (names.last ?? "")
            throw Problem.badRequest("invalid_parameter", "The parameter \"\(name)\" must be \(list).")
        }
        return value
    }

    private static func date(_ text: String, parameter: String) throws -> Date {
        guard let date = ISO8601DateFormatter().date(from: text) else {
            throw Problem.badRequest(
                "invalid_parameter",
                "The parameter \"\(parameter)\" must be an ISO 8601 time such as 2026-01-01T00:00:00Z."
            )
        }
        return date
    }

    private func json(_ object: [String: Any]) throws -> Response {
        let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
        return Response(
            status: .ok,
            headers: [.contentType: "application/json; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(bytes: data))
        )
    }
}
