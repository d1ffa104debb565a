/// Renumbers a language model's citation markers as its text streams in.
///
/// The model cites the prompt's passages by their numbers (`[3]`, `[3][5]`, `[3, 5]`, `[3-5]`); the answer
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
            } else if character.isASCII && character.isNumber || ", -–".contains(character),
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

    /// The replacement of `[inside]`: `[2]`, `[1, 3]`, `[1][3]` and ranges `[1-3]` (`[1–3]`) are
    /// markers. A marker whose numbers name no quoted passage is dropped if they could be passage
    /// numbers (1 to 99: a model inventing `[9]` of eight) and left as text otherwise (`[0]`, `[2024]`).
    private mutating func rewrite(_ inside: Substring) -> String {
        var numbers: [Int] = []
        for part in inside.split(whereSeparator: { $0 == "," || $0 == " " }) {
            let bounds = part.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "-" || $0 == "–" })
            guard (1...2).contains(bounds.count), let first = Int(bounds[0]), let last = Int(bounds[bounds.count - 1])
            else { return "[" + inside + "]" }
            guard first <= last, last - first < 20 else { return "[" + inside + "]" }
            numbers += Array(first...last)
        }
        guard !numbers.isEmpty else { return "[" + inside + "]" }
        let valid = numbers.filter { $0 >= 1 && $0 <= passageCount }
        if valid.isEmpty, numbers.contains(where: { $0 < 1 || $0 > 99 }) { return "[" + inside + "]" }
        guard keepsMarkers else { return "" }
        var markers = ""
        for number in valid {
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
