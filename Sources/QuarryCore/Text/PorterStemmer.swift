/// A byte-for-byte port of the Porter stemmer inside SQLite FTS5's built-in `porter`
/// tokenizer (`ext/fts5/fts5_tokenize.c`, function `fts5PorterCb`).
///
/// Quarry indexes passages with `tokenize='porter unicode61 remove_diacritics 2'`, so question
/// words must be stemmed exactly as SQLite stems them, both to match question terms against
/// sentences and to look terms up in an `fts5vocab` table. This is therefore not a textbook
/// Porter stemmer: it reproduces SQLite's behaviour, including its quirks.
///
/// - Tokens shorter than 3 or longer than 64 UTF-8 **bytes** are returned unchanged. The limit
///   counts bytes, not characters: 31 Greek letters plus "aing" (66 bytes) pass through, 30
///   (64 bytes) are stemmed.
/// - The algorithm runs on raw UTF-8 bytes and nothing is skipped for containing digits or
///   non-ASCII letters: digits and every byte of a non-ASCII character count as consonants
///   ("1990s" → "1990", "a1ations" → "a1at", "straßes" → "straß", "aωing" → "aω", but
///   "12ing" and "ωing" stay as they are, having no vowel before "-ing").
/// - Only `a e i o u` are vowels, plus `y` after a consonant; a leading `y` is a consonant
///   ("ying" and "yed" stay, "yes" → "ye", "toy" → "toi", "dying" → "dy").
/// - Step 1a: "sses" → "ss" needs more than 4 bytes and "ies" → "i" more than 3, so "sses"
///   → "sse" and "ies" → "ie". Every suffix rule needs a non-empty stem ("ed" stays "ed",
///   "eed" → "e").
/// - Within steps 2 to 4, only the first suffix that matches (in SQLite's order) is tried; if
///   its condition fails, no shorter suffix is ("agreement" keeps "-ement" and does not fall
///   back to "-ment"). Step 4 drops "-ion" only after `s` or `t`, and includes "-ou".
/// - Step 1b's double-consonant rule compares bytes, so it can cut the last byte of a
///   multi-byte character whose last two bytes are equal ("a丸ing" → bytes 61 E4 B8). SQLite
///   then stores invalid UTF-8; ``stem(_:)`` repairs it to U+FFFD, while ``stem(utf8:)``
///   returns the exact bytes SQLite stores.
public enum PorterStemmer {
    /// Tokens longer than this many UTF-8 bytes are passed through unstemmed (`FTS5_PORTER_MAX_TOKEN`).
    public static let maxTokenBytes = 64

    /// Tokens shorter than this many UTF-8 bytes are passed through unstemmed.
    public static let minTokenBytes = 3

    /// Returns the stem of a lowercased token exactly as SQLite FTS5's porter tokenizer would.
    ///
    /// - Parameter token: One token as produced by the `unicode61` tokenizer with
    ///   `remove_diacritics 2` (lowercased, diacritics removed).
    /// - Returns: The stem; the token itself when it is shorter than 3 or longer than 64 bytes.
    public static func stem(_ token: String) -> String {
        let count = token.utf8.count
        if count < minTokenBytes || count > maxTokenBytes { return token }
        let bytes = stem(utf8: Array(token.utf8))
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Returns the UTF-8 bytes of the stem of a lowercased token, exactly as SQLite FTS5's
    /// porter tokenizer would store them (possibly invalid UTF-8, see ``PorterStemmer``).
    ///
    /// - Parameter bytes: The UTF-8 bytes of one `unicode61` token.
    /// - Returns: The stem's bytes; the input itself when it is shorter than 3 or longer than 64 bytes.
    public static func stem(utf8 bytes: [UInt8]) -> [UInt8] {
        if bytes.count < minTokenBytes || bytes.count > maxTokenBytes { return bytes }
        var word = Word(bytes)
        word.step1a()
        if word.step1b() { word.step1b2() }
        word.step1c()
        word.step2()
        word.step3()
        word.step4()
        word.step5()
        return Array(word.buf[0..<word.n])
    }
}

// MARK: - Implementation

/// ASCII byte constants used by the rules.
private enum Ch {
    static let a = UInt8(ascii: "a"), e = UInt8(ascii: "e"), i = UInt8(ascii: "i")
    static let o = UInt8(ascii: "o"), u = UInt8(ascii: "u"), y = UInt8(ascii: "y")
    static let l = UInt8(ascii: "l"), s = UInt8(ascii: "s"), z = UInt8(ascii: "z")
    static let t = UInt8(ascii: "t"), w = UInt8(ascii: "w"), x = UInt8(ascii: "x")
}

/// The suffixes of step 1b.
private enum Suffix {
    static let eed = Array("eed".utf8), ed = Array("ed".utf8), ing = Array("ing".utf8)
}

/// A suffix rule: replace `suffix` by `output` when `cond` holds for the remaining stem.
private struct Rule: Sendable {
    let suffix: [UInt8]
    let output: [UInt8]
    let cond: Cond

