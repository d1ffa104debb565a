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

    /// The value of the attribute `name` (lowercase), or nil when the element has none.
    func attribute(_ name: String) -> String? {
        var attribute = pointer.pointee.properties
        while let current = attribute {
            if let attributeName = current.pointee.name, String(cString: attributeName) == name {
                return HTMLNode.text(of: current.pointee.children)
            }
            attribute = current.pointee.next
        }
        return nil
    }

    /// The class names and the id of the element, lowercased, for boilerplate tests.
    var classAndIDTokens: [Substring] {
        let classes = attribute("class")?.lowercased() ?? ""
        let id = attribute("id")?.lowercased() ?? ""
        return (classes + " " + id).split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" })
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
