import Foundation
import HTTPTypes
import QuarryAnswer
import QuarryCore
import QuarryIndex
import QuarryStore
import QuarryTesting
import Testing

/// Tries to make restricted passages reach users who may not read them, through every route a user has.
@Suite(.serialized) struct PermissionTests {
    /// Text that appears only in documents carol may not read (checked against the corpus below).
    static let restrictedMarkers = [
        "£62,000", "$118,000", "10 working days", "PagerBell", "expired TLS certificate", "vision-based picking",
        "/hr/", "/engineering/", "leadership-offsite",
    ]

    static let probingQuestions = [
        "What are the salary bands for engineers?",
        "What is the L4 salary band?",
        "How long do I have to appeal a disciplinary decision?",
        "What is Project Kestrel?",
        "How quickly must a SEV1 page be acknowledged?",
        "What caused the fleet controller outage?",
        "62,000 78,000 118,000 152,000",
        "paging tool acknowledgement escalation engineer",
    ]

    @Test func theMarkersReallyAreConfinedToRestrictedDocuments() throws {
        let company = SampleCorpus.handbook + "/company"
        for file in try FileManager.default.subpathsOfDirectory(atPath: company)
        where file.hasSuffix(".md") || file.hasSuffix(".txt") {
            guard !file.hasPrefix("leadership-offsite") else { continue }
            let text = try String(contentsOfFile: company + "/" + file, encoding: .utf8)
            for marker in Self.restrictedMarkers where !marker.hasPrefix("/") && marker != "leadership-offsite" {
                #expect(!text.contains(marker), "\(marker) appears in company/\(file)")
            }
        }
    }

    @Test func carolGetsNoRestrictedPassageInAnswersCitationsHistoryOrErrors() async throws {
        let installation = try await DemoInstallation.make()
        try await withAPI(installation) { api in
            var bodies: [String] = []
            var conversationIDs: [String] = []
            for question in Self.probingQuestions {
                let response = try await api.ask(question, as: "carol")
                #expect(response.status == 200)
                bodies.append(response.text)
                if let id = response.json["conversationId"] as? String { conversationIDs.append(id) }
            }
            // The salary question gets the same reply as a question about nothing at all.
            let salary = try await api.ask("What are the salary bands for engineers?", as: "carol")
            let nonsense = try await api.ask("What colour is the moon on Thursdays?", as: "carol")
            #expect(salary.json["answer"] as? String == Answer.notFound.text)
            #expect(nonsense.json["answer"] as? String == Answer.notFound.text)
            #expect(salary.citations.isEmpty)

            // History: the list and every conversation.
            let list = try await api.send(.get, "/api/v1/conversations", as: "carol")
            #expect(list.status == 200)
            bodies.append(list.text)
            for id in conversationIDs {
                let conversation = try await api.send(.get, "/api/v1/conversations/\(id)", as: "carol")
                #expect(conversation.status == 200)
                bodies.append(conversation.text)
            }
            // Errors: continuing a conversation that is not hers, a bad body, an unknown route.
            let bobs = try await api.ask("What are the salary bands for engineers?", as: "bob")
            let bobsID = try #require(bobs.json["conversationId"] as? String)
            let foreign = try await api.ask("And the L4 band?", as: "carol", conversationID: bobsID)
            #expect(foreign.status == 404)
            bodies.append(foreign.text)
            let peek = try await api.send(.get, "/api/v1/conversations/\(bobsID)", as: "carol")
            #expect(peek.status == 404)
            bodies.append(peek.text)

            for body in bodies {
                for marker in Self.restrictedMarkers {
                    #expect(!body.contains(marker), "carol saw \(marker) in: \(body.prefix(300))")
                }
            }
        }
    }

    @Test func bobGetsTheSalaryBandsWithCitationsToTheHRDocument() async throws {
        let installation = try await DemoInstallation.make()
        try await withAPI(installation) { api in
            let response = try await api.ask("What is the L4 salary band for engineers?", as: "bob")
            #expect(response.status == 200)
            #expect(response.json["answered"] as? Bool == true)
            let answer = try #require(response.json["answer"] as? String)
            #expect(answer.contains("£62,000 – £78,000"))
            let uris = response.citations.compactMap { $0["uri"] as? String }
            #expect(uris.contains { $0.hasSuffix("/hr/salary-bands.md") })
            // alice (engineering) may not read HR documents either.
            let alice = try await api.ask("What is the L4 salary band for engineers?", as: "alice")
            #expect(!alice.text.contains("£62,000"))
        }
    }

    @Test func theLeadershipNotesInAnOpenFolderStayWithTheirSidecarReaders() async throws {
        let installation = try await DemoInstallation.make()
        try await withAPI(installation) { api in
            for user in ["alice", "bob", "carol"] {
                let response = try await api.ask("What is Project Kestrel?", as: user)
                #expect(!response.text.contains("vision-based picking"), "\(user) saw the offsite notes")
                #expect(!response.text.contains("leadership-offsite"))
            }
            let admin = try await api.ask("What is Project Kestrel?", as: "admin")
            #expect(admin.text.contains("vision-based picking"))
        }
    }

