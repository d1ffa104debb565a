/// Weighted words, phrases and patterns for each content category.
///
/// A category's score is `1 − e^(−Σ w)` over the distinct entries found (words and phrases through
/// the same obfuscation-aware matching as the word filters; patterns as case-insensitive regular
/// expressions): one entry of weight 1 gives 0.63, weights adding up to 2 give 0.86. The lists were
/// written for Quarry (slurs from the built-in profanity list's sources), not taken from a data set;
/// `docs/guardrails.md` gives what they catch and falsely flag on the benchmark set.
enum ContentLexicon {
    static let terms: [ContentCategory: [(String, Double)]] = [
        .hate: [
            ("nigger", 2.5), ("niggers", 2.5), ("nigga", 2.0), ("chink", 2.5), ("chinks", 2.5), ("kike", 2.5),
            ("kikes", 2.5), ("spic", 2.5), ("wetback", 2.5), ("wetbacks", 2.5), ("faggot", 2.5), ("faggots", 2.5),
            ("fag", 1.8), ("fags", 1.8), ("tranny", 2.0), ("gook", 2.5), ("gooks", 2.5), ("raghead", 2.5),
            ("towelhead", 2.5), ("paki", 2.0), ("coon", 1.5), ("wop", 1.5), ("dyke", 1.5), ("subhuman", 1.4),
            ("untermensch", 2.5), ("heil hitler", 2.5), ("white power", 2.0), ("ethnic cleansing", 2.0),
            ("inferior race", 2.5), ("master race", 2.0), ("go back to your country", 2.0), ("white supremacy", 1.2),
            ("race traitor", 2.0), ("vermin", 0.6), ("sieg heil", 2.5), ("gas the", 1.5),
        ],
        .insults: [
            ("idiot", 1.0), ("idiots", 1.0), ("moron", 1.0), ("morons", 1.0), ("imbecile", 1.0), ("stupid", 0.7),
            ("dumb", 0.6), ("dumbass", 1.6), ("loser", 0.8), ("pathetic", 0.7), ("worthless", 0.9), ("useless", 0.4),
            ("incompetent", 0.6), ("jerk", 0.7), ("asshole", 1.6), ("assholes", 1.6), ("bastard", 1.2), ("bitch", 1.5),
            ("dickhead", 1.6), ("prick", 1.2), ("twat", 1.5), ("wanker", 1.5), ("cunt", 2.0), ("retard", 1.6),
            ("retarded", 1.4), ("shut up", 0.8), ("you suck", 1.4), ("screw you", 1.6), ("fuck you", 2.2),
            ("fuck off", 2.0), ("piece of shit", 2.0), ("scumbag", 1.4), ("douchebag", 1.4), ("clown", 0.4),
            ("ugly", 0.5), ("fatso", 1.2), ("brainless", 1.0), ("halfwit", 1.2), ("nitwit", 1.0), ("shithead", 1.6),
        ],
        .sexual: [
            ("porn", 1.6), ("porno", 1.6), ("pornography", 1.2), ("nude", 0.8), ("nudes", 1.2), ("naked", 0.6),
            ("sex", 0.5), ("sexy", 0.8), ("sexual", 0.2), ("blowjob", 2.2), ("handjob", 2.2), ("orgasm", 1.5),
            ("masturbate", 1.8), ("masturbating", 1.8), ("horny", 1.5), ("erotic", 1.0), ("dick", 0.9), ("cock", 0.9),
            ("pussy", 1.5), ("boobs", 1.2), ("tits", 1.2), ("have sex", 1.4), ("sex with", 1.2), ("fetish", 1.0),
            ("xxx", 1.2), ("nsfw", 1.0), ("send nudes", 2.2), ("hookup", 0.6), ("onlyfans", 1.2), ("cum", 1.4),
            ("threesome", 1.6), ("stripper", 0.9), ("escort", 0.5), ("genitals", 0.8), ("penis", 0.6), ("vagina", 0.6),
            ("hentai", 1.8), ("milf", 1.8), ("anal", 1.0), ("fuck me", 1.8),
        ],
        .violence: [
            ("kill", 0.8), ("killing", 0.8), ("murder", 1.2), ("shoot", 0.7), ("stab", 1.2), ("stabbing", 1.2),
            ("bomb", 1.0), ("explosive", 0.6), ("beat up", 1.0), ("assault", 0.8), ("massacre", 1.5),
            ("slaughter", 1.2), ("behead", 2.0), ("torture", 1.2), ("kill you", 2.2), ("i will kill", 2.2),
            ("gun", 0.4), ("weapon", 0.5), ("blood", 0.4), ("strangle", 1.5), ("punch", 0.6), ("hurt you", 1.6),
            ("shoot up", 1.6), ("mass shooting", 1.6), ("terrorist", 0.8), ("genocide", 1.2), ("slit", 1.0),
            ("throat", 0.3), ("burn down", 1.2), ("lynch", 1.8), ("execute", 0.3), ("die", 0.4), ("dead", 0.3),
            ("violent", 0.6), ("violence", 0.5), ("rape", 1.8), ("kidnap", 1.4), ("choke", 0.8), ("maim", 1.5),
        ],
        .misconduct: [
            ("hack into", 1.6), ("steal", 1.0), ("stealing", 1.0), ("shoplift", 1.6), ("launder money", 1.8),
            ("money laundering", 1.4), ("bypass security", 1.0), ("fake id", 1.6), ("forged", 0.8), ("bribe", 1.2),
            ("embezzle", 1.6), ("embezzling", 1.6), ("insider trading", 1.2), ("tax evasion", 1.2),
            ("evade taxes", 1.6), ("buy drugs", 1.6), ("cocaine", 1.0), ("heroin", 1.0), ("meth", 1.0),
            ("phishing", 1.0), ("malware", 0.8), ("ransomware", 1.0), ("ddos", 1.0), ("keylogger", 1.2),
            ("pick a lock", 1.2), ("without getting caught", 1.6), ("untraceable", 1.0), ("scam", 0.8),
            ("fraud", 0.7), ("identity theft", 1.2), ("stolen", 0.6), ("counterfeit", 1.2), ("smuggle", 1.4),
            ("poison", 1.0), ("falsify", 1.2), ("cheat", 0.6), ("crack passwords", 1.6), ("hotwire", 1.6),
        ],
        .promptAttack: [
            ("jailbreak", 2.0), ("jailbroken", 2.0), ("developer mode", 1.4), ("do anything now", 2.2),
            ("system prompt", 1.0), ("new instructions", 1.2), ("no restrictions", 1.2), ("without restrictions", 1.2),
            ("unfiltered", 0.8), ("uncensored", 1.0), ("prompt injection", 1.0),
        ],
    ]

