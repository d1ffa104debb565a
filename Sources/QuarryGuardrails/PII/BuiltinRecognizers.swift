import Foundation

/// The pattern recognisers for the built-in entity types.
///
/// Patterns, scores and context words follow Presidio's predefined recognisers (written anew,
/// not copied): a pattern alone gives a modest score, a checksum or structure check (Luhn, mod 97,
/// SSA ranges, address parsing) confirms it, and a context word nearby adds 0.35.
enum BuiltinRecognizers {
    static let all: [PatternRecognizer] = [
        email, phone, creditCard, usSSN, iban, ipv4, ipv6, url, awsAccessKey, awsSecretKey, address,
    ]

    static let email = PatternRecognizer(
        entity: PIIEntityType.email,
        patterns: [
            (
                #"(?<![\w.%+\-])[A-Za-z0-9](?:[A-Za-z0-9._%+\-]{0,62}[A-Za-z0-9_%+\-])?@(?:[A-Za-z0-9](?:[A-Za-z0-9\-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24}(?![\w\-])"#,
                0.9
            )
        ],
        context: ["email", "e-mail", "mail", "address", "contact", "write"]
    )

    private static let phoneContext = [
        "phone", "telephone", "tel", "mobile", "cell", "cellphone", "call", "number", "fax", "contact", "reach",
        "dial", "whatsapp", "text", "office", "desk", "landline", "answering", "ring",
    ]

    /// Digits between 7 and 15 (E.164's maximum) once any extension is set aside, not one repeated digit.
    private static func phoneDigits(_ text: String) -> Bool {
        let lower = text.lowercased()
        var main = Substring(lower)
        for marker in ["ext.", "ext", "extension", "x"] {
            if let range = main.range(of: marker, options: .backwards), range.lowerBound != main.startIndex {
                main = main[..<range.lowerBound]
                break
            }
        }
        let digits = PIIValidators.digits(String(main))
        return (7...15).contains(digits.count) && Set(digits).count > 2
    }