    init(_ suffix: String, _ output: String, _ cond: Cond) {
        self.suffix = Array(suffix.utf8)
        self.output = Array(output.utf8)
        self.cond = cond
    }
}

/// Rule conditions, as in SQLite's `fts5Porter_*` helpers.
private enum Cond: Sendable {
    case mGt0, mGt1, mGt1AndSOrT
}

/// The rules of steps 2, 3 and 4, keyed by the penultimate byte of the word and listed in
/// SQLite's order (the first matching suffix is the only one tried).
private enum Rules {
    static let step2: [UInt8: [Rule]] = [
        Ch.a: [Rule("ational", "ate", .mGt0), Rule("tional", "tion", .mGt0)],
        UInt8(ascii: "c"): [Rule("enci", "ence", .mGt0), Rule("anci", "ance", .mGt0)],
        Ch.e: [Rule("izer", "ize", .mGt0)],
        UInt8(ascii: "g"): [Rule("logi", "log", .mGt0)],
        Ch.l: [
            Rule("bli", "ble", .mGt0), Rule("alli", "al", .mGt0), Rule("entli", "ent", .mGt0),
            Rule("eli", "e", .mGt0), Rule("ousli", "ous", .mGt0),
        ],
        Ch.o: [Rule("ization", "ize", .mGt0), Rule("ation", "ate", .mGt0), Rule("ator", "ate", .mGt0)],
        Ch.s: [
            Rule("alism", "al", .mGt0), Rule("iveness", "ive", .mGt0), Rule("fulness", "ful", .mGt0),
            Rule("ousness", "ous", .mGt0),
        ],
        Ch.t: [Rule("aliti", "al", .mGt0), Rule("iviti", "ive", .mGt0), Rule("biliti", "ble", .mGt0)],
    ]

    static let step3: [UInt8: [Rule]] = [
        Ch.a: [Rule("ical", "ic", .mGt0)],
        Ch.s: [Rule("ness", "", .mGt0)],
        Ch.t: [Rule("icate", "ic", .mGt0), Rule("iciti", "ic", .mGt0)],
        Ch.u: [Rule("ful", "", .mGt0)],
        UInt8(ascii: "v"): [Rule("ative", "", .mGt0)],
        Ch.z: [Rule("alize", "al", .mGt0)],
    ]

    static let step4: [UInt8: [Rule]] = [
        Ch.a: [Rule("al", "", .mGt1)],
        UInt8(ascii: "c"): [Rule("ance", "", .mGt1), Rule("ence", "", .mGt1)],
        Ch.e: [Rule("er", "", .mGt1)],
        Ch.i: [Rule("ic", "", .mGt1)],
        Ch.l: [Rule("able", "", .mGt1), Rule("ible", "", .mGt1)],
        UInt8(ascii: "n"): [
            Rule("ant", "", .mGt1), Rule("ement", "", .mGt1), Rule("ment", "", .mGt1),
            Rule("ent", "", .mGt1),
        ],
        Ch.o: [Rule("ion", "", .mGt1AndSOrT), Rule("ou", "", .mGt1)],
        Ch.s: [Rule("ism", "", .mGt1)],
        Ch.t: [Rule("ate", "", .mGt1), Rule("iti", "", .mGt1)],
        Ch.u: [Rule("ous", "", .mGt1)],
        UInt8(ascii: "v"): [Rule("ive", "", .mGt1)],
        Ch.z: [Rule("ize", "", .mGt1)],
    ]
}

/// The word being stemmed: a byte buffer with room to grow by a few bytes, and its length.
private struct Word {
    var buf: [UInt8]
    var n: Int

    init(_ bytes: [UInt8]) {
        buf = bytes
        buf.append(contentsOf: [0, 0, 0, 0])
        n = bytes.count
    }

    // MARK: Predicates (fts5PorterIsVowel, fts5PorterGobbleVC, fts5Porter_*)

    static func isVowel(_ c: UInt8, yIsVowel: Bool) -> Bool {
        c == Ch.a || c == Ch.e || c == Ch.i || c == Ch.o || c == Ch.u || (yIsVowel && c == Ch.y)
    }

    /// Skips one vowel run then one consonant: returns the offset just past that consonant
    /// (relative to `start`), or 0 if there is none.
    func gobbleVC(_ start: Int, _ count: Int, prevCons: Bool) -> Int {
        var cons = prevCons
        var i = 0
        while i < count {
            cons = !Word.isVowel(buf[start + i], yIsVowel: cons)
            if !cons { break }
            i += 1
        }
        i += 1
        while i < count {
            cons = !Word.isVowel(buf[start + i], yIsVowel: cons)
            if cons { return i + 1 }
            i += 1
        }
        return 0
    }

    /// m > 0 for the first `stem` bytes.
    func mGt0(_ stem: Int) -> Bool { gobbleVC(0, stem, prevCons: false) != 0 }

