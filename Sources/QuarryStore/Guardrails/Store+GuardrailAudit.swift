public import Foundation
import GRDB

/// Which audit records to read: all fields optional, combined with "and".
public struct GuardrailDecisionFilter: Sendable, Hashable {
    /// Only this stage (`input`, `retrieval`, `output`).
    public var stage: String?
    /// Only this verdict (`allowed`, `modified`, `blocked`).
    public var verdict: String?
    /// Only decisions about this user's messages.
    public var userID: Int64?
    /// Only decisions made at or after this time.
    public var since: Date?
    /// Only records with a smaller id (the page before one already read).
    public var beforeID: Int64?

    /// A filter; the default reads everything.
    public init(
        stage: String? = nil,
        verdict: String? = nil,
        userID: Int64? = nil,
        since: Date? = nil,
        beforeID: Int64? = nil
    ) {
        self.stage = stage
        self.verdict = verdict
        self.userID = userID
        self.since = since
        self.beforeID = beforeID
    }
}

/// Counts of audit records, for the admin's view of what the guardrails do.
public struct GuardrailDecisionSummary: Sendable, Hashable, Codable {
    /// Records counted.
    public var total: Int
    /// Per `stage/verdict` (`input/blocked`: 12).
    public var byStageAndVerdict: [String: Int]
    /// Per blocking rule (`topic/investment-advice`: 3).
    public var byBlockedRule: [String: Int]
}

extension Store {
    /// The newest audit records matching `filter`, newest first, at most `limit`.
    public func guardrailDecisions(
        limit: Int = 100,
        filter: GuardrailDecisionFilter = .init()
    ) async throws
        -> [GuardrailDecisionRecord]
    {
        let (condition, arguments) = Self.condition(filter)
        return try await database.read { db in
            try Row.fetchAll(
                db,
                sql: "SELECT * FROM guardrail_decision \(condition) ORDER BY id DESC LIMIT ?",
                arguments: arguments + [limit]
            )
            .map { row in
                var record = GuardrailDecisionRecord(
                    createdAt: row["created_at"],
                    userID: row["user_id"],
                    conversationID: row["conversation_id"],
                    stage: row["stage"],
                    verdict: row["verdict"],
                    policyVersion: row["policy_version"],
                    blockedRule: row["blocked_rule"],
                    findings: row["findings"]
                )
                record.id = row["id"]
                return record
            }
        }
    }

    /// How many records match `filter` (its `beforeID` included), by stage and verdict and by
    /// blocking rule.
    public func guardrailDecisionSummary(
        filter: GuardrailDecisionFilter = .init()
    ) async throws
        -> GuardrailDecisionSummary
    {
        let (condition, arguments) = Self.condition(filter)
        return try await database.read { db in
            var summary = GuardrailDecisionSummary(total: 0, byStageAndVerdict: [:], byBlockedRule: [:])
            for row in try Row.fetchAll(
                db,
                sql:
                    "SELECT stage, verdict, COUNT(*) AS n FROM guardrail_decision \(condition) GROUP BY stage, verdict",
                arguments: arguments
            ) {
                let count: Int = row["n"]
                summary.byStageAndVerdict["\(row["stage"] as String)/\(row["verdict"] as String)"] = count
                summary.total += count
            }
            let blocked =
                condition.isEmpty ? "WHERE blocked_rule IS NOT NULL" : condition + " AND blocked_rule IS NOT NULL"
            for row in try Row.fetchAll(
                db,
                sql: "SELECT blocked_rule, COUNT(*) AS n FROM guardrail_decision \(blocked) GROUP BY blocked_rule",
                arguments: arguments
            ) {
                summary.byBlockedRule[row["blocked_rule"]] = row["n"]
            }
            return summary
        }
    }

    /// Deletes the audit records made before `date`; returns how many.
    @discardableResult
    public func pruneGuardrailDecisions(before date: Date) async throws -> Int {
        try await database.write { db in
            try db.execute(sql: "DELETE FROM guardrail_decision WHERE created_at < ?", arguments: [date])
            return db.changesCount
        }
    }

    private static func condition(_ filter: GuardrailDecisionFilter) -> (String, StatementArguments) {
        var clauses: [String] = []
        var arguments = StatementArguments()
        if let stage = filter.stage {
            clauses.append("stage = ?")
            arguments += [stage]
        }
        if let verdict = filter.verdict {
            clauses.append("verdict = ?")
            arguments += [verdict]
        }
        if let userID = filter.userID {
            clauses.append("user_id = ?")
            arguments += [userID]
        }
        if let since = filter.since {
            clauses.append("created_at >= ?")
            arguments += [since]
        }
        if let beforeID = filter.beforeID {
            clauses.append("id < ?")
            arguments += [beforeID]
        }
        return (clauses.isEmpty ? "" : "WHERE " + clauses.joined(separator: " AND "), arguments)
    }
}
