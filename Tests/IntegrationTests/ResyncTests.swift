import Foundation
import HTTPTypes
import QuarryCore
import QuarryIngest
import QuarryStore
import QuarryTesting
import Testing

/// Changes and deletions at the source reach answers after the next sync, and nothing stale is cited.
struct ResyncTests {
    @Test func aChangedFileIsCitedWithItsNewTextOnly() async throws {
        let installation = try await DemoInstallation.make(copyCorpus: true)
        let file = installation.corpusPath + "/company/paid-time-off.md"
        try await withAPI(installation) { api in
            let before = try await api.ask(
                "How many days of paid annual leave do full-time employees receive?",
                as: "carol"
            )
            #expect(before.text.contains("27 days of paid annual leave"))

            let original = try String(contentsOfFile: file, encoding: .utf8)
            try original.replacingOccurrences(of: "27 days of paid annual leave", with: "31 days of paid annual leave")
                .write(toFile: file, atomically: true, encoding: .utf8)
            let run = try await installation.sync()
            #expect(run.counts.updated == 1)
            #expect(run.counts.added == 0 && run.counts.deleted == 0 && run.counts.failed == 0)

            let after = try await api.ask(
                "How many days of paid annual leave do full-time employees receive?",
                as: "carol"
            )
            #expect(after.text.contains("31 days of paid annual leave"))
            #expect(!after.text.contains("27 days of paid annual leave"))
        }
    }

    @Test func aDeletedFileIsNeverCitedAgain() async throws {
        let installation = try await DemoInstallation.make(copyCorpus: true)
        try await withAPI(installation) { api in
            let before = try await api.ask("When must receipts be submitted in Expensely?", as: "carol")
            #expect(before.citations.contains { ($0["uri"] as? String)?.hasSuffix("expenses-and-travel.md") == true })

            try FileManager.default.removeItem(atPath: installation.corpusPath + "/company/expenses-and-travel.md")
            let run = try await installation.sync()
            #expect(run.counts.deleted == 1)

            for question in [
                "When must receipts be submitted in Expensely?", "What is the hotel cap per night in London?",
            ] {
                let after = try await api.ask(question, as: "carol")
                #expect(!after.text.contains("expenses-and-travel.md"))
                #expect(!after.text.contains("Expensely within 30 days"))
            }
        }
    }

    @Test func aNarrowedPolicyAppliesAtTheNextSyncWithoutReindexing() async throws {
        let installation = try await DemoInstallation.make(copyCorpus: true)
        try await withAPI(installation) { api in
            #expect(try await api.ask("What is the hotel cap per night in London?", as: "carol").text.contains("£220"))
            try #"{"readers": ["group:finance"]}"#.write(
                toFile: installation.corpusPath + "/company/expenses-and-travel.md.acl.json",
                atomically: true,
                encoding: .utf8
            )
            let run = try await installation.sync()
            #expect(run.counts.updated == 1)
            let after = try await api.ask("What is the hotel cap per night in London?", as: "carol")
            #expect(!after.text.contains("£220"))
        }
    }

    @Test func aBrokenPolicyWithdrawsTheDocumentsItGoverns() async throws {
        let installation = try await DemoInstallation.make(copyCorpus: true)
        try "{ this is not json".write(
            toFile: installation.corpusPath + "/hr/.quarry-acl.json",
            atomically: true,
            encoding: .utf8
        )
        let run = try await installation.sync()
        #expect(run.counts.failed == 4)
        #expect(
            run.failures.allSatisfy {
                $0.externalID.hasPrefix("hr/") && $0.reason.contains("hr/.quarry-acl.json is invalid")
            }
        )
        let remaining = try await installation.store.documents()
        #expect(!remaining.contains { $0.externalID.hasPrefix("hr/") })
        // carol still cannot see them, and neither can bob until the policy is fixed.
        try await withAPI(installation) { api in
            let response = try await api.ask("What is the L4 salary band?", as: "bob")
            #expect(!response.text.contains("£62,000"))
        }
    }

    @Test func anUnchangedCorpusCostsNoReindexing() async throws {
        let installation = try await DemoInstallation.make()
        let run = try await installation.sync()
        #expect(run.counts.unchanged == 24)
        #expect(run.counts.summaryLine == "added=0 updated=0 unchanged=24 deleted=0 failed=0")
        let full = try await installation.sync(mode: .full)
        #expect(full.counts.unchanged == 24)
    }
}
