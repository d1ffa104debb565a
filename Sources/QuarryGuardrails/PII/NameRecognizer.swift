/// PERSON and LOCATION without a language model: capitalised words looked up in the gazetteer.
///
/// - PERSON: a title (`Mr`, `Dr`, …) followed by capitalised words (0.85); a known first name
///   followed by one or two capitalised words (0.85 when the last is a known surname, else 0.7); a
///   known first name alone (0.6, or 0.45 at the start of a sentence, 0.3 when the name is also an
///   English word such as "Will" or "Grace"), raised by context words such as "name" or "Dear".
/// - LOCATION: the longest country, US state or city (50,000 people or more) whose words match
///   capitalised words (0.6, 0.45 at the start of a sentence, 0.3 for places that are English
///   words such as "Mobile"), plus 0.25 right after `in`, `at`, `from`, `to`, `near` and the like.
struct NameRecognizer: Sendable {
    let detectPeople: Bool
    let detectPlaces: Bool
    private let gazetteer = Gazetteer.shared

    static let personContext = [
        "name", "named", "names", "called", "dear", "hi", "hello", "contact", "ask", "manager", "colleague",
        "employee", "mr", "mrs", "ms", "dr", "sincerely", "regards", "signed", "patient", "customer", "user",
    ]

    private static let titles: Set<String> = [
        "Mr", "Mrs", "Ms", "Miss", "Mx", "Dr", "Prof", "Professor", "Sir", "Madam", "Dame", "Lord", "Lady",
    ]
    private static let placePrepositions: Set<String> = [
        "in", "at", "from", "to", "near", "visit", "visiting", "around", "across", "into", "outside", "inside",
        "toward", "towards", "via", "through", "between",
    ]
    /// Capitalised words that are never a surname after a first name.
    private static let notSurnames: Set<String> = [
        "I", "The", "A", "An", "And", "Or", "But", "If", "On", "In", "At", "To", "Of", "For", "By", "With", "From",
        "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday", "January", "February",
        "March", "April", "May", "June", "July", "August", "September", "October", "November", "December",
        "Street", "Road", "Avenue", "Is", "Was", "Has", "Will", "Can", "This", "That", "Please", "Thanks",
    ]

    /// Census first names that start sentences as ordinary words far more often than as names.
    private static let notNames: Set<String> = ["America", "Page", "Mac", "My", "So", "Do", "No", "Me", "Us", "Our"]

    func recognize(_ text: ScannedText, tokens: [WordToken]) -> [PIIMatch] {
        var matches: [PIIMatch] = []
        if detectPeople { matches += people(text, tokens) }
        if detectPlaces { matches += places(text, tokens) }
        return matches
    }

    /// Whether only spaces (at most `maximum`) and, if `allowPeriod`, one period separate two tokens.
    private func adjacent(_ a: WordToken, _ b: WordToken, _ text: ScannedText, allowPeriod: Bool = false) -> Bool {
        let gap = text.scalars[a.end..<b.start]
        guard !gap.isEmpty, gap.count <= 3 else { return false }
        var periods = 0
        for scalar in gap {
            if scalar == "." {
                periods += 1
            } else if scalar != " " {
                return false
            }
        }
        return periods == 0 || (allowPeriod && periods == 1 && gap.first == ".")
    }

    private func startsSentence(_ token: WordToken, _ text: ScannedText) -> Bool {
        var index = token.start - 1
        while index >= 0,
            text.scalars[index].properties.isWhitespace || "\"'“‘(".unicodeScalars.contains(text.scalars[index])
        {
            index -= 1
        }
        return index < 0 || ".!?:;\n".unicodeScalars.contains(text.scalars[index])
    }

    /// The word without a possessive `'s`.
    private func base(_ token: WordToken) -> (String, Int) {
        for suffix in ["'s", "’s"] where token.text.hasSuffix(suffix) {
            return (String(token.text.dropLast(2)), token.end - 2)
        }
        return (token.text, token.end)
    }