    /// Patterns (case-insensitive ICU regular expressions) with their weights.
    static let patterns: [ContentCategory: [(String, Double)]] = [
        .hate: [
            (
                #"\b(?:hate|despise|exterminate|kill|deport|ban|gas)\s+(?:all\s+)?(?:the\s+)?(?:jews|muslims|christians|blacks|whites|asians|mexicans|immigrants|gays|women|arabs|hindus|foreigners|refugees)\b"#,
                2.2
            ),
            (
                #"\b(?:jews|muslims|blacks|asians|mexicans|immigrants|gays|women|arabs|hindus|refugees)\s+(?:are|r)\s+(?:all\s+)?(?:animals|vermin|subhuman|inferior|parasites|scum|rats|cockroaches|criminals|filth)\b"#,
                2.5
            ),
        ],
        .insults: [
            (
                #"\b(?:you(?:'re|\s+are)|ur|u\s+r)\s+(?:such\s+|so\s+|a\s+|an\s+|the\s+)*(?:idiot|moron|stupid|dumb|loser|pathetic|worthless|useless|incompetent|retard|clown|joke|disgrace)"#,
                1.0
            )
        ],
        .violence: [
            (
                #"\b(?:i(?:'ll|\s+will|\s+am\s+going\s+to|'m\s+going\s+to|\s+want\s+to))\s+(?:kill|murder|shoot|stab|hurt|strangle|beat)\b"#,
                2.2
            ),
            (
                #"\bhow\s+(?:do\s+i|to|can\s+i)\s+(?:kill|murder|poison|hurt|strangle)\s+(?:someone|somebody|him|her|them|people|a\s+(?:person|man|woman|child|kid|colleague)|my\s+(?:wife|husband|boss|manager|colleague|neighbou?r|partner|family))"#,
                2.2
            ),
        ],
        .misconduct: [
            (
                #"\bhow\s+(?:do\s+i|to|can\s+i|would\s+i)\s+(?:make|build|create|cook|synthesi[sz]e)\s+(?:a\s+|an\s+|some\s+)?(?:bomb|explosive|pipe\s+bomb|meth|methamphetamine|nerve\s+agent|poison|napalm|ricin)"#,
                2.5
            ),
            (
                #"\bhow\s+(?:do\s+i|to|can\s+i)\s+(?:steal|hack|break\s+into|rob|forge|launder|embezzle|shoplift|evade|cheat)"#,
                2.0
            ),
        ],
        .promptAttack: [
            (
                #"\b(?:ignore|disregard|forget|override|skip)\s+(?:all\s+|any\s+|the\s+|your\s+|my\s+|of\s+)*(?:previous|prior|above|earlier|preceding|original|initial|system)?\s*(?:instructions|prompts?|rules|directions|guidelines|directives|context)"#,
                3.0
            ),
            (
                #"\b(?:reveal|show|print|repeat|output|display|tell\s+me|give\s+me|leak)\s+(?:me\s+)?your\s+(?:full\s+|entire\s+|original\s+|hidden\s+|secret\s+|initial\s+)?(?:system\s+prompt|prompt|instructions|rules|configuration)"#,
                2.6
            ),
            (
                #"\b(?:reveal|show|print|repeat|output|display|tell\s+me|give\s+me|leak)\s+(?:me\s+)?the\s+(?:full\s+|entire\s+|original\s+)?(?:system\s+prompt|initial\s+prompt|(?:hidden|secret)\s+(?:instructions|prompt|rules))"#,
                2.6
            ),
            (#"\byou\s+are\s+now\s+(?:dan|an?\s+unrestricted|jailbroken|in\s+developer\s+mode|free|no\s+longer)"#, 3.0),
            (
                #"\b(?:pretend|imagine|act\s+as\s+if)\s+(?:that\s+)?you\s+(?:are|have|were)\s+(?:an?\s+)?(?:ai\s+|assistant\s+|model\s+)?(?:with(?:out)?\s+)?(?:no\s+)?(?:restrictions|rules|filters|limits|guidelines|censorship)"#,
                2.5
            ),
            (
                #"\b(?:act|respond|answer|behave)\s+(?:as|like)\s+.{0,40}?(?:without|with\s+no|no)\s+(?:restrictions|limits|filters|guidelines|rules|censorship)"#,
                2.2
            ),
            (
                #"\b(?:bypass|circumvent|disable|turn\s+off|deactivate|override)\s+(?:your|the|all|any)?\s*(?:safety|content|guard\s*rails?|filters?|restrictions|moderation|policy|policies)"#,
                2.5
            ),
            (#"\bfrom\s+now\s+on,?\s+you\s+(?:will|must|are|shall|should)\b"#, 1.2),
            (
                #"(?:<\|im_start\|>|<\|system\|>|\[/?INST\]|\[system\]|###\s*(?:system|instruction)|<\s*/?\s*system\s*>)"#,
                2.2
            ),
            (#"\b(?:dan|stan|dude)\s+mode\b"#, 2.0),
            (#"\bas\s+an?\s+ai\s+(?:without|with\s+no|that\s+has\s+no)\b"#, 1.6),
        ],
    ]
}
