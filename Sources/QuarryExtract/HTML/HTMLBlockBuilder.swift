import QuarryCore

/// Walks an HTML element and writes its readable text as blocks: headings, paragraphs, list items,
/// code, and table rows rendered with their column names.
///
/// The walk keeps its own stack, so a hostile page nested thousands of levels deep cannot overflow
/// the thread's stack. Whitespace is collapsed as a browser renders it, except inside `<pre>`.
struct HTMLBlockBuilder {
    private(set) var blocks: [TextBlock] = []

    /// The running text of the block being written, as UTF-8.
    private var buffer: [UInt8] = []
    private var pendingSpace = false

    /// What the innermost open block element makes of its text.
    private var kinds: [TextBlock.Kind] = [.paragraph]
    private var preformatted = 0
    private var sectioningDepth = 0

    /// Adds the text of `root` and everything below it.
    mutating func add(_ root: HTMLNode) {
        enum Step {
            case enter(HTMLNode)
            case exit(HTMLNode)
        }
        var steps: [Step] = [.enter(root)]
        var isRoot = true
        while let step = steps.popLast() {
            switch step {
            case .enter(let node):
                if node.isText {
                    node.withTextBytes { appendText($0) }
                    continue
                }
                guard node.isElement else { continue }
                let name = node.name
                if !isRoot, shouldSkip(node, name: name) { continue }
                isRoot = false
                if name == "br" {
                    appendLineBreak()
                    continue
                }
                if name == "table", case let table = HTMLTable(node), table.isDataTable {
                    flush()
                    for row in table.renderedRows() { blocks.append(TextBlock(.tableRow, row)) }
                    continue
                }
                open(name)
                steps.append(.exit(node))
                var children: [HTMLNode] = []
                var child = node.firstChild
                while let current = child {
                    children.append(current)
                    child = current.nextSibling
                }
                steps.append(contentsOf: children.reversed().map(Step.enter))
            case .exit(let node):
                close(node.name)
            }
        }
        flush()
    }

    private func shouldSkip(_ node: HTMLNode, name: String) -> Bool {
        if HTMLElements.skipped.contains(name) { return true }
        if name == "header", sectioningDepth == 0 { return true }
        if HTMLElements.isHidden(node) { return true }
        if name == "html" || name == "body" || name == "main" || name == "article" { return false }
        return HTMLElements.isBoilerplate(node)
    }

    // MARK: - Blocks

    private mutating func open(_ name: String) {
        if HTMLElements.sectioning.contains(name) { sectioningDepth += 1 }
        guard HTMLElements.blocks.contains(name) else { return }
        flush()
        if let level = HTMLElements.headingLevel(name) {
            kinds.append(.heading(level: level))
        } else if name == "li" {
            kinds.append(.listItem)
        } else if name == "pre" || name == "listing" || name == "xmp" || name == "plaintext" {
            kinds.append(.code)
            preformatted += 1
        } else if case .heading = kinds.last {
            kinds.append(kinds.last!)  // a <div> inside a heading is still the heading
        } else {
            kinds.append(kinds.last == .code ? .code : .paragraph)
        }
    }

    private mutating func close(_ name: String) {
        if HTMLElements.sectioning.contains(name) { sectioningDepth -= 1 }
        guard HTMLElements.blocks.contains(name) else { return }
        flush()
        if kinds.count > 1 { kinds.removeLast() }
        if name == "pre" || name == "listing" || name == "xmp" || name == "plaintext" {
            preformatted = max(0, preformatted - 1)
        }
    }

    /// Ends the running text as a block of the innermost kind.
    private mutating func flush() {
        defer {
            buffer.removeAll(keepingCapacity: true)
            pendingSpace = false
        }
        let kind = kinds.last ?? .paragraph
        var text = String(decoding: buffer, as: UTF8.self)
        if kind == .code {
            // A newline right after <pre> is not content; trailing blank lines are not either.
            if text.hasPrefix("\n") { text.removeFirst() }
            while let last = text.last, last.isWhitespace { text.removeLast() }
        } else {
            text = text.trimmingHTMLWhitespace()
        }
        guard !text.isEmpty else { return }
        blocks.append(TextBlock(kind, text))
    }

    // MARK: - Running text

    private mutating func appendText(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard preformatted == 0 else {
            buffer.append(contentsOf: bytes)
            return
        }
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D || byte == 0x0C {
                pendingSpace = true
                index += 1
            } else if byte == 0xC2, index + 1 < bytes.count, bytes[index + 1] == 0xA0 {
                pendingSpace = true  // a no-break space reads as a space
                index += 2
            } else {
                if pendingSpace, let last = buffer.last, last != 0x0A { buffer.append(0x20) }
                pendingSpace = false
                buffer.append(byte)
                index += 1
            }
        }
    }

    private mutating func appendLineBreak() {
        guard !buffer.isEmpty else { return }
        buffer.append(0x0A)
        pendingSpace = false
    }
}

extension String {
    /// The string without HTML whitespace (and no-break spaces) at either end, and without spaces
    /// around the line breaks `<br>` left inside it.
    func trimmingHTMLWhitespace() -> String {
        let lines = split(separator: "\n", omittingEmptySubsequences: false).map { line in
            String(line.drop(while: \.isHTMLWhitespace).reversed().drop(while: \.isHTMLWhitespace).reversed())
        }
        return lines.drop { $0.isEmpty }.reversed().drop { $0.isEmpty }.reversed().joined(separator: "\n")
    }
}
