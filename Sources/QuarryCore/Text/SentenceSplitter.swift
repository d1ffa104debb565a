/// Splits text into sentences, for answers that quote whole sentences and for chunks that end on one.
///
/// A sentence ends at a line break, or after `.`, `!` or `?` (and any closing quotes or brackets)
/// that is followed by white space and then something that can start a sentence. A full stop does
/// not end a sentence after a common abbreviation (`e.g.`, `Dr.`, `Inc.`), a single initial
/// (`J. Smith`) or inside a number (`3.5`). Offsets are in Unicode scalars.
public enum SentenceSplitter {
    /// The ranges of the sentences of `text`, with surrounding white space trimmed; empty ones are skipped.
    public static func sentenceRanges(in text: String) -> [TextRange] {
        let scalars = Array(text.unicodeScalars)
        var ranges: [TextRange] = []
        var start = 0

        func emit(upTo end: Int) {
            var lower = start
            var upper = end
            while lower < upper, scalars[lower].properties.isWhitespace { lower += 1 }
            while upper > lower, scalars[upper - 1].properties.isWhitespace { upper -= 1 }
            if upper > lower {
                ranges.append(TextRange(start: lower, end: upper))
            }
        }

        var index = 0
        while index < scalars.count {
            let scalar = scalars[index]
            if scalar == "\n" || scalar == "\r" || scalar == "\u{2029}" {
                emit(upTo: index)
                start = index + 1
            } else if scalar == "." || scalar == "!" || scalar == "?" || scalar == "…" {
                var end = index + 1
                while end < scalars.count, closers.contains(scalars[end]) { end += 1 }
                if isBoundary(scalars, terminator: index, after: end) {
                    emit(upTo: end)
                    start = end
                    index = end
                    continue
                }
            }
            index += 1
        }
        emit(upTo: scalars.count)
        return ranges
    }

    /// The sentences of `text` as strings.
    public static func sentences(in text: String) -> [String] {
        let scalars = Array(text.unicodeScalars)
        return sentenceRanges(in: text).map { range in
            var view = String.UnicodeScalarView()
            view.append(contentsOf: scalars[range.start..<range.end])
            return String(view)
        }
    }

    private static let closers: Set<Unicode.Scalar> = ["\"", "'", ")", "]", "”", "’", "»", "*", "_"]

    private static func isBoundary(_ scalars: [Unicode.Scalar], terminator: Int, after end: Int) -> Bool {
        // Must be followed by white space (or the end of the text).
        guard end < scalars.count else { return true }
        guard scalars[end].properties.isWhitespace else { return false }
        var next = end
        while next < scalars.count, scalars[next] == " " || scalars[next] == "\t" { next += 1 }
        guard next < scalars.count else { return true }
        let following = scalars[next]
        if following == "\n" || following == "\r" { return true }
        if scalars[terminator] == "." {
            let word = wordBefore(scalars, index: terminator)
            // An initial: "J. Smith".
            if word.unicodeScalars.count == 1, word.unicodeScalars.first!.properties.isAlphabetic { return false }
            if abbreviations.contains(word.lowercased()) { return false }
        }
        // The next sentence should start like one: a capital, a digit, a quote or bracket, a list mark.
        if following.properties.isUppercase || following.properties.numericType != nil { return true }
        return "\"'“‘(«[-–—•*#$£€¿¡".unicodeScalars.contains(following)
            || !following.properties.isAlphabetic
            || following.properties.isIdeographic
    }

    private static func wordBefore(_ scalars: [Unicode.Scalar], index: Int) -> String {
        var lower = index
        while lower > 0, scalars[lower - 1].properties.isAlphabetic || scalars[lower - 1] == "." { lower -= 1 }
        var view = String.UnicodeScalarView()
        view.append(contentsOf: scalars[lower..<index])
        return String(view)
    }

    private static let abbreviations: Set<String> = [
        "e.g", "i.e", "etc", "vs", "mr", "mrs", "ms", "dr", "prof", "st", "inc", "ltd", "co", "corp", "no",
        "approx", "fig", "dept", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct",
        "nov", "dec", "u.s", "u.k", "a.m", "p.m", "cf", "al", "ext", "tel",
    ]
}
