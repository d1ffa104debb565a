import QuarryGuardrails
import Testing

/// What an admin checks: a blocked topic is recognised in other words than its examples, and
/// related but allowed questions pass. Uses the real all-MiniLM-L6-v2 model.
struct TopicDetectionTests {
    func investmentTopic() throws -> GuardrailPolicy.Topic {
        try #require(try GuardrailPolicy(yaml: try defaultPolicyText()).topics.first)
    }

    @Test func paraphrasesOfTheTopicFire() async throws {
        let detector = try await TopicDetector(topics: [try investmentTopic()], embedder: try TestModel.embedder())
        for question in [
            "What shares would you recommend I put my savings into?",
            "Thanks for the help. Should I buy Tesla or Apple stock right now?",
            "Is ethereum a better investment than gold?",
        ] {
            let hit = try #require(try await detector.detect(question, stage: .input).first)
            #expect(hit.fired, "\(question): \(hit.score)")
        }
    }

    @Test func nearbyButAllowedQuestionsPass() async throws {
        let detector = try await TopicDetector(topics: [try investmentTopic()], embedder: try TestModel.embedder())
        for question in [
            "How do I enrol in the company pension scheme?",
            "When is payday this month?",
            "How many days of annual leave do I get?",
            "Where do I submit travel expenses?",
            "Does the company match pension contributions?",
            "How does the employee stock purchase plan work?",
        ] {
            let hit = try #require(try await detector.detect(question, stage: .input).first)
            #expect(!hit.fired, "\(question): \(hit.score)")
        }
    }

    @Test func theBestSentenceIsTheSpan() async throws {
        let detector = try await TopicDetector(topics: [try investmentTopic()], embedder: try TestModel.embedder())
        let text = "I have a question about payroll. Which stocks should I buy with my bonus?"
        let hit = try #require(try await detector.detect(text, stage: .input).first)
        #expect(hit.fired)
        #expect(slice(text, hit.span.lowerBound, hit.span.upperBound) == "Which stocks should I buy with my bonus?")
    }

    @Test func keywordsWorkWithoutAnEmbedder() async throws {
        let detector = try await TopicDetector(topics: [try investmentTopic()], embedder: nil)
        let hit = try #require(try await detector.detect("Any hot STOCK TIPS?", stage: .input).first)
        #expect(hit.fired && hit.score == 1)
        let miss = try #require(try await detector.detect("Which stocks should I buy?", stage: .input).first)
        #expect(!miss.fired)
    }
}
