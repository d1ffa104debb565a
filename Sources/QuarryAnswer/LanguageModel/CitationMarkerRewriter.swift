/// Renumbers a language model's citation markers as its text streams in.
///
/// The model cites the prompt's passages by their numbers (`[3]`, `[3][5]`, `[3, 5]`); the answer
/// numbers its citations from 1 in the order they first appear, each marker on its own (`[1][2]`).
/// A marker naming no quoted passage (`[9]` of eight) is dropped, as is every marker when the
/// answer may not cite (general knowledge). Brackets that are not markers (`[draft]`, `[]`) pass
/// unchanged. A marker cut across pieces is held back until it closes, so no piece ever shows
/// a half-rewritten number.
struct CitationMarkerRewriter {
    /// The longest run held back as a possible marker; longer runs are plain text.
    static let longestMarker = 32

    private let passageCount: Int
    private let keepsMarkers: Bool
    private var pending = ""
    /// Indices (from 0) of the cited passages, in the order of their new numbers.
    private(set) var cited: [Int] = []

    /// A rewriter for a prompt of `passageCount` passages; `keepsMarkers: false` drops them all.
    init(passageCount: Int, keepsMarkers: Bool) {
        self.passageCount = passageCount
        self.keepsMarkers = keepsMarkers
    }

    /// Adds a piece of the model's text; returns what can be shown now.
    mutating func append(_ piece: String) -> String {
        var output = ""
        for character in piece {
            if pending.isEmpty {
                if character == "[" { pending = "[" } else { output.append(character) }
                continue
            }
            if character == "]" {
                output += rewrite(pending.dropFirst())
                pending = ""
            } else if character.isASCII, character.isNumber || character == "," || character == " ",
                pending.count < Self.longestMarker
            {
                pending.append(character)
            } else {
                output += pending
                pending = ""
                if character == "[" { pending = "[" } else { output.append(character) }
            }
        }
        return output
    }

    /// Returns whatever is still held back.
    mutating func finish() -> String {
        defer { pending = "" }
        return pending
    }

    /// The replacement of `[inside]`.
    private mutating func rewrite(_ inside: Substring) -> String {
        let numbers = inside.split(whereSeparator: { $0 == "," || $0 == " " }).compactMap { Int($0) }
        guard !numbers.isEmpty else { return "[" + inside + "]" }
        guard keepsMarkers else { return "" }
        var markers = ""
        for number in numbers where number >= 1 && number <= passageCount {
            let index = number - 1
            let position =
                cited.firstIndex(of: index)
                ?? {
                    cited.append(index)
                    return cited.count - 1
                }()
            let marker = "[\(position + 1)]"
            if !markers.hasSuffix(marker) { markers += marker }
        }
        return markers
    }
}