    private func people(_ text: ScannedText, _ tokens: [WordToken]) -> [PIIMatch] {
        var matches: [PIIMatch] = []
        var index = 0
        while index < tokens.count {
            let token = tokens[index]
            let (word, _) = base(token)
            guard token.isCapitalized || (word.count == 1 && index > 0 && Self.titles.contains(tokens[index - 1].text))
            else {
                index += 1
                continue
            }
            let afterTitle =
                index > 0 && Self.titles.contains(tokens[index - 1].text)
                && adjacent(tokens[index - 1], token, text, allowPeriod: true)
            // "Name: Eduard Kvarda", "my name is …", "Dear …", "this is …": any capitalised words.
            let introduced = index > 0 && introduces(tokens, before: index, text)
            // Months, days and function words are census first names too ("April", "In"): never alone a name start.
            let known =
                gazetteer.firstNames.contains(word) && !Self.notSurnames.contains(word) && !Self.notNames.contains(word)
            guard afterTitle || known || introduced else {
                index += 1
                continue
            }
            // Following capitalised words (a middle initial "J." included), up to two more.
            var last = index
            var end = base(token).1
            while last + 1 < tokens.count, last - index < 2, base(tokens[last]).1 == tokens[last].end {
                let next = tokens[last + 1]
                let (nextWord, nextEnd) = base(next)
                let initial = nextWord.count == 1 && nextWord.unicodeScalars.first!.properties.isUppercase
                guard next.isCapitalized || initial, !Self.notSurnames.contains(nextWord),
                    adjacent(tokens[last], next, text, allowPeriod: tokens[last].text.count == 1)
                else { break }
                last += 1
                end = nextEnd
            }
            let score: Double
            if afterTitle || (introduced && last > index) {
                score = 0.85
            } else if introduced && !known {
                score = 0.6
            } else if last > index {
                score = gazetteer.lastNames.contains(base(tokens[last]).0) ? 0.85 : 0.7
            } else if gazetteer.ambiguousNames.contains(word) {
                score = 0.3
            } else {
                score = startsSentence(token, text) ? 0.45 : 0.6
            }
            matches.append(PIIMatch(entity: PIIEntityType.person, start: token.start, end: end, score: score))
            index = last + 1
        }
        return matches
    }

    /// Whether the words just before `index` introduce a name: `Name:`, `name is`, `called`, `Dear`, `I am`.
    private func introduces(_ tokens: [WordToken], before index: Int, _ text: ScannedText) -> Bool {
        let previous = tokens[index - 1].text.lowercased()
        let gap = text.scalars[tokens[index - 1].end..<tokens[index].start]
        if previous.hasSuffix("name"), gap.contains(":") { return true }
        if ["dear", "called", "named"].contains(previous) { return true }
        guard index > 1 else { return false }
        let pair = tokens[index - 2].text.lowercased() + " " + previous
        return ["name is", "i am", "this is", "names are"].contains(pair)
    }

    private func places(_ text: ScannedText, _ tokens: [WordToken]) -> [PIIMatch] {
        var matches: [PIIMatch] = []
        var index = 0
        while index < tokens.count {
            let token = tokens[index]
            guard token.isCapitalized || token.text.allSatisfy(\.isUppercase),
                let candidates = gazetteer.places[token.text]
            else {
                index += 1
                continue
            }
            var matched: [String]?
            for words in candidates where index + words.count <= tokens.count {
                var ok = true
                for offset in 0..<words.count {
                    let candidate = tokens[index + offset]
                    if candidate.text != words[offset]
                        || (offset > 0 && !adjacent(tokens[index + offset - 1], candidate, text))
                    {
                        ok = false
                        break
                    }
                }
                if ok {
                    matched = words
                    break
                }
            }
            guard let words = matched, token.isCapitalized || words.count > 1 || token.text.count > 3 else {
                index += 1
                continue
            }
            let name = words.joined(separator: " ")
            var score: Double
            if gazetteer.ambiguousPlaces.contains(name) {
                score = 0.3
            } else {
                score = startsSentence(token, text) ? 0.45 : 0.6
            }
            if index > 0, Self.placePrepositions.contains(tokens[index - 1].text.lowercased()) {
                score += 0.25
            }
            let end = tokens[index + words.count - 1].end
            matches.append(PIIMatch(entity: PIIEntityType.location, start: token.start, end: end, score: score))
            index += words.count
        }
        return matches
    }
}
