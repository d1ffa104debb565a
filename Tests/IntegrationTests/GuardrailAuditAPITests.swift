import Foundation
import HTTPTypes
import Logging
import QuarryServer
import QuarryStore
import QuarryTesting
import Testing

/// `/api/v1/admin/guardrails/decisions`: admins page through what the guardrails decided, count it
/// and prune it; nobody sees the text that was caught, and nobody else reaches it.
struct GuardrailAuditAPITests {
    @Test func adminsPageCountAndPruneDecisionsWithoutTheText() async throws {
        let installation = try await DemoInstallation.make()
        try await withAPI(installation) { api in
            _ = try await api.send(.put, "/api/v1/admin/guardrails", as: "admin", body: GuardrailAPITests.topicPolicy)
            _ = try await api.ask("How do I NEGOTIATE a raise with my manager?", as: "bob")
            _ = try await api.ask("Who do I email with questions about my own pay or benefits?", as: "alice")
            _ = try await api.ask("How many days of annual leave do I get?", as: "carol")

            for user in ["alice", "bob", "carol"] {
                #expect(try await api.send(.get, "/api/v1/admin/guardrails/decisions", as: user).status == 403)
                #expect(
                    try await api.send(
                        .delete,
                        "/api/v1/admin/guardrails/decisions?before=2999-01-01T00:00:00Z",
                        as: user
                    ).status == 403
                )
            }

            let all = try await api.send(.get, "/api/v1/admin/guardrails/decisions", as: "admin")
            #expect(all.status == 200)
            let decisions = try #require(all.json["decisions"] as? [[String: Any]])
            #expect(decisions.count >= 5, "input and output for each question")
            #expect(
                !all.text.contains("northwind") && !all.text.contains("@")
                    && !all.text.lowercased().contains("negotiate")
            )
            let blocked = try #require(decisions.first { $0["verdict"] as? String == "blocked" })
            #expect(blocked["user"] as? String == "bob" && blocked["stage"] as? String == "input")
            #expect(blocked["blockedRule"] as? String == "topic/salary-negotiation")
            let masked = try #require(decisions.first { $0["verdict"] as? String == "modified" })
            let finding = try #require((masked["findings"] as? [[String: Any]])?.first)
            #expect(finding["type"] as? String == "EMAIL_ADDRESS" && finding["action"] as? String == "mask")
            #expect(finding["start"] is Int && finding["end"] is Int)

            // Pages of two, newest first, until the last.
            var seen: [Int] = []
            var path = "/api/v1/admin/guardrails/decisions?limit=2"
            while true {
                let page = try await api.send(.get, path, as: "admin")
                seen += (page.json["decisions"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? Int }
                guard let next = page.json["nextBefore"] as? Int else { break }
                path = "/api/v1/admin/guardrails/decisions?limit=2&before=\(next)"
            }
            #expect(seen == decisions.compactMap { $0["id"] as? Int })

            let onlyBob = try await api.send(
                .get,
                "/api/v1/admin/guardrails/decisions?user=bob&verdict=blocked",
                as: "admin"
            )
            #expect((onlyBob.json["decisions"] as? [[String: Any]])?.count == 1)

            let summary = try await api.send(.get, "/api/v1/admin/guardrails/decisions/summary", as: "admin")
            #expect(summary.json["total"] as? Int == decisions.count)
            let byRule = try #require(summary.json["byBlockedRule"] as? [String: Int])
            #expect(byRule == ["topic/salary-negotiation": 1])
            let byStage = try #require(summary.json["byStageAndVerdict"] as? [String: Int])
            #expect(byStage["input/blocked"] == 1 && byStage["output/modified"] == 1)

            // Bad parameters say what was wrong.
            for (query, message) in [
                ("stage=answer", "\"stage\" must be input, retrieval or output"),
                ("verdict=maybe", "\"verdict\" must be allowed, modified or blocked"),
                ("limit=0", "\"limit\" must be an integer from 1 to 500"),
                ("since=yesterday", "\"since\" must be an ISO 8601 time"),
                ("user=zed", "no user named \"zed\""),
            ] {
                let bad = try await api.send(.get, "/api/v1/admin/guardrails/decisions?\(query)", as: "admin")
                #expect(bad.status == 400)
                #expect(
                    (bad.json["detail"] as? String)?.lowercased().contains(message.lowercased()) == true,
                    "\(query)"
                )
            }
            #expect(try await api.send(.delete, "/api/v1/admin/guardrails/decisions", as: "admin").status == 400)

            // Retention: nothing is older than a year ago; everything is older than the year 2999.
            let kept = try await api.send(
                .delete,
                "/api/v1/admin/guardrails/decisions?before=2000-01-01T00:00:00Z",
                as: "admin"
            )
            #expect(kept.json["deleted"] as? Int == 0)
            let pruned = try await api.send(
                .delete,
                "/api/v1/admin/guardrails/decisions?before=2999-01-01T00:00:00Z",
                as: "admin"
            )
            #expect(pruned.json["deleted"] as? Int == decisions.count)
            #expect(try await installation.store.guardrailDecisions().isEmpty)
        }
    }

    @Test func theServerKeepsTheAuditToItsRetentionPeriod() async throws {
        let installation = try await DemoInstallation.make()
        let day: TimeInterval = 86_400
        for age in [400.0, 366, 30, 1] {
            try await installation.store.recordGuardrailDecision(
                GuardrailDecisionRecord(
                    createdAt: Date().addingTimeInterval(-age * day),
                    userID: nil,
                    conversationID: nil,
                    stage: "input",
                    verdict: "allowed",
                    policyVersion: nil,
                    blockedRule: nil,
                    findings: "[]"
                )
            )
        }
        let retention = GuardrailAuditRetention(
            store: installation.store,
            retention: .seconds(365 * 86_400),
            interval: .milliseconds(50),
            logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
        )
        let running = Task { try await retention.run() }
        var remaining = try await installation.store.guardrailDecisions()
        for _ in 0..<100 where remaining.count == 4 {
            try await Task.sleep(for: .milliseconds(20))
            remaining = try await installation.store.guardrailDecisions()
        }
        running.cancel()
        #expect(remaining.count == 2, "the two older than a year are gone, without a request")
        #expect(remaining.allSatisfy { $0.createdAt > Date().addingTimeInterval(-365 * day) })
        #expect(await retention.pruneOnce() == 0, "nothing more to prune")
    }
}
