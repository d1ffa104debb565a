import QuarryGuardrails
import Testing

/// What a privacy officer checks: real identifiers are found with exact spans, look-alikes are not.
struct PIIRecognizerTests {
    let analyzer = try! PIIAnalyzer()

    @Test func emailsWithExactScalarSpans() {
        let text = "📧 Écrivez à ana.lopez+hr@corp.example.co.uk, merci."
        let matches = analyzer.analyze(text)
        #expect(matches.count == 1)
        #expect(matches.first?.entity == "EMAIL_ADDRESS")
        #expect(slice(text, matches.first?.start, matches.first?.end) == "ana.lopez+hr@corp.example.co.uk")
        #expect(matches.first?.start == 12)
    }

    @Test(arguments: [
        "+44 20 7946 0958", "+44 (0)20 7946 0958", "+49-30-1234567", "(202) 555-0143", "202-555-0143",
        "202.555.0143", "+1-202-555-0143x123", "001-202-555-0143", "+33 1 23 45 67 89", "+81 3-1234-5678",
        "020 7946 0958",
    ])
    func phoneNumbersInInternationalFormats(number: String) {
        let text = "You can call me on \(number) tomorrow."
        #expect(found(text, analyzer) == ["PHONE_NUMBER:\(number)"])
    }

    @Test func bareDigitsAreAPhoneOnlyWithContext() {
        #expect(found("Order 2025550143 shipped.", analyzer).isEmpty)
        #expect(found("My mobile is 2025550143.", analyzer) == ["PHONE_NUMBER:2025550143"])
    }

    @Test func anyDigitGroupsAreAPhoneNextToAPhoneWord() {
        #expect(found("Office: 9380 6377", analyzer) == ["PHONE_NUMBER:9380 6377"])
        #expect(found("call me at (51) 9668-9224 tomorrow", analyzer) == ["PHONE_NUMBER:(51) 9668-9224"])
        #expect(found("Mobile:\\n031-103-543", analyzer) == ["PHONE_NUMBER:031-103-543"])
        #expect(found("We sold 9380 6377 units in 12 34 days.", analyzer).isEmpty)
    }

    @Test func creditCardsNeedTheLuhnCheck() {
        #expect(found("Card: 4111 1111 1111 1111.", analyzer) == ["CREDIT_CARD:4111 1111 1111 1111"])
        #expect(found("amex 378282246310005 ok", analyzer) == ["CREDIT_CARD:378282246310005"])
        #expect(found("pay with 5555-5555-5555-4444", analyzer) == ["CREDIT_CARD:5555-5555-5555-4444"])
        #expect(found("Card: 4111 1111 1111 1112.", analyzer).isEmpty)
        #expect(found("Mixed 4111-1111 1111-1111.", analyzer).isEmpty)
    }

    @Test func socialSecurityNumbersOutsideInvalidRanges() {
        #expect(found("SSN 536-22-8726", analyzer) == ["US_SSN:536-22-8726"])
        #expect(found("my social security number is 536228726", analyzer) == ["US_SSN:536228726"])
        for invalid in [
            "000-22-8726", "666-22-8726", "912-22-8726", "536-00-8726", "536-22-0000", "078-05-1120", "111-11-1111",
        ] {
            #expect(found("SSN \(invalid)", analyzer).isEmpty, "\(invalid)")
        }
        #expect(found("Reference 536228726 attached", analyzer).isEmpty)
    }

    @Test func ibansNeedCountryLengthAndChecksum() {
        #expect(found("IBAN GB82WEST12345698765432 please", analyzer) == ["IBAN_CODE:GB82WEST12345698765432"])
        #expect(found("to DE89 3704 0044 0532 0130 00 Thanks", analyzer) == ["IBAN_CODE:DE89 3704 0044 0532 0130 00"])
        #expect(found("IBAN GB83WEST12345698765432", analyzer).isEmpty)
        #expect(found("IBAN GB82WEST1234569876543", analyzer).isEmpty)
    }

    @Test func ipAddressesVersionsFourAndSix() {
        #expect(found("server 192.168.10.4 is down", analyzer) == ["IP_ADDRESS:192.168.10.4"])
        #expect(
            found("host 2001:db8:85a3::8a2e:370:7334 and ::ffff:10.0.0.1", analyzer) == [
                "IP_ADDRESS:2001:db8:85a3::8a2e:370:7334", "IP_ADDRESS:::ffff:10.0.0.1",
            ]
        )
        #expect(found("version 1.2.3.4.5 and 256.1.1.1 at 12:30:45", analyzer).isEmpty)
    }

    @Test func urlsWithoutTrailingPunctuation() {
        #expect(
            found("See https://intranet.example.com/hr?x=1).", analyzer) == ["URL:https://intranet.example.com/hr?x=1"]
        )
        #expect(found("Visit www.example.org today", analyzer) == ["URL:www.example.org"])
        #expect(found("Open config.json and ASP.NET", analyzer).isEmpty)
    }

    @Test func awsKeys() {
        let text =
            "aws_access_key_id = AKIAIOSFODNN7EXAMPLE\naws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
        #expect(
            found(text, analyzer) == [
                "AWS_ACCESS_KEY:AKIAIOSFODNN7EXAMPLE", "AWS_SECRET_KEY:wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
            ]
        )
        #expect(found("commit da39a3ee5e6b4b0d3255bfef95601890afd80709 merged", analyzer).isEmpty)
    }

    @Test func peoplePlacesAndAddresses() {
        #expect(found("Please forward this to Maria Gonzalez today.", analyzer) == ["PERSON:Maria Gonzalez"])
        #expect(found("I met Dr. Okonkwo yesterday", analyzer) == ["PERSON:Okonkwo"])
        #expect(found("She moved to Chicago last year.", analyzer) == ["LOCATION:Chicago"])
        #expect(
            found("Ship it to 1600 Pennsylvania Avenue NW, Washington, DC 20500 now", analyzer).first
                == "ADDRESS:1600 Pennsylvania Avenue"
        )
        #expect(found("Name: Eduard Kvarda", analyzer) == ["PERSON:Eduard Kvarda"])
        #expect(
            found("Send it to PSC 3412, Box 5242 APO AA 29282", analyzer) == ["ADDRESS:PSC 3412, Box 5242 APO AA 29282"]
        )
        #expect(
            found("Deliver to Gravemeijerstraat 91 Apt. 538", analyzer) == ["ADDRESS:Gravemeijerstraat 91 Apt. 538"]
        )
        #expect(found("meet at 46 rue Nationale", analyzer) == ["ADDRESS:46 rue Nationale"])
        #expect(found("We will grant access in May.", analyzer).isEmpty)
        #expect(found("In January the office closes; April Fools is not a holiday.", analyzer).isEmpty)
        #expect(found("Reading the policy on a mobile phone is fine.", analyzer).isEmpty)
    }

    @Test func customEntitiesAndAllowList() throws {
        var entity = GuardrailPolicy.CustomEntity(name: "EMPLOYEE_ID", pattern: #"\bEMP-\d{6}\b"#)
        entity.score = 0.4
        entity.context = ["employee"]
        let custom = try PIIAnalyzer(entities: ["EMAIL_ADDRESS"], custom: [entity], allow: ["help@example.com"])
        #expect(found("ticket EMP-123456", custom).isEmpty)  // 0.4 < 0.5 without context
        #expect(found("employee EMP-123456", custom) == ["EMPLOYEE_ID:EMP-123456"])
        #expect(found("write help@example.com or bo@example.com", custom) == ["EMAIL_ADDRESS:bo@example.com"])
    }
}
