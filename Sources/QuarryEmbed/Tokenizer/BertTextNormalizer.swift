import Foundation

/// The text normalisation and pre-tokenisation of BERT's uncased tokenizer, as Hugging Face
/// `tokenizers` does it (`BertNormalizer` with `clean_text`, `handle_chinese_chars`, `lowercase`,
/// accents stripped; then `BertPreTokenizer`).
///
/// In order:
/// 1. **Clean**: drop U+0000, U+FFFD and control characters (general category Cc, Cf, Cn, Co or Cs,
///    except tab, newline and carriage return); turn every whitespace character into a space.
/// 2. **CJK**: put spaces around every CJK ideograph, so each becomes a word of its own.
/// 3. **Strip accents**: canonical decomposition (NFD), then drop nonspacing marks (Mn).
/// 4. **Lower-case** each scalar on its own (full mappings, no context: a final sigma stays σ).
/// 5. **Split** on whitespace, and make every punctuation character a word of its own:
///    ASCII punctuation (including `$ + < = > ^ ` | ~`) and Unicode categories Pc, Pd, Ps, Pe, Pi, Pf, Po.
///
/// Everything works on Unicode scalars, as the reference works on Rust `char`s, never on Swift's
/// grapheme clusters.
struct BertTextNormalizer: Sendable {
    /// The words of `text`, each as its scalars.
    func words(_ text: String) -> [[Unicode.Scalar]] {
        var cleaned = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if scalar.value == 0 || scalar.value == 0xFFFD || Self.isControl(scalar) { continue }
            if Self.isWhitespace(scalar) {
                cleaned.append(" ")
            } else if Self.isCJK(scalar) {
                cleaned.append(" ")
                cleaned.append(scalar)
                cleaned.append(" ")
            } else {
                cleaned.append(scalar)
            }
        }
        let decomposed = Self.isASCII(cleaned) ? String(cleaned) : String(cleaned).decomposedStringWithCanonicalMapping
        var words: [[Unicode.Scalar]] = []
        var word: [Unicode.Scalar] = []
        func endWord() {
            if !word.isEmpty {
                words.append(word)
                word.removeAll(keepingCapacity: true)
            }
        }
        for scalar in decomposed.unicodeScalars where scalar.properties.generalCategory != .nonspacingMark {
            for lower in Self.lowercased(scalar) {
                if Self.isWhitespace(lower) {
                    endWord()
                } else if Self.isPunctuation(lower) {
                    endWord()
                    words.append([lower])
                } else {
                    word.append(lower)
                }
            }
        }
        endWord()
        return words
    }

    private static func isASCII(_ scalars: String.UnicodeScalarView) -> Bool {
        scalars.allSatisfy { $0.isASCII }
    }

    private static func lowercased(_ scalar: Unicode.Scalar) -> [Unicode.Scalar] {
        if scalar.isASCII {
            let value = scalar.value
            return [(65...90).contains(value) ? Unicode.Scalar(value + 32)! : scalar]
        }
        let mapping = scalar.properties.lowercaseMapping.unicodeScalars
        return mapping.isEmpty ? [scalar] : Array(mapping)
    }

    /// Tab, newline, carriage return, and every scalar with the White_Space property.
    static func isWhitespace(_ scalar: Unicode.Scalar) -> Bool {
        scalar == "\t" || scalar == "\n" || scalar == "\r" || scalar.properties.isWhitespace
    }

    /// Control, format, unassigned, private-use and surrogate scalars, except tab, newline and CR.
    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        if scalar == "\t" || scalar == "\n" || scalar == "\r" { return false }
        switch scalar.properties.generalCategory {
        case .control, .format, .unassigned, .privateUse, .surrogate: return true
        default: return false
        }
    }

    /// ASCII punctuation and symbols, and Unicode punctuation (P*).
    static func isPunctuation(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        if (33...47).contains(value) || (58...64).contains(value) || (91...96).contains(value)
            || (123...126).contains(value)
        {
            return true
        }
        switch scalar.properties.generalCategory {
        case .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
            .initialPunctuation, .finalPunctuation, .otherPunctuation:
            return true
        default:
            return false
        }
    }

    /// The CJK ideograph blocks of `tokenizers`' `is_chinese_char` (note: extension E starts at
    /// U+2B920 there, not U+2B820 as in the Python `BertTokenizer`).
    static func isCJK(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x4E00...0x9FFF, 0x3400...0x4DBF, 0x20000...0x2A6DF, 0x2A700...0x2B73F, 0x2B740...0x2B81F,
            0x2B920...0x2CEAF, 0xF900...0xFAFF, 0x2F800...0x2FA1F:
            return true
        default:
            return false
        }
    }
}
