import CLibXML2
import Foundation

/// A node of a parsed libxml2 HTML tree, valid only while its ``HTMLDocument`` is alive.
///
/// Reading names, attributes and text through the tree's own pointers allocates nothing in C, so
/// nothing needs freeing but the document.
struct HTMLNode {
    let pointer: xmlNodePtr

    var isElement: Bool { pointer.pointee.type == XML_ELEMENT_NODE }
    var isText: Bool {
        pointer.pointee.type == XML_TEXT_NODE || pointer.pointee.type == XML_CDATA_SECTION_NODE
    }

    var firstChild: HTMLNode? { pointer.pointee.children.map(HTMLNode.init) }
    var nextSibling: HTMLNode? { pointer.pointee.next.map(HTMLNode.init) }
    var parent: HTMLNode? { pointer.pointee.parent.map(HTMLNode.init) }

    /// The element's name as the HTML parser wrote it (lowercase), or "" for other nodes.
    var name: String {
        guard isElement, let name = pointer.pointee.name else { return "" }
        return String(cString: name)
    }

    /// A text node's bytes (UTF-8), without copying them.
    func withTextBytes<Result>(_ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        guard let content = pointer.pointee.content else { return body(UnsafeBufferPointer(start: nil, count: 0)) }
        return body(UnsafeBufferPointer(start: content, count: strlen(content)))
    }

    /// Whether the element has any attribute at all (most have none: the fast path).
    var hasAttributes: Bool { pointer.pointee.properties != nil }

    /// The value of the attribute `name` (lowercase), or nil when the element has none.
    ///
    /// Names are compared as C strings, allocating nothing; only a found value becomes a `String`.
    func attribute(_ name: StaticString) -> String? {
        var attribute = pointer.pointee.properties
        while let current = attribute {
            if let attributeName = current.pointee.name,
                strcmp(
                    UnsafeRawPointer(attributeName).assumingMemoryBound(to: CChar.self),
                    UnsafeRawPointer(name.utf8Start).assumingMemoryBound(to: CChar.self)
                ) == 0
            {
                return HTMLNode.text(of: current.pointee.children)
            }
            attribute = current.pointee.next
        }
        return nil
    }

    /// Whether one of the element's class names, or its id, lowercased, is in `tokens`.
    ///
    /// Works on the attribute's bytes: a token becomes a (small, inline) `String` only to be
    /// looked up, so the common case allocates nothing.
    func hasClassOrID(in tokens: Set<String>) -> Bool {
        for value in [attribute("class"), attribute("id")] {
            guard var value else { continue }
            let found = value.withUTF8 { bytes -> Bool in
                var token: [UInt8] = []
                token.reserveCapacity(32)
                for index in 0...bytes.count {
                    let byte = index < bytes.count ? bytes[index] : 0x20
                    if byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D || byte == 0x0C {
                        if !token.isEmpty, tokens.contains(String(decoding: token, as: UTF8.self)) { return true }
                        token.removeAll(keepingCapacity: true)
                    } else {
                        token.append((0x41...0x5A).contains(byte) ? byte | 0x20 : byte)
                    }
                }
                return false
            }
            if found { return true }
        }
        return false
    }

    /// The concatenated text of the text nodes below `first` and its siblings, as written.
    static func text(of first: xmlNodePtr?) -> String {
        var bytes: [UInt8] = []
        var stack: [xmlNodePtr] = []
        var node = first
        while true {
            if let current = node {
                let wrapped = HTMLNode(pointer: current)
                if wrapped.isText {
                    wrapped.withTextBytes { bytes.append(contentsOf: $0) }
                } else if let child = current.pointee.children {
                    if let next = current.pointee.next { stack.append(next) }
                    node = child
                    continue
                }
                node = current.pointee.next
            } else if let next = stack.popLast() {
                node = next
            } else {
                break
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The element's text content, whitespace collapsed.
    var collapsedText: String {
        HTMLNode.text(of: pointer.pointee.children).split(whereSeparator: \.isHTMLWhitespace).joined(separator: " ")
    }
}

extension Character {
    /// HTML's inter-element whitespace, plus the no-break space, which reads as a space in extracted text.
    var isHTMLWhitespace: Bool {
        self == " " || self == "\t" || self == "\n" || self == "\r" || self == "\u{0C}" || self == "\u{A0}"
            || self == "\r\n"
    }
}

/// A parsed HTML document, freed when the value goes away.
final class HTMLDocument {
    private let pointer: xmlDocPtr

    /// libxml2's global state is set up once, before any thread parses.
    private static let initialised: Void = { xmlInitParser() }()

    /// Parses UTF-8 `text` with libxml2's forgiving HTML parser (errors recovered and not reported,
    /// no network access, the document's own charset declaration ignored: the text is already
    /// decoded). `XML_PARSE_HUGE` lifts libxml2's limit of 256 nested elements, which otherwise
    /// stops the parse and loses the rest of the page; the extractor walks the tree with its own
    /// stack, so depth costs memory only. Returns nil for empty text or when libxml2 builds no tree.
    init?(utf8 text: String) {
        _ = Self.initialised
        guard !text.isEmpty, text.utf8.count < Int32.max, let context = htmlNewParserCtxt() else { return nil }
        defer { htmlFreeParserCtxt(context) }
        let options = Int32(
            HTML_PARSE_RECOVER.rawValue | HTML_PARSE_NOERROR.rawValue | HTML_PARSE_NOWARNING.rawValue
                | HTML_PARSE_NONET.rawValue | HTML_PARSE_IGNORE_ENC.rawValue | HTML_PARSE_COMPACT.rawValue
                | XML_PARSE_HUGE.rawValue
        )
        var text = text
        let parsed = text.withUTF8 { bytes in
            bytes.withMemoryRebound(to: CChar.self) { chars in
                htmlCtxtReadMemory(context, chars.baseAddress, Int32(chars.count), nil, "UTF-8", options)
            }
        }
        guard let parsed else { return nil }
        pointer = parsed
    }

    deinit {
        xmlFreeDoc(pointer)
    }

    /// The `<html>` element, or whatever the parser put at the top.
    var root: HTMLNode? {
        xmlDocGetRootElement(pointer).map(HTMLNode.init)
    }
}
