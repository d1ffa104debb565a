import Foundation
import HTTPTypes
import QuarryStore
import QuarryTesting
import Testing

/// The admin API for connectors, as an admin integrating Quarry would use it.
struct AdminConnectorTests {
    private func body(_ object: [String: Any]) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self)
    }

    @Test func onlyAdminsReachTheAdminAPI() async throws {
        let installation = try await DemoInstallation.make()
        try await withAPI(installation) { api in
            for user in ["alice", "bob", "carol"] {
                let response = try await api.send(.get, "/api/v1/admin/connectors", as: user)
                #expect(response.status == 403)
                #expect(response.json["code"] as? String == "admin_required")
            }
            #expect(try await api.send(.get, "/api/v1/admin/connectors").status == 401)
            #expect(try await api.send(.get, "/api/v1/admin/connectors", as: "admin").status == 200)
        }
    }

    @Test func connectorsAreCreatedValidatedShownWithoutSecretsAndDeleted() async throws {
        let installation = try await DemoInstallation.make()
        let secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
        try await withAPI(installation) { api in
            let bucket: [String: Any] = [
                "name": "policies", "type": "s3", "endpoint": "http://127.0.0.1:9", "region": "us-east-1",
                "bucket": "docs", "access_key_id": "AKIAEXAMPLE", "secret_access_key": secret,
                "default_readers": ["everyone"], "schedule": "30m",
            ]
            let created = try await api.send(.post, "/api/v1/admin/connectors", as: "admin", body: try body(bucket))
            #expect(created.status == 201)
            #expect(!created.text.contains(secret))
            #expect(!created.text.contains("AKIAEXAMPLE"))
            let settings = try #require(created.json["settings"] as? [String: Any])
            #expect(settings["secret_access_key"] as? String == "********")
            #expect(settings["schedule"] as? String == "30m")

            let duplicate = try await api.send(.post, "/api/v1/admin/connectors", as: "admin", body: try body(bucket))
            #expect(duplicate.status == 409)

            var invalid = bucket
            invalid["name"] = "other"
            invalid.removeValue(forKey: "bucket")
            invalid["max_depth"] = 3
            let rejected = try await api.send(.post, "/api/v1/admin/connectors", as: "admin", body: try body(invalid))
            #expect(rejected.status == 400)
            #expect(rejected.json["detail"] as? String == "max_depth: unknown setting")

            // What an admin reads back can be sent back: the secret is kept.
            let shown = try await api.send(.get, "/api/v1/admin/connectors/policies", as: "admin")
            var edited = try #require(shown.json["settings"] as? [String: Any])
            edited["prefix"] = "handbook/"
            let replaced = try await api.send(
                .put,
                "/api/v1/admin/connectors/policies",
                as: "admin",
                body: try body(edited)
            )
            #expect(replaced.status == 200)
            let stored = try #require(try await installation.store.connector(named: "policies"))
            #expect(stored.configuration.contains(secret), "the store keeps the secret for syncs")
            #expect(stored.configuration.contains("handbook/"))

            let list = try await api.send(.get, "/api/v1/admin/connectors", as: "admin")
            #expect((list.json["connectors"] as? [[String: Any]])?.count == 2)
            #expect(!list.text.contains(secret))

            #expect(try await api.send(.delete, "/api/v1/admin/connectors/policies", as: "admin").status == 204)
            #expect(try await api.send(.get, "/api/v1/admin/connectors/policies", as: "admin").status == 404)
        }
    }

    @Test func syncsAreStartedAndTheirRunsReported() async throws {
        let installation = try await DemoInstallation.make(copyCorpus: true)
        try FileManager.default.removeItem(atPath: installation.corpusPath + "/company/office-guide.md")
        try "".write(toFile: installation.corpusPath + "/company/empty.md", atomically: true, encoding: .utf8)
        try await withAPI(installation) { api in
            let started = try await api.send(.post, "/api/v1/admin/connectors/handbook/sync", as: "admin")
            #expect(started.status == 202)
            let runID = try #require(started.json["runId"] as? Int)

            var run: [String: Any] = [:]
            for _ in 0..<200 {
                let runs = try await api.send(.get, "/api/v1/admin/connectors/handbook/runs", as: "admin")
                run = (runs.json["runs"] as? [[String: Any]])?.first { $0["id"] as? Int == runID } ?? [:]
                if run["status"] as? String != "running" { break }
                try await Task.sleep(for: .milliseconds(20))
            }
            #expect(run["status"] as? String == "succeeded")
            let counts = try #require(run["counts"] as? [String: Int])
            #expect(counts["deleted"] == 1)
            #expect(counts["failed"] == 1)
            #expect(counts["unchanged"] == 23)
            #expect(counts["seen"] == 24)
            let failures = try #require(run["failures"] as? [[String: String]])
            #expect(failures == [["externalId": "company/empty.md", "reason": "no text could be extracted"]])

            #expect(
                try await api.send(.post, "/api/v1/admin/connectors/handbook/sync?mode=sometimes", as: "admin").status
                    == 400
            )
            #expect(try await api.send(.post, "/api/v1/admin/connectors/nothing/sync", as: "admin").status == 404)
            #expect(
                try await api.send(.post, "/api/v1/admin/connectors/handbook/runs/\(runID)/cancel", as: "admin").status
                    == 409
            )
        }
    }
}
