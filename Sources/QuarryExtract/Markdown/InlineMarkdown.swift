import QuarryCore

/// Removes Markdown's inline markup, keeping the words a reader sees.
///
/// Links keep their text, images their alt text, autolinks their address; emphasis, code spans,
/// strike-through, inline HTML tags and backslash escapes are unwrapped; common entities decoded.
enum InlineMarkdown {
    /// How far a link, tag or code span may reach; keeps hostile input (a line of 5 MB of `[`) linear.
    static let window = 500
    /// Paragraphs longer than this (machine output, or hostile) keep their text as it is.
    static let maximumMarkupLength = 100_000
    /// How deeply link text is unwrapped (`[[[x](a)](b)](c)`); deeper text is kept as it is.
    static let maximumDepth = 4

    static func plainText(_ text: String, depth: Int = 0) -> String {
        guard text.utf8.count <= maximumMarkupLength else { return collapseSpaces(text) }
        let characters = Array(text)
        var output = ""
        output.reserveCapacity(characters.count)
        var index = 0

        while index < characters.count {
            let character = characters[index]
            switch character {
            case "\\" where index + 1 < characters.count && characters[index + 1].isPunctuationOrSymbol:
                output.append(characters[index + 1])
                index += 2
            case "!" where index + 1 < characters.count && characters[index + 1] == "[":
                if let link = parseLink(characters, from: index + 1) {
                    output += depth < maximumDepth ? plainText(link.text, depth: depth + 1) : link.text
                    index = link.end
                } else {
                    output.append(character)
                    index += 1
                }
            case "[":
                if let link = parseLink(characters, from: index) {
                    output += depth < maximumDepth ? plainText(link.text, depth: depth + 1) : link.text
                    index = link.end
                } else {
                    output.append(character)
                    index += 1
                }
            case "<":
                if let end = characters[(index + 1)...].prefix(300).firstIndex(of: ">") {
                    let inner = String(characters[(index + 1)..<end])
                    if inner.hasPrefix("http://") || inner.hasPrefix("https://") || inner.hasPrefix("mailto:") {
                        output += inner.hasPrefix("mailto:") ? String(inner.dropFirst(7)) : inner
                        index = end + 1
                        continue
                    }
                    if let first = inner.first, first.isLetter || first == "/" || first == "!" {
                        index = end + 1  // an inline HTML tag
                        continue
                    }
                }
                output.append(character)
                index += 1
            case "`":
                let run = characters[index...].prefix(while: { $0 == "`" }).count
                if let close = findRun(of: "`", length: run, in: characters, from: index + run) {
                    output += String(characters[(index + run)..<close]).trimmingASCIIWhitespace()
                    index = close + run
                } else {
                    output += String(repeating: "`", count: run)
                    index += run
                }
            case "*", "~":
                let run = characters[index...].prefix(while: { $0 == character }).count
                let before = index > 0 ? characters[index - 1] : " "
                let after = index + run < characters.count ? characters[index + run] : " "
                if before.isWhitespace && after.isWhitespace {
                    output += String(repeating: character, count: run)  // "2 * 3", not emphasis
                }
                index += run
            case "_":
                let run = characters[index...].prefix(while: { $0 == "_" }).count
                let before = index > 0 ? characters[index - 1] : " "
                let after = index + run < characters.count ? characters[index + run] : " "
                if before.isLetter || before.isNumber, after.isLetter || after.isNumber {
                    output += String(repeating: "_", count: run)  // snake_case, not emphasis
                }
                index += run
            case "&":
                if let (decoded, length) = decodeEntity(characters, at: index) {
                    output.append(decoded)
                    index += length
                } else {
                    output.append(character)
                    index += 1
                }
            default:
                output.append(character)
                index += 1
            }
        }
        return collapseSpaces(output)
    }

    /// Parses `[text](target)` or `[text][ref]` starting at the `[`.
    private static func parseLink(_ characters: [Character], from start: Int) -> (text: String, end: Int)? {
        var depth = 0
        var close: Int?
        var index = start
        let limit = min(characters.count, start + window)
        while index < limit {
            if characters[index] == "\\" {
                index += 2
                continue
            }
            if characters[index] == "[" { depth += 1 }
            if characters[index] == "]" {
                depth -= 1
                if depth == 0 {
                    close = index
                    break
                }
            }
            index += 1
        }
        guard let close, close + 1 < characters.count else { return nil }
        let text = String(characters[(start + 1)..<close])
        let opener = characters[close + 1]
        guard opener == "(" || opener == "[" else { return nil }
        let closer: Character = opener == "(" ? ")" : "]"
        guard let end = characters[(close + 2)...].prefix(window).firstIndex(of: closer) else { return nil }
        return (text, end + 1)
    }

    private static func findRun(
        of marker: Character,
        length: Int,
        in characters: [Character],
        from start: Int
    )
        -> Int?
    {
        var index = start
        let limit = min(characters.count, start + window)
        while index < limit {
            if characters[index] == marker {
                let run = characters[index...].prefix(while: { $0 == marker }).count
                if run == length { return index }
                index += run
            } else {
                index += 1
            }
        }
        return nil
    }

    private static let entities: [String: Character] = [
        "amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "nbsp": " ", "ndash": "–", "mdash": "—",
        "hellip": "…", "copy": "©", "reg": "®", "trade": "™", "euro": "€", "pound": "£",
    ]

    private static func decodeEntity(_ characters: [Character], at index: Int) -> (Character, Int)? {
        let window = characters[(index + 1)...].prefix(10)
        guard let semicolon = window.firstIndex(of: ";") else { return nil }
        let name = String(characters[(index + 1)..<semicolon])
        let length = semicolon - index + 1
        if let character = entities[name] { return (character, length) }
        if name.hasPrefix("#") {
            let digits = name.dropFirst()
            let value =
                digits.hasPrefix("x") || digits.hasPrefix("X") ? UInt32(digits.dropFirst(), radix: 16) : UInt32(digits)
            if let value, let scalar = Unicode.Scalar(value), value != 0 {
                return (Character(scalar), length)
            }
        }
        return nil
    }

    private static func collapseSpaces(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.count)
        var lastWasSpace = false
        for character in text {
            if character == " " || character == "\t" {
                if !lastWasSpace { result.append(" ") }
                lastWasSpace = true
            } else {
                result.append(character)
                lastWasSpace = false
            }
        }
        return result.trimmingASCIIWhitespace()
    }
}

extension Character {
    fileprivate var isPunctuationOrSymbol: Bool { isPunctuation || isSymbol }
}
