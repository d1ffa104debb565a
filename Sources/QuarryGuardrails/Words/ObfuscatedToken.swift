import Foundation

/// A word of a text as the word filters see it: lower case, without accents, l33t digits and
/// symbols read as letters, and as runs of letters so that repeated letters can be compared.
struct ObfuscatedToken: Sendable, Hashable {
    /// Letters after normalisation ("5h1t" → "shit").
    let letters: [Character]
    /// Scalar offsets of the word in the text.
    let start: Int
    let end: Int

    /// Runs of equal letters: "fuuuck" → [(f,1), (u,3), (c,1), (k,1)].
    var runs: [(Character, Int)] { Self.runs(letters) }

    /// The letters with repeats collapsed, the key words are indexed by.
    var key: String { String(runs.map(\.0)) }

    static func runs(_ letters: [Character]) -> [(Character, Int)] {
        var runs: [(Character, Int)] = []
        for letter in letters {
            if let last = runs.last, last.0 == letter {
                runs[runs.count - 1].1 += 1
            } else {
                runs.append((letter, 1))
            }
        }
        return runs
    }

    /// Whether this text word spells `word` (a normalised filter word), allowing any letter to be repeated:
    /// every run of the text is at least as long as the word's ("fuuuck" spells "fuck"; "as" does not spell "ass").
    func spells(_ word: [(Character, Int)]) -> Bool {
        let mine = runs
        guard mine.count == word.count else { return false }
        for (a, b) in zip(mine, word) where a.0 != b.0 || a.1 < b.1 {
            return false
        }
        return true
    }

    private static let leet: [Unicode.Scalar: Character] = [
        "0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "8": "b", "9": "g", "@": "a", "$": "s",
        "!": "i", "|": "i", "+": "t", "€": "e",
    ]
    private static let symbols = Set("@$!|+€".unicodeScalars)

    /// Splits a text into obfuscation-aware words. Runs of three or more single characters separated
    /// by spaces or punctuation ("f u c k", "f.u.c.k") become one word.
    static func tokens(of text: String) -> [ObfuscatedToken] {
        let scalars = Array(text.unicodeScalars)
        var raw: [(Int, Int)] = []
        var index = 0
        while index < scalars.count {
            guard isTokenScalar(scalars[index]) else {
                index += 1
                continue
            }
            let start = index
            while index < scalars.count, isTokenScalar(scalars[index]) { index += 1 }
            var end = index
            // Trailing "!" or "|" are punctuation, not letters ("damn!"), unless the word is only symbols.
            while end - start > 1, scalars[end - 1] == "!" || scalars[end - 1] == "|" { end -= 1 }
            raw.append((start, end))
        }
        var words: [ObfuscatedToken] = []
        for (start, end) in raw {
            let slice = scalars[start..<end]
            let hasLetter = slice.contains { $0.properties.isAlphabetic }
            var letters: [Character] = []
            for scalar in slice {
                if scalar.properties.isAlphabetic {
                    letters.append(
                        contentsOf: String(scalar).folding(
                            options: [.diacriticInsensitive, .caseInsensitive],
                            locale: nil
                        )
                    )
                } else if hasLetter || symbols.contains(scalar), let letter = leet[scalar] {
                    letters.append(letter)
                } else {
                    letters.append(Character(scalar))
                }
            }
            words.append(ObfuscatedToken(letters: letters, start: start, end: end))
        }
        return joiningSpelledOut(words, scalars)
    }

    private static func isTokenScalar(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.isAlphabetic || ("0"..."9").contains(scalar) || symbols.contains(scalar)
    }

    /// Joins runs of single-letter words whose gaps are one or two spaces or punctuation marks.
    private static func joiningSpelledOut(_ words: [ObfuscatedToken], _ scalars: [Unicode.Scalar]) -> [ObfuscatedToken]
    {
        var result: [ObfuscatedToken] = []
        var index = 0
        while index < words.count {
            var last = index
            while words[last].letters.count == 1, last + 1 < words.count, words[last + 1].letters.count == 1 {
                let gap = scalars[words[last].end..<words[last + 1].start]
                guard gap.count <= 2, gap.allSatisfy({ " .-_*~,".unicodeScalars.contains($0) }) else { break }
                last += 1
            }
            if last - index >= 2 {
                let letters = words[index...last].flatMap(\.letters)
                result.append(ObfuscatedToken(letters: letters, start: words[index].start, end: words[last].end))
                index = last + 1
            } else {
                result.append(words[index])
                index += 1
            }
        }
        return result
    }
}
