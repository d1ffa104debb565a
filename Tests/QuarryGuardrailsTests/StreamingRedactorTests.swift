import QuarryGuardrails
import Testing

/// What a user of a streamed answer must never see: any part of a masked value, whatever the chunking.
struct StreamingRedactorTests {
    let answer = """
        For payroll questions write to payroll.team@corp.example or call +44 20 7946 0958. Your IBAN \
        GB82 WEST 1234 5698 7654 32 is on file, and the portal is https://hr.corp.example/pay?tab=1. \
        Staff member EMP-004211 can also help. Thanks!
        """

    func engine() async throws -> GuardrailEngine {
        try await GuardrailEngine(policy: try maskingPolicy())
    }

    @Test(arguments: [1, 2, 3, 5, 7, 16, 40, 1000])
    func chunkedOutputIsAlwaysAPrefixOfTheRedactedAnswer(chunkSize: Int) async throws {
        let engine = try await engine()
        let whole = try await engine.evaluate(answer, stage: .output).text
        #expect(whole.contains("[EMAIL_ADDRESS]") && whole.contains("[PHONE_NUMBER]") && whole.contains("[IBAN_CODE]"))
        var redactor = engine.redactor()
        var sent = ""
        let scalars = Array(answer.unicodeScalars)
        var index = 0
        while index < scalars.count {
            var chunk = String.UnicodeScalarView()
            chunk.append(contentsOf: scalars[index..<min(scalars.count, index + chunkSize)])
            index += chunkSize
            sent += redactor.append(String(chunk))
            // Nothing sent can ever be taken back, so what was sent must be where the redacted answer starts.
            #expect(whole.hasPrefix(sent), "after \(index) scalars: \(sent)")
            for secret in ["payroll.team", "7946", "GB82", "5698", "004211"] { #expect(!sent.contains(secret)) }
        }
        sent += redactor.finish()
        #expect(sent == whole)
        #expect(!redactor.isBlocked)
        #expect(redactor.findings.map(\.type) == ["EMAIL_ADDRESS", "PHONE_NUMBER", "IBAN_CODE", "URL", "EMPLOYEE_ID"])
        #expect(redactor.findings.first { $0.type == "URL" }?.action == .log)  // logged, left in the text
    }

    @Test func blockingValuesAreMaskedAndFlagged() async throws {
        var redactor = try await engine().redactor()
        var sent = ""
        for chunk in ["Use card 4111 ", "1111 1111 ", "1111 for ", "travel."] { sent += redactor.append(chunk) }
        sent += redactor.finish()
        #expect(sent == "Use card [CREDIT_CARD] for travel.")
        #expect(redactor.isBlocked)
    }

    @Test func releasesTextWellBeforeTheEnd() async throws {
        var redactor = try await engine().redactor()
        let released = redactor.append(String(repeating: "All good here. ", count: 20))
        #expect(released.unicodeScalars.count >= 300 - StreamingRedactor.holdBack - 15)
    }

    /// Streams `text` in chunks of `size` scalars through a redactor of `policy`, checking that no
    /// chunk shows `secret`, and returns what was sent with the whole text's own redaction.
    func streamed(
        _ text: String,
        policy: String,
        size: Int,
        secret: String
    ) async throws -> (sent: String, whole: String) {
        let engine = try await GuardrailEngine(policy: try GuardrailPolicy(yaml: policy))
        let whole = try await engine.evaluate(text, stage: .output).text
        var redactor = engine.redactor()
        var sent = ""
        let scalars = Array(text.unicodeScalars)
        for start in stride(from: 0, to: scalars.count, by: size) {
            var chunk = String.UnicodeScalarView()
            chunk.append(contentsOf: scalars[start..<min(scalars.count, start + size)])
            sent += redactor.append(String(chunk))
            #expect(!sent.contains(secret), "chunks of \(size), after \(start) scalars")
        }
        sent += redactor.finish()
        return (sent, whole)
    }

    /// A value that is personal data only because of a context word five words before it, with
    /// long words between (more than ``StreamingRedactor/holdBack`` scalars): still masked.
    @Test(arguments: [1, 7, 40])
    func contextWordsFarBeforeAValueStillCount(chunkSize: Int) async throws {
        let long = String(repeating: "abcdefghij", count: 10)
        let key = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
        let text = "AWS secret: \(long) \(long.uppercased()) is \(key) now."
        let (sent, whole) = try await streamed(
            text,
            policy: "pii:\n  entities:\n    AWS_SECRET_KEY: mask\n",
            size: chunkSize,
            secret: "wJalrXUtnFEMI"
        )
        #expect(whole.contains("[AWS_SECRET_KEY]"), "the context word makes it a secret: \(whole)")
        #expect(sent == whole)
    }

    /// A value that is personal data only because of a context word two words after it, with a long
    /// word between: held back until that word has arrived.
    @Test(arguments: [(1, false), (7, false), (40, false), (1, true), (7, true)])
    func contextWordsAfterAValueAreSeenBeforeItIsReleased(chunkSize: Int, hyphenated: Bool) async throws {
        // Hyphens inside a word join it, for the recognisers: one word, not twelve.
        let long = Array(repeating: "klmnopqrst", count: 12).joined(separator: hyphenated ? "-" : "")
        let text = "Reference T123456 \(long) ticket closed today."
        let policy = """
            pii:
              custom:
                - name: TICKET
                  pattern: '\\bT\\d{6}\\b'
                  score: 0.3
                  context: [ticket]
            """
        let (sent, whole) = try await streamed(text, policy: policy, size: chunkSize, secret: "T123456")
        #expect(whole.contains("[TICKET]"), "the context word makes it a ticket: \(whole)")
        #expect(sent == whole)
    }

    /// Runs of punctuation are not words to the recognisers: a context word behind a markdown rule
    /// still counts.
    @Test(arguments: [1, 9])
    func punctuationBetweenTheContextWordAndTheValueIsNotWords(chunkSize: Int) async throws {
        let rule = Array(repeating: String(repeating: "=", count: 20), count: 12).joined(separator: " ")
        let text = "AWS secret: \(rule) wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY now."
        let (sent, whole) = try await streamed(
            text,
            policy: "pii:\n  entities:\n    AWS_SECRET_KEY: mask\n",
            size: chunkSize,
            secret: "wJalrXUtnFEMI"
        )
        #expect(whole.contains("[AWS_SECRET_KEY]"))
        #expect(sent == whole)
    }

    /// Text that can never be cut (no white space) is not held for ever: past
    /// ``StreamingRedactor/maximumHeld`` scalars the redactor gives up, having sent none of it.
    @Test func textThatCannotBeCutMakesTheRedactorGiveUp() async throws {
        var redactor = try await engine().redactor()
        var sent = redactor.append("Intro words here, then: ")
        let token = String(repeating: "x", count: 1000)
        for _ in 0..<10 { sent += redactor.append(token) }
        #expect(redactor.isOverflowing)
        #expect(!sent.contains("xxxx"), "nothing of the uncuttable run was sent")
        #expect(redactor.append("more") == "" && redactor.finish() == "")
    }
}
