import Foundation

/// Splits text into the same tokens and stems as the keyword index does.
///
/// Tokens follow SQLite FTS5's `unicode61 remove_diacritics 2` tokenizer: runs of letters and
/// digits, lowercased, with diacritics removed. Terms are tokens that are not stopwords,
/// stemmed by ``PorterStemmer`` exactly as FTS5's `porter` tokenizer stems them, so that a term
/// computed here can be looked up in the index's vocabulary.
public enum TextAnalyzer {
    /// The lowercase, diacritic-free tokens of `text`, in order.
    public static func tokens(in text: some StringProtocol) -> [String] {
        var tokens: [String] = []
        var current = String.UnicodeScalarView()
        func flush() {
            if !current.isEmpty {
                tokens.append(fold(current))
                current = String.UnicodeScalarView()
            }
        }
        for scalar in text.unicodeScalars {
            if isTokenScalar(scalar) {
                current.append(scalar)
            } else if scalar.properties.generalCategory == .nonspacingMark, !current.isEmpty {
                continue  // a combining diacritic inside a word: removed, as remove_diacritics does
            } else {
                flush()
            }
        }
        flush()
        return tokens
    }

    /// The stemmed, non-stopword terms of `text`, in order (with repeats).
    public static func terms(in text: some StringProtocol) -> [String] {
        tokens(in: text).compactMap { token in
            Stopwords.contains(token) ? nil : PorterStemmer.stem(token)
        }
    }

    /// Whether a lowercase token is a stopword (an English function word or a question word).
    public static func isStopword(_ token: String) -> Bool {
        Stopwords.contains(token)
    }

    private static func isTokenScalar(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.isASCII {
            let value = scalar.value
            return (0x30...0x39).contains(value) || (0x41...0x5A).contains(value) || (0x61...0x7A).contains(value)
        }
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
            .decimalNumber, .letterNumber, .otherNumber, .privateUse:
            return true
        default:
            return false
        }
    }

    /// Lowercases a token and strips its diacritics (é → e; ø, which has no decomposition, stays).
    private static func fold(_ token: String.UnicodeScalarView) -> String {
        if token.allSatisfy(\.isASCII) {
            return String(token).lowercased()
        }
        let decomposed = String(token).lowercased().decomposedStringWithCanonicalMapping
        var result = String.UnicodeScalarView()
        for scalar in decomposed.unicodeScalars where scalar.properties.generalCategory != .nonspacingMark {
            result.append(scalar)
        }
        return String(result)
    }
}
