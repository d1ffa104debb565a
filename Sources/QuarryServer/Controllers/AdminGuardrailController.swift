import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import QuarryAnswer
import QuarryGuardrails
import QuarryStore

/// `/api/v1/admin/guardrails`: the policy in force, its versions and rollback, validation, and a
/// test that shows every rule that fires on a message. Admins only.
///
/// Policies are sent as the body itself, YAML or JSON (JSON is YAML), like `guardrails/default.yaml`.
struct AdminGuardrailController {
    let store: Store
    let guardrails: GuardrailService
    let maximumBodyBytes: Int

    func addRoutes(to group: RouterGroup<QuarryRequestContext>) {
        group.get("guardrails", use: show)
        group.put("guardrails", use: replace)
        group.post("guardrails/validate", use: validate)
        group.post("guardrails/test", use: test)
        group.get("guardrails/versions", use: versions)
        group.get("guardrails/versions/{version}", use: version)
        group.post("guardrails/versions/{version}/rollback", use: rollback)
    }

    @Sendable func show(_ request: Request, context: QuarryRequestContext) async throws -> Response {
        guard let active = try await store.activeGuardrailPolicy() else {
            return try json(["version": NSNull(), "isDefault": true, "source": GuardrailPolicy.defaultYAML])
        }
        return try json(describe(active, active: active.id, withSource: true))
    }

    @Sendable func replace(_ request: Request, context: QuarryRequestContext) async throws -> Response {
        let user = try context.requireUser()
        let source = try await readText(request)
        do {
            _ = try GuardrailPolicy(yaml: source)
        } catch let error as GuardrailPolicyError {
            throw Problem.badRequest("invalid_policy", "The policy was not saved: \(error).")
        }
        let saved = try await store.saveGuardrailPolicy(source: source, author: user.name)
        return try json(describe(saved, active: saved.id, withSource: true))
    }

    @Sendable func validate(_ request: Request, context: QuarryRequestContext) async throws -> Response {
        let source = try await readText(request)
        do {
            let policy = try GuardrailPolicy(yaml: source)
            return try json([
                "valid": true, "entities": policy.pii.entities.count + policy.pii.custom.count,
                "contentFilters": policy.content.filters.count, "topics": policy.topics.count,
            ])
        } catch let error as GuardrailPolicyError {
            return try json(["valid": false, "line": error.line ?? NSNull(), "reason": error.reason])
        }
    }

    private struct TestRequest: Decodable {
        let message: String
        let stage: String?
        let policy: String?
    }

    @Sendable func test(_ request: Request, context: QuarryRequestContext) async throws -> Response {
        let body = try await RequestBody.decode(TestRequest.self, from: request, limit: maximumBodyBytes)
        guard let stage = GuardrailStage(rawValue: body.stage ?? "input") else {
            throw Problem.badRequest("invalid_parameter", "The field \"stage\" must be input, retrieval or output.")
        }
        let engine: GuardrailEngine
        if let draft = body.policy {
            do {
                engine = try await guardrails.engine(for: try GuardrailPolicy(yaml: draft))
            } catch let error as GuardrailPolicyError {
                throw Problem.badRequest("invalid_policy", "The policy is not valid: \(error).")
            }
        } else {
            engine = try await guardrails.engine().engine
        }
        let result = try await engine.evaluate(body.message, stage: stage)
        let scalars = Array(body.message.unicodeScalars)
        let findings: [[String: Any]] = result.findings.map { finding in
            var item: [String: Any] = [
                "rule": finding.rule.rawValue, "type": finding.type, "score": finding.score,
                "action": finding.action.rawValue,
            ]
            if let start = finding.start, let end = finding.end {
                item["start"] = start
                item["end"] = end
                var view = String.UnicodeScalarView()
                view.append(contentsOf: scalars[start..<end])
                item["text"] = String(view)  // the admin's own message
            }
            return item
        }
        var object: [String: Any] = [
            "stage": stage.rawValue, "decision": result.verdict.rawValue, "text": result.text, "findings": findings,
        ]
        if let blocking = result.blockedBy {
            object["blockedBy"] = ["rule": blocking.rule.rawValue, "type": blocking.type]
        }
        return try json(object)
    }

    @Sendable func versions(_ request: Request, context: QuarryRequestContext) async throws -> Response {
        let active = try await store.activeGuardrailPolicyID()
        let versions = try await store.guardrailPolicyVersions()
        return try json(["versions": versions.map { describe($0, active: active, withSource: false) }])
    }

    @Sendable func version(_ request: Request, context: QuarryRequestContext) async throws -> Response {
        let id = try versionID(context)
        guard let version = try await store.guardrailPolicyVersion(id: id) else {
            throw Problem.notFound("No guardrail policy version \(id).")
        }
        return try json(describe(version, active: try await store.activeGuardrailPolicyID(), withSource: true))
    }

    @Sendable func rollback(_ request: Request, context: QuarryRequestContext) async throws -> Response {
        let user = try context.requireUser()
        let id = try versionID(context)
        guard let old = try await store.guardrailPolicyVersion(id: id) else {
            throw Problem.notFound("No guardrail policy version \(id).")
        }
        do {
            _ = try GuardrailPolicy(yaml: old.source)
        } catch let error as GuardrailPolicyError {
            throw Problem.badRequest("invalid_policy", "Version \(id) is not valid for this Quarry: \(error).")
        }
        let saved = try await store.rollBackGuardrailPolicy(to: id, author: user.name)
        return try json(describe(saved, active: saved.id, withSource: true))
    }

    private func versionID(_ context: QuarryRequestContext) throws -> Int64 {
        guard let text = context.parameters.get("version"), let id = Int64(text), id > 0 else {
            throw Problem.notFound("No such guardrail policy version.")
        }
        return id
    }

    private func readText(_ request: Request) async throws -> String {
        if let length = request.headers[.contentLength].flatMap(Int.init), length > maximumBodyBytes {
            throw Problem.contentTooLarge(limit: maximumBodyBytes)
        }
        let buffer = try await request.body.collect(upTo: maximumBodyBytes)
        guard buffer.readableBytes > 0 else {
            throw Problem.badRequest("empty_body", "The request body is empty; send the policy as YAML or JSON.")
        }
        guard let text = String(validating: buffer.readableBytesView, as: UTF8.self) else {
            throw Problem.badRequest("invalid_policy", "The policy must be UTF-8 text.")
        }
        return text
    }

    private func describe(_ version: GuardrailPolicyVersion, active: Int64?, withSource: Bool) -> [String: Any] {
        var object: [String: Any] = [
            "version": version.id, "author": version.author,
            "createdAt": ISO8601DateFormatter().string(from: version.createdAt), "active": version.id == active,
            "isDefault": false,
        ]
        if let restored = version.restoredFrom { object["restoredFrom"] = restored }
        if withSource { object["source"] = version.source }
        return object
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
