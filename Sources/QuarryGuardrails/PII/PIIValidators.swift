/// Checksums and range rules that tell real identifiers from look-alikes.
enum PIIValidators {
    /// The digits of a text, ignoring separators.
    static func digits(_ text: String) -> [Int] {
        text.unicodeScalars.compactMap { ("0"..."9").contains($0) ? Int($0.value - 48) : nil }
    }

    /// The Luhn (mod 10) checksum of payment card numbers.
    static func luhn(_ digits: [Int]) -> Bool {
        var sum = 0
        for (index, digit) in digits.reversed().enumerated() {
            if index % 2 == 1 {
                let doubled = digit * 2
                sum += doubled > 9 ? doubled - 9 : doubled
            } else {
                sum += digit
            }
        }
        return sum % 10 == 0
    }

    /// Whether a 13–19 digit number is a plausible payment card: Luhn-valid, a known network's
    /// first digits (Visa 4, Mastercard 51–55 and 2221–2720, Amex 34/37, Discover 6011/65/644–649,
    /// Diners 300–305/36/38, JCB 3528–3589, UnionPay 62, Maestro 50/56–69, UATP 1), not one repeated digit.
    static func creditCard(_ text: String) -> Double? {
        let digits = digits(text)
        guard (13...19).contains(digits.count), Set(digits).count > 1, luhn(digits) else { return nil }
        let first = digits[0]
        guard [1, 2, 3, 4, 5, 6].contains(first) else { return nil }
        let prefix4 = digits.prefix(4).reduce(0) { $0 * 10 + $1 }
        let known: Bool
        switch first {
        case 4: known = true
        case 5: known = true
        case 2: known = (2221...2720).contains(prefix4)
        case 3:
            known =
                [34, 37, 36, 38].contains(prefix4 / 100) || (300...305).contains(prefix4 / 10)
                || (3528...3589).contains(prefix4)
        case 6: known = true
        default: known = digits.count == 15
        }
        return known ? 1.0 : 0.6
    }

    /// US Social Security numbers outside the ranges the SSA never issues: area 000, 666 and
    /// 900–999, group 00, serial 0000, one repeated digit, and the numbers published as examples.
    static func usSSN(_ text: String) -> Double? {
        let digits = digits(text)
        guard digits.count == 9, Set(digits).count > 1 else { return nil }
        let area = digits[0] * 100 + digits[1] * 10 + digits[2]
        let group = digits[3] * 10 + digits[4]
        let serial = digits[5...].reduce(0) { $0 * 10 + $1 }
        guard area != 0, area != 666, area < 900, group != 0, serial != 0 else { return nil }
        let number = digits.reduce(0) { $0 * 10 + $1 }
        guard ![78_051_120, 219_099_999, 123_456_789].contains(number) else { return nil }
        // One kind of separator throughout ("123-45-6789", "123 45 6789", "123456789").
        let separators = Set(text.unicodeScalars.filter { !("0"..."9").contains($0) })
        guard separators.count <= 1 else { return nil }
        return separators.isEmpty ? 0.3 : 0.6
    }

    /// IBAN lengths by country (the SWIFT registry, release 99).
    static let ibanLengths: [String: Int] = [
        "AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22, "BH": 22, "BI": 27,
        "BR": 29, "BY": 28, "CH": 21, "CR": 22, "CY": 28, "CZ": 24, "DE": 22, "DJ": 27, "DK": 18, "DO": 28,
        "EE": 20, "EG": 29, "ES": 24, "FI": 18, "FK": 18, "FO": 18, "FR": 27, "GB": 22, "GE": 22, "GI": 23,
        "GL": 18, "GR": 27, "GT": 28, "HR": 21, "HU": 28, "IE": 22, "IL": 23, "IQ": 23, "IS": 26, "IT": 27,
        "JO": 30, "KW": 30, "KZ": 20, "LB": 28, "LC": 32, "LI": 21, "LT": 20, "LU": 20, "LV": 21, "LY": 25,
        "MC": 27, "MD": 24, "ME": 22, "MK": 19, "MN": 20, "MR": 27, "MT": 31, "MU": 30, "NI": 28, "NL": 18,
        "NO": 15, "OM": 23, "PK": 24, "PL": 28, "PS": 29, "PT": 25, "QA": 29, "RO": 24, "RS": 22, "RU": 33,
        "SA": 24, "SC": 31, "SD": 18, "SE": 24, "SI": 19, "SK": 24, "SM": 27, "SO": 23, "ST": 25, "SV": 28,
        "TL": 23, "TN": 24, "TR": 26, "UA": 29, "VA": 22, "VG": 24, "XK": 20, "YE": 30,
    ]

    /// An IBAN with its country's length and a valid ISO 7064 mod-97 check.
    static func iban(_ text: String) -> Double? {
        let compact = text.unicodeScalars.filter { $0 != " " && $0 != "-" }.map { Character($0) }
        let upper = String(compact).uppercased()
        guard upper.count >= 15 else { return nil }
        let country = String(upper.prefix(2))
        guard let length = ibanLengths[country], upper.count == length else { return nil }
        let rearranged = upper.dropFirst(4) + upper.prefix(4)
        var remainder = 0
        for character in rearranged {
            guard let ascii = character.asciiValue else { return nil }
            switch ascii {
            case 48...57: remainder = (remainder * 10 + Int(ascii - 48)) % 97
            case 65...90: remainder = (remainder * 100 + Int(ascii - 55)) % 97
            default: return nil
            }
        }
        return remainder == 1 ? 1.0 : nil
    }
}
