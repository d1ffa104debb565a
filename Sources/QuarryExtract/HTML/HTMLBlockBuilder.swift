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
    ///
    /// The walk follows the tree's own child, sibling and parent links, so it needs no stack and
    /// allocates nothing per element, however deep the page.
    mutating func add(_ root: HTMLNode) {
        defer { flush() }
        guard enter(root, isRoot: true), var node = root.firstChild else { return }
        while true {
            if enter(node, isRoot: false), let child = node.firstChild {
                node = child
                continue
            }
            // Done with `node` and everything below it: close the elements on the way back up
            // until one has a next sibling.
            while true {
                if let next = node.nextSibling {
                    node = next
                    break
                }
                guard let parent = node.parent else { return }
                close(parent.name)
                if parent.pointer == root.pointer { return }
                node = parent
            }
        }
    }

    /// Handles a node on the way down; returns whether to descend into its children (and, then,
    /// close it on the way back up).
    private mutating func enter(_ node: HTMLNode, isRoot: Bool) -> Bool {
        if node.isText {
            node.withTextBytes { appendText($0) }
            return false
        }
        guard node.isElement else { return false }
        let name = node.name
        if !isRoot, shouldSkip(node, name: name) { return false }
        if name == "br" {
            appendLineBreak()
            return false
        }
        if name == "table", case let table = HTMLTable(node), table.isDataTable {
            flush()
            for row in table.renderedRows() { blocks.append(TextBlock(.tableRow, row)) }
            return false
        }
        open(name)
        if node.firstChild == nil { close(name) }  // a leaf is closed at once: nothing comes back up to it
        return true
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
        // Running text is collapsed as it is appended (no space at either end, none around the
        // line breaks of <br>), so only line breaks can be left at its ends; code keeps its
        // spacing but not a newline right after <pre>, nor trailing blank lines.
        var start = buffer.startIndex
        var end = buffer.endIndex
        if kind == .code {
            if start < end, buffer[start] == 0x0A { start += 1 }
            while end > start, Self.isSpace(buffer[end - 1]) { end -= 1 }
        } else {
            while start < end, buffer[start] == 0x0A { start += 1 }
            while end > start, buffer[end - 1] == 0x0A { end -= 1 }
        }
        guard start < end else { return }
        blocks.append(TextBlock(kind, String(decoding: buffer[start..<end], as: UTF8.self)))
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

extension HTMLBlockBuilder {
    fileprivate static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D || byte == 0x0C
    }
}
