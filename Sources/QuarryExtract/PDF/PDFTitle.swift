/// Chooses a PDF's title: its metadata title when that is meaningful, else its first line when
/// that looks like a title.
enum PDFTitle {
    /// The metadata title, unless it is empty, a placeholder (`Untitled`, `Slide 1`) or a file name
    /// (`Microsoft Word - report.docx`, `scan0001.pdf`).
    static func meaningful(_ metadata: String?) -> String? {
        guard let metadata else { return nil }
        let title = metadata.split(whereSeparator: { $0.isWhitespace || $0.isNewline }).joined(separator: " ")
        let lower = title.lowercased()
        guard !title.isEmpty, title.count <= 300, title.contains(where: \.isLetter) else { return nil }
        if placeholders.contains(lower) || lower.hasPrefix("untitled") { return nil }
        if ["microsoft word - ", "microsoft powerpoint - ", "microsoft excel - "].contains(where: lower.hasPrefix) {
            return nil
        }
        if let dot = lower.lastIndex(of: "."), fileExtensions.contains(String(lower[lower.index(after: dot)...])) {
            return nil
        }
        if lower.contains("/") && !lower.contains(" ") || lower.contains("\\") { return nil }
        return title
    }

    /// The first block of the first page as a title, if it is one or two short lines (or a heading
    /// made from them) that do not read like a sentence (no final period or comma) and hold a letter.
    static func fromFirstBlock(_ block: PDFBlock?) -> String? {
        guard let block, block.kind != .listItem, block.lineCount <= 2 else { return nil }
        let title = block.text.split(whereSeparator: { $0.isWhitespace || $0.isNewline }).joined(separator: " ")
        guard (2...150).contains(title.count), title.contains(where: \.isLetter),
            title.split(separator: " ").count <= 20
        else { return nil }
        if let last = title.last, ".,;".contains(last) { return nil }
        return title
    }

    private static let placeholders: Set<String> = [
        "title", "no title", "document", "document1", "presentation", "presentation1", "powerpoint presentation",
        "slide 1", "untitled", "unknown", "none", "null", "(anonymous)", "-",
    ]

    private static let fileExtensions: Set<String> = [
        "doc", "docx", "dot", "odt", "rtf", "txt", "md", "tex", "dvi", "ps", "eps", "pdf", "ppt", "pptx", "odp",
        "xls", "xlsx", "ods", "indd", "qxd", "qxp", "pages", "key", "htm", "html", "xml", "png", "jpg", "jpeg",
        "tif", "tiff", "wpd", "cdr", "ai", "fm", "sxw",
    ]
}