    @Test func aMembershipChangeIsHonouredByTheVeryNextQuestionAndInHistory() async throws {
        let installation = try await DemoInstallation.make()
        try await withAPI(installation) { api in
            let before = try await api.ask("What is the L4 salary band for engineers?", as: "bob")
            #expect(before.text.contains("£62,000"))
            let conversationID = try #require(before.json["conversationId"] as? String)

            try await installation.store.removeMember(userName: "bob", fromGroup: "hr")
            let after = try await api.ask("What is the L4 salary band for engineers?", as: "bob")
            #expect(!after.text.contains("£62,000"))
            #expect(after.json["answer"] as? String == Answer.notFound.text)

            // The earlier answer in bob's history cites a document he can no longer read: withheld.
            let history = try await api.send(.get, "/api/v1/conversations/\(conversationID)", as: "bob")
            #expect(history.status == 200)
            #expect(!history.text.contains("£62,000"))
            #expect(history.text.contains(ChatService.withheldAnswer))

            try await installation.store.addMember(userName: "bob", toGroup: "hr")
            let again = try await api.ask("What is the L4 salary band for engineers?", as: "bob")
            #expect(again.text.contains("£62,000"))
        }
    }

    @Test func everyCitationRefersToAPassageRetrievedForThatAsker() async throws {
        let installation = try await DemoInstallation.make()
        let questions =
            Self.probingQuestions + [
                "How many days of annual leave do I get?", "When do I need to submit receipts?",
                "How often can I work remotely?", "What is the guest wifi network in Leeds?", "Who is the CEO?",
            ]
        let retriever = KeywordRetriever(store: installation.store)
        let documents = try await installation.store.documents()
        try await withAPI(installation) { api in
            var citationCount = 0
            for user in ["alice", "bob", "carol", "admin"] {
                let account = try await installation.user(user)
                let scope = try await installation.store.accessScope(forUserID: account.id)
                for question in questions {
                    let response = try await api.ask(question, as: user)
                    #expect(response.status == 200)
                    let retrieved = try await retriever.retrieve(
                        question,
                        limit: ChatService.Configuration().retrievalLimit,
                        scope: scope
                    )
                    let retrievedIDs = Set(retrieved.map(\.passageID))
                    for citation in response.citations {
                        citationCount += 1
                        let passageID = try #require(
                            citation["passageId"] as? Int64 ?? (citation["passageId"] as? Int).map(Int64.init)
                        )
                        #expect(
                            retrievedIDs.contains(passageID),
                            "\(user): citation of passage \(passageID) for \"\(question)\" was not retrieved"
                        )
                        let documentID = try #require((citation["documentId"] as? Int).map(Int64.init))
                        let document = try #require(documents.first { $0.id == documentID })
                        #expect(scope.canRead(document.policy), "\(user) was cited \(document.externalID)")
                        // The snippet is text of that passage, and its offsets fit it.
                        let passage = try #require(retrieved.first { $0.passageID == passageID })
                        let snippet = try #require(citation["snippet"] as? String)
                        for piece in snippet.components(separatedBy: " … ") {
                            #expect(passage.passage.text.contains(piece))
                        }
                        let start = try #require(citation["start"] as? Int)
                        let end = try #require(citation["end"] as? Int)
                        #expect(passage.passage.range.start <= start && start < end && end <= passage.passage.range.end)
                    }
                }
            }
            #expect(citationCount > 20, "the questions should produce citations to check")
        }
    }

    @Test func whetherAQuestionIsAnsweredDoesNotDependOnRestrictedDocuments() async throws {
        let installation = try await DemoInstallation.make(copyCorpus: true)
        let questions = [
            "Are there office redundancies planned?", "What is the parking redundancies policy at the office?",
        ]
        try await withAPI(installation) { api in
            var before: [String] = []
            for question in questions {
                before.append(try #require(try await api.ask(question, as: "carol").json["answer"] as? String))
            }
            // Sixty HR-only documents about redundancies appear.
            for index in 0..<60 {
                try "# Restructuring \(index)\n\nRedundancies are planned for team \(index) in the Leeds office."
                    .write(
                        toFile: installation.corpusPath + "/hr/restructuring-\(index).md",
                        atomically: true,
                        encoding: .utf8
                    )
            }
            #expect(try await installation.sync().counts.added == 60)
            for (question, earlier) in zip(questions, before) {
                let after = try await api.ask(question, as: "carol")
                #expect(after.json["answer"] as? String == earlier, "carol's answer changed: \(after.text.prefix(300))")
                #expect(!after.text.contains("Restructuring"))
            }
        }
    }
}