    static let phone = PatternRecognizer(
        entity: PIIEntityType.phone,
        patterns: [
            // International, with + or 00: +44 20 7946 0958, +44 (0)20 7946 0958, +49-30-1234567, 001-202-555-0143x12.
            (
                #"(?<![\d+])(?:\+|00)[1-9]\d{0,2}(?:[ .\-]?\(0?\d{0,4}\))?(?:[ .\-]?\d{1,5}){2,6}(?:\s?(?:x|ext\.?|extension)\s?\d{1,6})?(?![\w])"#,
                0.6
            ),
            // North American: (202) 555-0143, 202-555-0143, 202.555.0143, 1-202-555-0143, (202)555-0143x123.
            (
                #"(?<![\d+\-.])(?:1[ .\-]?)?(?:\(\d{3}\)[ .\-]?|\d{3}[ .\-])\d{3}[ .\-]\d{4}(?:\s?(?:x|ext\.?|extension)\s?\d{1,6})?(?![\w\-])"#,
                0.6
            ),
            // National numbers with a trunk 0: 020 7946 0958, 030-1234-5678, 06 12 34 56 78.
            (#"(?<![\d+\-.])0\d{1,4}(?:[ \-]\d{2,4}){2,4}(?![\w\-])"#, 0.45),
            // Any digits in two to five groups (the first may be bracketed), 7 to 12 digits: "9380 6377",
            // "(51) 9668-9224", "03.91.12.17.13"; a phone number only next to a context word.
            (
                #"(?<![\d+\-.,/:])(?:\(\d{1,5}\)[ .\-]?|\d{1,5}[ .\-])(?:\d{2,8}[ .\-]){0,3}\d{2,8}(?!\d|-\d|[.,]\d)"#,
                0.2
            ),
            // Ten or eleven bare digits: a phone number only with a context word.
            (#"(?<![\w+\-.])\d{10,11}(?![\w\-])"#, 0.2),
        ],
        context: phoneContext,
        validate: { phoneDigits($0) ? PatternRecognizer.Verdict() : nil }
    )

    static let creditCard = PatternRecognizer(
        entity: PIIEntityType.creditCard,
        patterns: [(#"(?<![\d\-.])(?:\d[ \-]?){12,18}\d(?![\d\-])"#, 0.6)],
        context: [
            "credit", "card", "visa", "mastercard", "amex", "american", "discover", "jcb", "diners", "maestro",
            "payment", "cc", "debit",
        ],
        validate: { text in
            // One kind of separator, if any: "4111 1111 1111 1111", "4111-1111-1111-1111", "4111111111111111".
            let separators = Set(text.unicodeScalars.filter { !("0"..."9").contains($0) })
            guard separators.count <= 1, let score = PIIValidators.creditCard(text) else { return nil }
            return PatternRecognizer.Verdict(score: score)
        }
    )

    static let usSSN = PatternRecognizer(
        entity: PIIEntityType.usSSN,
        patterns: [(#"(?<![\d\-.])\d{3}([\- .]?)\d{2}\1\d{4}(?![\d\-])"#, 0.5)],
        context: ["ssn", "ssns", "ssn#", "ss#", "social", "security", "ssid", "taxpayer", "tin"],
        validate: { text in PIIValidators.usSSN(text).map { PatternRecognizer.Verdict(score: $0) } }
    )

    static let iban = PatternRecognizer(
        entity: PIIEntityType.iban,
        patterns: [
            (#"(?<![A-Za-z0-9])[A-Z]{2}\d{2}[A-Z0-9]{11,30}(?![A-Za-z0-9])"#, 1.0),
            (#"(?<![A-Za-z0-9])[A-Z]{2}\d{2}(?: [A-Z0-9]{4}){2,7}(?: [A-Z0-9]{1,4})?(?![A-Za-z0-9])"#, 1.0),
        ],
        context: ["iban", "bank", "account", "transfer", "wire"],
        validate: { text in
            // Longest prefix that ends on a group and checks out (a spaced IBAN may be followed by a capitalised word).
            var candidate = Substring(text)
            while candidate.count >= 15 {
                if PIIValidators.iban(String(candidate)) != nil {
                    return PatternRecognizer.Verdict(score: 1.0, length: candidate.unicodeScalars.count)
                }
                guard let space = candidate.lastIndex(of: " ") else { break }
                candidate = candidate[..<space]
            }
            return nil
        }
    )

    static let ipv4 = PatternRecognizer(
        entity: PIIEntityType.ipAddress,
        patterns: [(#"(?<![\w.])(?:\d{1,3}\.){3}\d{1,3}(?![\w]|\.\d)"#, 0.6)],
        context: ["ip", "ipv4", "address", "server", "host", "client", "gateway"],
        validate: { IPAddressValidator.isIPv4(Substring($0)) ? PatternRecognizer.Verdict() : nil }
    )

    static let ipv6 = PatternRecognizer(
        entity: PIIEntityType.ipAddress,
        patterns: [
            (#"(?<![\w:.])(?:[0-9A-Fa-f]{0,4}:){2,7}(?:(?:\d{1,3}\.){3}\d{1,3}|[0-9A-Fa-f]{1,4})?(?![\w:])"#, 0.7)
        ],
        context: ["ip", "ipv6", "address", "server", "host"],
        validate: { text in
            guard text.contains(where: \.isHexDigit), IPAddressValidator.isIPv6(text) else { return nil }
            return PatternRecognizer.Verdict()
        }
    )

    /// Drops punctuation that ends the sentence rather than the URL (a closing bracket only when unbalanced).
    private static func trimURL(_ text: String) -> PatternRecognizer.Verdict? {
        var scalars = Array(text.unicodeScalars)
        while let last = scalars.last {
            if ".,;:!?'\"".unicodeScalars.contains(last) {
                scalars.removeLast()
            } else if last == ")", scalars.filter({ $0 == "(" }).count < scalars.filter({ $0 == ")" }).count {
                scalars.removeLast()
            } else {
                break
            }
        }
        guard scalars.count > 4 else { return nil }
        return PatternRecognizer.Verdict(length: scalars.count)
    }

    static let url = PatternRecognizer(
        entity: PIIEntityType.url,
        patterns: [
            (#"(?:[Hh][Tt][Tt][Pp][Ss]?|[Ff][Tt][Pp])://[^\s<>"'`\\]+"#, 0.7),
            (#"(?<![\w@.\-/])www\.[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+(?::\d{1,5})?(?:/[^\s<>"'`]*)?"#, 0.6),
            (
                #"(?<![\w@.\-/])(?:[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?\.)+(?:com|org|net|edu|gov|io|co|uk|de|fr|info|biz|ai|app|dev|us|ca|eu|nl|au|in|me)(?::\d{1,5})?(?:/[^\s<>"'`]*)?(?![\w@\-])"#,
                0.5
            ),
        ],
        context: ["url", "website", "site", "link", "web", "page", "domain", "visit", "http", "https"],
        validate: trimURL
    )

    static let awsAccessKey = PatternRecognizer(
        entity: PIIEntityType.awsAccessKey,
        patterns: [
            (
                #"(?<![A-Za-z0-9])(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AIPA|ANPA|ANVA|APKA|AROA|ASCA)[A-Z2-7]{16}(?![A-Za-z0-9])"#,
                0.9
            )
        ],
        context: ["aws", "access", "key", "id", "credentials"]
    )

    static let awsSecretKey = PatternRecognizer(
        entity: PIIEntityType.awsSecretKey,
        patterns: [(#"(?<![A-Za-z0-9/+=])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+=])"#, 0.45)],
        context: ["aws", "secret", "key", "access", "credentials", "aws_secret_access_key", "secret_access_key"],
        validate: { text in
            // Base64 of random bytes: upper, lower and digits all present; a 40-digit hex hash is not one.
            let scalars = text.unicodeScalars
            let upper = scalars.contains { ("A"..."Z").contains($0) }
            let lower = scalars.contains { ("a"..."z").contains($0) }
            let digit = scalars.contains { ("0"..."9").contains($0) }
            let hex = scalars.allSatisfy {
                ("0"..."9").contains($0) || ("a"..."f").contains($0) || ("A"..."F").contains($0)
            }
            return upper && lower && digit && !hex ? PatternRecognizer.Verdict() : nil
        }
    )

    private static let streetSuffixes = [
        "Street", "St", "Avenue", "Ave", "Road", "Rd", "Boulevard", "Blvd", "Lane", "Ln", "Drive", "Dr", "Court", "Ct",
        "Place", "Pl", "Square", "Sq", "Terrace", "Ter", "Way", "Parkway", "Pkwy", "Highway", "Hwy", "Circle", "Cir",
        "Trail", "Trl", "Row", "Close", "Crescent", "Grove", "Gardens", "Mews", "Alley", "Heights", "Hills", "Park",
        "Plaza", "Ridge", "Run", "Crossing", "Loop", "Pike", "Point", "Springs", "Station", "Summit", "View",
        "Village", "Vista", "Walk", "Haven", "Harbor", "Harbors", "Estates", "Junction", "Landing", "Meadows",
        "Mill", "Mills", "Orchard", "Pass", "Path", "Ranch", "Shore", "Shores", "Stream", "Turnpike", "Valley",
        "Wells", "Bypass", "Causeway", "Center", "Common", "Corner", "Corners", "Cove", "Coves", "Creek", "Crest",
        "Dale", "Expressway", "Falls", "Ferry", "Field", "Fields", "Flat", "Flats", "Ford", "Forest", "Forge",
        "Fork", "Forks", "Fort", "Freeway", "Garden", "Gateway", "Glen", "Glens", "Green", "Greens", "Hollow",
        "Inlet", "Island", "Islands", "Isle", "Knoll", "Knolls", "Lake", "Lakes", "Light", "Lights", "Lodge",
        "Manor", "Manors", "Mount", "Mountain", "Mountains", "Neck", "Oval", "Overpass", "Pines", "Plain", "Plains",
        "Port", "Ports", "Prairie", "Radial", "Ramp", "Rapids", "Rest", "Route", "Shoal", "Shoals", "Skyway",
        "Spur", "Spurs", "Trace", "Track", "Tunnel", "Underpass", "Union", "Unions", "Viaduct", "Ville", "Villages",
        "Vistas", "Ways", "Burg", "Burgs", "Bluff", "Bluffs", "Bottom", "Branch", "Bridge", "Brook", "Brooks",
        "Camp", "Canyon", "Cape", "Cliff", "Cliffs", "Club", "Courts", "Curve", "Dam", "Divide", "Drives", "Estate",
        "Extension", "Extensions", "Fall", "Harbour", "Hill", "Hubs", "Key", "Keys", "Locks", "Meadow", "Motorway",
        "Parks", "Passage", "Ports", "Rue", "Squares", "Stravenue", "Streets", "Throughway", "Trafficway", "Well",
    ]

    static let address = PatternRecognizer(
        entity: PIIEntityType.address,
        patterns: [
            (
                #"(?<![\w\-])\d{1,6}(?:-\d{1,4})?[A-Za-z]?\s+(?:[NSEW]\.?\s+)?(?:[A-Z][A-Za-z'.\-]*\s+){1,3}(?:"#
                    + streetSuffixes.joined(separator: "|")
                    + #")\b\.?(?:,?\s+(?:Apt|Apartment|Suite|Ste|Unit|Floor|Fl|No|#)\.?\s*#?[A-Za-z0-9\-]+)?(?:,?\s+(?:[A-Z][A-Za-z.\-]*\s?){1,3},?\s+(?:[A-Z]{2}|[A-Z][a-z]+)\.?\s+\d{5}(?:-\d{4})?)?"#,
                0.7
            ),
            (#"(?<![\w])P\.?\s?O\.?\s+Box\s+\d{1,6}"#, 0.7),
            // US military mail: "PSC 3412, Box 5242 APO AA 29282", "Unit 3848 Box 3726", "USS Lindqvist FPO AE 67601".
            (
                #"(?<![\w])(?:(?:PSC|Unit|CMR)\s+\d{3,5},?\s+Box\s+\d{3,5}|USS\s+[A-Z][a-z]+)(?:[,\s]+[AFD]PO\s+A[AEP]\s+\d{5})?"#,
                0.8
            ),
            // European streets named by a suffix or a leading word, with a house number:
            // "Gravemeijerstraat 91", "Hindsholmvej 75", "Bécsi utca 35", "46 rue Nationale", "Calle Mayor 5".
            (
                #"(?<![\w\-])(?:\d{1,5}[A-Za-z]?\s+)?(?:[A-ZÀ-Þ][\p{L}'.\-]*\s+)?[\p{Lu}][\p{L}'.\-]*(?:straat|strasse|straße|weg|vej|gatan|gata|vägen|vegen|veien|laan|plein|gasse|allee|platz|katu|tie|utca|ulica|bakken|gade|stræde)\s+\d{1,5}[A-Za-z]?(?:,?\s+(?:Apt|Apartment|Suite|Ste|Unit)\.?\s*\d{1,5})?"#,
                0.7
            ),
            (
                #"(?<![\w\-])(?:\d{1,5}\s+)?(?:[Rr]ue|[Vv]ia|[Cc]alle|[Aa]venida|[Cc]arrer|[Rr]ua|[Ss]trada|[Uu]lica|[Pp]lace|[Bb]oulevard)\s+(?:d[eiu]s?\s+|de\s+la\s+|del\s+|della\s+|do\s+|da\s+)?\p{Lu}[\p{L}'.\-]*(?:\s+\p{Lu}[\p{L}'.\-]*){0,3}(?:,?\s+\d{1,5})?"#,
                0.7
            ),
        ],
        context: ["address", "live", "lives", "living", "located", "street", "ship", "deliver", "mail", "residence"]
    )
}
