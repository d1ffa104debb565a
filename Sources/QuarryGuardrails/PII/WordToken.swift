/// A word of a text with its scalar offsets: a run of letters, digits and the marks inside names
/// (`O'Brien`, `Mary-Jane`).
struct WordToken: Sendable, Hashable {
    let text: String
    let start: Int
    let end: Int

    var isCapitalized: Bool {
        guard let first = text.unicodeScalars.first else { return false }
        return first.properties.isUppercase && text.unicodeScalars.dropFirst().contains { $0.properties.isLowercase }
    }

    /// Splits a text (as scalars) into words.
    static func tokens(of scalars: [Unicode.Scalar]) -> [WordToken] {
        var tokens: [WordToken] = []
        var index = 0
        while index < scalars.count {
            guard isWordScalar(scalars[index]) else {
                index += 1
                continue
            }
            let start = index
            while index < scalars.count {
                if isWordScalar(scalars[index]) {
                    index += 1
                } else if "'’-".unicodeScalars.contains(scalars[index]), index + 1 < scalars.count,
                    scalars[index + 1].properties.isAlphabetic, index > start
                {
                    index += 1
                } else {
                    break
                }
            }
            var text = String.UnicodeScalarView()
            text.append(contentsOf: scalars[start..<index])
            tokens.append(WordToken(text: String(text), start: start, end: index))
        }
        return tokens
    }

    static func isWordScalar(_ scalar: Unicode.Scalar) -> Bool {
        scalar.properties.isAlphabetic || ("0"..."9").contains(scalar)
    }
}