    /// m > 1 for the first `stem` bytes.
    func mGt1(_ stem: Int) -> Bool {
        let k = gobbleVC(0, stem, prevCons: false)
        return k != 0 && gobbleVC(k, stem - k, prevCons: true) != 0
    }

    /// m = 1 for the first `stem` bytes.
    func mEq1(_ stem: Int) -> Bool {
        let k = gobbleVC(0, stem, prevCons: false)
        return k != 0 && gobbleVC(k, stem - k, prevCons: true) == 0
    }

    /// *o: the stem ends consonant-vowel-consonant, the last not w, x or y.
    func oStar(_ stem: Int) -> Bool {
        let last = buf[stem - 1]
        if last == Ch.w || last == Ch.x || last == Ch.y { return false }
        var mask = 0
        var cons = false
        for i in 0..<stem {
            cons = !Word.isVowel(buf[i], yIsVowel: cons)
            mask = ((mask << 1) | (cons ? 1 : 0)) & 0x7
        }
        return mask == 0x5
    }

    /// *v*: the stem contains a vowel (any `y` after the first byte counts).
    func hasVowel(_ stem: Int) -> Bool {
        for i in 0..<stem where Word.isVowel(buf[i], yIsVowel: i > 0) { return true }
        return false
    }

    func endsWith(_ suffix: [UInt8]) -> Bool {
        let k = suffix.count
        guard n > k else { return false }  // SQLite requires a non-empty stem.
        for j in 0..<k where buf[n - k + j] != suffix[j] { return false }
        return true
    }

    func check(_ cond: Cond, _ stem: Int) -> Bool {
        switch cond {
        case .mGt0: return mGt0(stem)
        case .mGt1: return mGt1(stem)
        case .mGt1AndSOrT: return (buf[stem - 1] == Ch.s || buf[stem - 1] == Ch.t) && mGt1(stem)
        }
    }

    mutating func replace(_ suffixCount: Int, with output: [UInt8]) {
        let stem = n - suffixCount
        for (j, c) in output.enumerated() { buf[stem + j] = c }
        n = stem + output.count
    }

    /// Applies the first rule of `table` whose suffix matches, if its condition holds.
    mutating func apply(_ table: [UInt8: [Rule]]) {
        guard n >= 2, let rules = table[buf[n - 2]] else { return }
        for rule in rules where endsWith(rule.suffix) {
            if check(rule.cond, n - rule.suffix.count) { replace(rule.suffix.count, with: rule.output) }
            return
        }
    }

    // MARK: Steps

    mutating func step1a() {
        guard buf[n - 1] == Ch.s else { return }
        if buf[n - 2] == Ch.e {
            if (n > 4 && buf[n - 4] == Ch.s && buf[n - 3] == Ch.s) || (n > 3 && buf[n - 3] == Ch.i) {
                n -= 2
            } else {
                n -= 1
            }
        } else if buf[n - 2] != Ch.s {
            n -= 1
        }
    }

    /// Returns true when "-ed" or "-ing" was removed (so step 1b2 runs).
    mutating func step1b() -> Bool {
        guard n >= 2 else { return false }
        if buf[n - 2] == Ch.e {
            if endsWith(Suffix.eed) {
                if mGt0(n - 3) { n -= 1 }
                return false
            }
            if endsWith(Suffix.ed), hasVowel(n - 2) {
                n -= 2
                return true
            }
        } else if buf[n - 2] == UInt8(ascii: "n") {
            if endsWith(Suffix.ing), hasVowel(n - 3) {
                n -= 3
                return true
            }
        }
        return false
    }

    mutating func step1b2() {
        if n > 2 {
            let pair = (buf[n - 2], buf[n - 1])
            let addE: Bool
            switch pair {
            case (Ch.a, Ch.t), (UInt8(ascii: "b"), Ch.l), (Ch.i, Ch.z): addE = true
            default: addE = false
            }
            if addE {
                buf[n] = Ch.e
                n += 1
                return
            }
        }
        let c = buf[n - 1]
        // In C, aBuf[-1] is a byte outside the word that never equals a token byte.
        if !Word.isVowel(c, yIsVowel: false) && c != Ch.l && c != Ch.s && c != Ch.z
            && n >= 2 && c == buf[n - 2]
        {
            n -= 1
        } else if mEq1(n) && oStar(n) {
            buf[n] = Ch.e
            n += 1
        }
    }

    mutating func step1c() {
        if buf[n - 1] == Ch.y && hasVowel(n - 1) { buf[n - 1] = Ch.i }
    }

    mutating func step2() { apply(Rules.step2) }
    mutating func step3() { apply(Rules.step3) }
    mutating func step4() { apply(Rules.step4) }

    mutating func step5() {
        if buf[n - 1] == Ch.e && (mGt1(n - 1) || (mEq1(n - 1) && !oStar(n - 1))) {
            n -= 1
        }
        if n > 1 && buf[n - 1] == Ch.l && buf[n - 2] == Ch.l && mGt1(n - 1) {
            n -= 1
        }
    }
}
