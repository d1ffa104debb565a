import QuarryCore
import Testing

/// Checks `PorterStemmer` against stems produced by SQLite itself.
///
/// Every expected stem below was produced by SQLite 3.40.1 (and checked against 3.54.1), by
/// inserting the word into an FTS5 table with
/// `tokenize='porter unicode61 remove_diacritics 2'` and reading the term back through an
/// `fts5vocab` table; the input side is the token the `unicode61 remove_diacritics 2`
/// tokenizer produced for the word. None of them were written by hand.
struct PorterStemmerTests {
    /// (token, stem as stored by SQLite FTS5's porter tokenizer).
    static let sqliteStems: [(String, String)] = [
        ("a", "a"), ("an", "an"), ("at", "at"), ("is", "is"), ("go", "go"), ("ox", "ox"), ("by", "by"),
        ("my", "my"), ("as", "as"), ("us", "us"), ("ss", "ss"), ("ie", "ie"), ("ed", "ed"), ("ies", "ie"),
        ("sses", "sse"), ("sse", "sse"), ("ing", "ing"), ("eed", "e"), ("aed", "a"), ("aing", "a"),
        ("yed", "yed"), ("ying", "ying"), ("ees", "ee"), ("ess", "ess"), ("caresses", "caress"),
        ("ponies", "poni"), ("ties", "ti"), ("caress", "caress"), ("cats", "cat"), ("dogs", "dog"),
        ("gas", "ga"), ("this", "thi"), ("bus", "bu"), ("feed", "feed"), ("agreed", "agre"),
        ("disabled", "disabl"), ("plastered", "plaster"), ("bled", "bled"), ("motoring", "motor"),
        ("sing", "sing"), ("singing", "sing"), ("conflated", "conflat"), ("troubled", "troubl"),
        ("sized", "size"), ("hopping", "hop"), ("tanned", "tan"), ("falling", "fall"), ("hissing", "hiss"),
        ("fizzed", "fizz"), ("failing", "fail"), ("filing", "file"), ("hoped", "hope"), ("hoping", "hope"),
        ("hopped", "hop"), ("happy", "happi"), ("sky", "sky"), ("cry", "cry"), ("crying", "cry"),
        ("cried", "cri"), ("flying", "fly"), ("played", "plai"), ("days", "dai"), ("toy", "toi"),
        ("boy", "boi"), ("syzygy", "syzygi"), ("rhythm", "rhythm"), ("yes", "ye"), ("yellow", "yellow"),
        ("yelled", "yell"), ("relational", "relat"), ("conditional", "condit"), ("rational", "ration"),
        ("valenci", "valenc"), ("hesitanci", "hesit"), ("digitizer", "digit"), ("conformabli", "conform"),
        ("radicalli", "radic"), ("differentli", "differ"), ("vileli", "vile"), ("analogousli", "analog"),
        ("vietnamization", "vietnam"), ("predication", "predic"), ("operator", "oper"),
        ("feudalism", "feudal"), ("decisiveness", "decis"), ("hopefulness", "hope"),
        ("callousness", "callous"), ("formaliti", "formal"), ("sensitiviti", "sensit"),
        ("sensibiliti", "sensibl"), ("triplicate", "triplic"), ("formative", "form"), ("formalize", "formal"),
        ("electriciti", "electr"), ("electrical", "electr"), ("hopeful", "hope"), ("goodness", "good"),
        ("revival", "reviv"), ("allowance", "allow"), ("inference", "infer"), ("airliner", "airlin"),
        ("gyroscopic", "gyroscop"), ("adjustable", "adjust"), ("defensible", "defens"), ("irritant", "irrit"),
        ("replacement", "replac"), ("adjustment", "adjust"), ("dependent", "depend"), ("adoption", "adopt"),
        ("homologou", "homolog"), ("communism", "commun"), ("activate", "activ"), ("angulariti", "angular"),
        ("homologous", "homolog"), ("effective", "effect"), ("bowdlerize", "bowdler"), ("probate", "probat"),
        ("rate", "rate"), ("cease", "ceas"), ("controll", "control"), ("roll", "roll"),
        ("generalizations", "gener"), ("generalization", "gener"), ("general", "gener"),
        ("generally", "gener"), ("generate", "gener"), ("generated", "gener"), ("generating", "gener"),
        ("generation", "gener"), ("organization", "organ"), ("organizations", "organ"), ("organize", "organ"),
        ("organizer", "organ"), ("organizing", "organ"), ("organism", "organ"), ("running", "run"),
        ("runner", "runner"), ("runs", "run"), ("ran", "ran"), ("national", "nation"),
        ("nationalism", "nation"), ("nationality", "nation"), ("nations", "nation"),
        ("agreement", "agreement"), ("agreements", "agreement"), ("management", "manag"),
        ("settlement", "settlement"), ("statement", "statement"), ("element", "element"),
        ("cement", "cement"), ("usefulness", "us"), ("carefulness", "care"), ("helpfulness", "help"),
        ("fulness", "ful"), ("relativity", "rel"), ("relativeness", "rel"), ("relatively", "rel"),
        ("connection", "connect"), ("connections", "connect"), ("connected", "connect"),
        ("connecting", "connect"), ("connective", "connect"), ("questions", "question"),
        ("question", "question"), ("questioning", "question"), ("answers", "answer"), ("answered", "answer"),
        ("answering", "answer"), ("international", "intern"), ("internationalization", "internation"),
        ("database", "databas"), ("databases", "databas"), ("indexing", "index"), ("indexes", "index"),
        ("indexed", "index"), ("index", "index"), ("tokenizer", "token"), ("tokenizers", "token"),
        ("tokenization", "token"), ("stemming", "stem"), ("stemmer", "stemmer"), ("stems", "stem"),
        ("sqlite", "sqlite"), ("fts5", "fts5"), ("porter", "porter"), ("unicode61", "unicode61"),
        ("python3", "python3"), ("x86", "x86"), ("1990s", "1990"), ("2nd", "2nd"), ("3rd", "3rd"),
        ("4th", "4th"), ("100", "100"), ("2024", "2024"), ("ipv6", "ipv6"), ("mp3s", "mp3"), ("3d", "3d"),
        ("1st", "1st"), ("utf8", "utf8"), ("b2b", "b2b"), ("ab1ing", "ab1"), ("ab1ed", "ab1"),
        ("12ing", "12ing"), ("a1ations", "a1at"), ("h2o", "h2o"), ("co2", "co2"), ("covid19", "covid19"),
        ("ete", "et"), ("cafe", "cafe"), ("naive", "naiv"), ("resume", "resum"), ("facade", "facad"),
        ("uber", "uber"), ("creme", "creme"), ("garcon", "garcon"), ("straße", "straß"), ("straßes", "straß"),
        ("strasse", "strass"), ("elan", "elan"), ("ωing", "ωing"), ("aωing", "aω"), ("αβγ", "αβγ"),
        ("ελληνικά", "ελληνικά"), ("русский", "русский"), ("москвы", "москвы"), ("日本語", "日本語"), ("東京", "東京"),
        ("丸丸", "丸丸"), ("ﬁsh", "ﬁsh"), ("ıing", "ıing"), ("ǆed", "ǆed"), ("æsir", "æsir"), ("ønskes", "ønske"),
        ("beautifully", "beautifulli"), ("beautiful", "beauti"), ("beauty", "beauti"), ("beauties", "beauti"),
        ("dying", "dy"), ("lying", "ly"), ("tying", "ty"), ("relying", "reli"), ("applied", "appli"),
        ("applies", "appli"), ("apply", "appli"), ("supplying", "suppli"),
        (
            "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaations",
            "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaation"
        ),
        (
            "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaations",
            "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaations"
        ),
        (
            "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbings",
            "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbing"
        ),
        (
            "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbings",
            "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbings"
        ),
        ("eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeing", "eeeeeeeeeeeeeeeeeeeeeeeeeeeeee"),
        ("ωωωωωωωωωωωωωωωωωωωωωωωωωωωωωωaing", "ωωωωωωωωωωωωωωωωωωωωωωωωωωωωωωa"),
        ("ωωωωωωωωωωωωωωωωωωωωωωωωωωωωωωωaing", "ωωωωωωωωωωωωωωωωωωωωωωωωωωωωωωωaing"),
    ]

    @Test("Stems match SQLite FTS5 porter", arguments: sqliteStems)
    func matchesSQLite(token: String, expected: String) {
        #expect(PorterStemmer.stem(token) == expected)
        #expect(PorterStemmer.stem(utf8: Array(token.utf8)) == Array(expected.utf8))
    }

    @Test func enoughCases() {
        #expect(Self.sqliteStems.count >= 150)
    }

    @Test func tokensOutsideTheByteLimitsPassThrough() {
        #expect(PorterStemmer.stem("") == "")
        #expect(PorterStemmer.stem("ss") == "ss")
        let long = String(repeating: "a", count: 60) + "ations"  // 66 bytes
        #expect(PorterStemmer.stem(long) == long)
    }

    /// SQLite's step 1b drops the last byte of a doubled "consonant", which can split a
    /// multi-byte character: for "a丸ing" it stores the bytes 61 E4 B8 (invalid UTF-8).
    @Test func byteLevelStemCanSplitACharacterLikeSQLite() {
        #expect(PorterStemmer.stem(utf8: Array("a丸ing".utf8)) == [0x61, 0xE4, 0xB8])
        #expect(PorterStemmer.stem("a丸ing") == "a\u{FFFD}")
    }
}
