import QuarryCore

/// A `<table>` read as data: its caption, its header row, and its body rows rendered as
/// `Column: value; Column: value`, so that each row can be found and cited on its own.
///
/// Tables used for layout (a single column, tables inside cells, headings inside cells,
/// `role="presentation"`) are not data tables; the extractor reads them as ordinary blocks.
struct HTMLTable {
    private var caption: String?
    private var header: [String] = []
    private var rows: [[String]] = []
    /// Columns beyond this are left out: no real table is wider, and `colspan` must not let a
    /// small page expand into an enormous one.
    static let maximumColumns = 1_000
    /// Whether the table holds data rather than laying out the page.
    private(set) var isDataTable = true

    init(_ table: HTMLNode) {
        if let role = table.attribute("role")?.lowercased(), role == "presentation" || role == "none" {
            isDataTable = false
            return
        }
        var headerRows: [[(text: String, span: Int, isHeader: Bool)]] = []
        var bodyRows: [[(text: String, span: Int, isHeader: Bool)]] = []
        for (section, row) in Self.rows(of: table) {
            guard !HTMLElements.isHidden(row) else { continue }
            var cells: [(text: String, span: Int, isHeader: Bool)] = []
            var width = 0
            var cell = row.firstChild
            while let current = cell, width < Self.maximumColumns {
                defer { cell = current.nextSibling }
                let name = current.name
                guard name == "td" || name == "th" else { continue }
                if Self.containsLayout(current) {
                    isDataTable = false
                    return
                }
                let span = min(max(Int(current.attribute("colspan") ?? "") ?? 1, 1), 100, Self.maximumColumns - width)
                width += span
                cells.append((HTMLElements.isHidden(current) ? "" : Self.text(of: current), span, name == "th"))
            }
            guard !cells.isEmpty else { continue }
            if section == "thead" {
                headerRows.append(cells)
            } else {
                bodyRows.append(cells)
            }
        }
        if let captionNode = Self.child(named: "caption", of: table) {
            let text = Self.text(of: captionNode)
            caption = text.isEmpty ? nil : text
        }
        // Without a <thead>, a first row made only of <th> cells is the header.
        if headerRows.isEmpty, let first = bodyRows.first, first.allSatisfy(\.isHeader), bodyRows.count > 1 {
            headerRows = [bodyRows.removeFirst()]
        }
        let width = (headerRows + bodyRows).map { $0.reduce(0) { $0 + $1.span } }.max() ?? 0
        guard width >= 2 else {
            isDataTable = false
            return
        }
        // The last header row names the columns (earlier ones group them), each spanned cell repeated.
        if let names = headerRows.last {
            header = names.flatMap { Array(repeating: $0.text, count: $0.span) }
        }
        rows = bodyRows.map { cells in
            cells.flatMap { [$0.text] + Array(repeating: "", count: $0.span - 1) }
        }
    }

    /// The caption, then one line per body row.
    func renderedRows() -> [String] {
        var lines: [String] = caption.map { [$0] } ?? []
        for row in rows {
            var parts: [String] = []
            for (index, value) in row.enumerated() where !value.isEmpty {
                let name = index < header.count ? header[index] : ""
                parts.append(name.isEmpty || name == value ? value : "\(name): \(value)")
            }
            if !parts.isEmpty { lines.append(parts.joined(separator: "; ")) }
        }
        if rows.isEmpty, !header.isEmpty {
            lines.append(header.filter { !$0.isEmpty }.joined(separator: "; "))
        }
        return lines
    }

    // MARK: - Reading the tree

    /// The table's own rows (not those of tables nested in it), with the section each is in.
    private static func rows(of table: HTMLNode) -> [(section: String, row: HTMLNode)] {
        var result: [(String, HTMLNode)] = []
        var child = table.firstChild
        while let current = child {
            defer { child = current.nextSibling }
            switch current.name {
            case "tr": result.append(("tbody", current))
            case "thead", "tbody", "tfoot":
                var row = current.firstChild
                while let candidate = row {
                    if candidate.name == "tr" { result.append((current.name, candidate)) }
                    row = candidate.nextSibling
                }
            default: continue
            }
        }
        return result
    }

    private static func child(named name: String, of node: HTMLNode) -> HTMLNode? {
        var child = node.firstChild
        while let current = child {
            if current.name == name { return current }
            child = current.nextSibling
        }
        return nil
    }

    /// Whether a cell holds another table or a heading: the table lays out a page.
    private static func containsLayout(_ cell: HTMLNode) -> Bool {
        var stack: [HTMLNode] = cell.firstChild.map { [$0] } ?? []
        while let current = stack.popLast() {
            if let next = current.nextSibling { stack.append(next) }
            guard current.isElement else { continue }
            let name = current.name
            if name == "table" || HTMLElements.headingLevel(name) != nil { return true }
            if let first = current.firstChild { stack.append(first) }
        }
        return false
    }

    /// A cell's readable text on one line.
    private static func text(of cell: HTMLNode) -> String {
        var builder = HTMLBlockBuilder()
        builder.add(cell)
        return builder.blocks.map { $0.text.replacingNewlines() }.joined(separator: " ")
    }
}

extension String {
    fileprivate func replacingNewlines() -> String {
        split(separator: "\n").joined(separator: " ")
    }
}
