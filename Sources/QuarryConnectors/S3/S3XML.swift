import Foundation

#if canImport(FoundationXML)
import FoundationXML
#endif

/// A parsed XML element: its local name, its own text and its children, enough for S3's answers.
struct XMLElementNode: Sendable {
    var name: String
    var text: String = ""
    var children: [XMLElementNode] = []

    /// The first child named `name`.
    func child(_ name: String) -> XMLElementNode? {
        children.first { $0.name == name }
    }

    /// Every child named `name`, in order.
    func children(_ name: String) -> [XMLElementNode] {
        children.filter { $0.name == name }
    }

    /// The text of the first child named `name`.
    func text(of name: String) -> String? {
        child(name)?.text
    }
}

/// Parses an XML document into ``XMLElementNode``s with Foundation's `XMLParser` (libxml2),
/// without resolving external entities.
enum S3XML {
    struct ParseError: Error, CustomStringConvertible {
        let description: String
    }

    /// Parses `data`; elements are named by their local name (namespaces dropped).
    static func parse(_ data: Data) throws(ParseError) -> XMLElementNode {
        guard !data.isEmpty else { throw ParseError(description: "empty body") }
        let parser = XMLParser(data: data)
        parser.shouldResolveExternalEntities = false
        parser.shouldProcessNamespaces = true
        let builder = TreeBuilder()
        parser.delegate = builder
        let succeeded = parser.parse()
        guard succeeded, builder.failure == nil, let root = builder.root else {
            throw ParseError(description: builder.failure ?? "malformed XML near line \(parser.lineNumber)")
        }
        return root
    }

    /// Builds the tree; a class because `XMLParser` wants an object delegate. Used on one thread only.
    private final class TreeBuilder: NSObject, XMLParserDelegate {
        var stack: [XMLElementNode] = []
        var root: XMLElementNode?
        var failure: String?
        /// Bounds the work a hostile or broken endpoint can cause.
        let maximumDepth = 32

        func parser(
            _ parser: XMLParser,
            didStartElement elementName: String,
            namespaceURI: String?,
            qualifiedName: String?,
            attributes: [String: String] = [:]
        ) {
            guard stack.count < maximumDepth else {
                failure = "XML nested deeper than \(maximumDepth) elements"
                parser.abortParsing()
                return
            }
            stack.append(XMLElementNode(name: elementName))
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            guard !stack.isEmpty else { return }
            stack[stack.count - 1].text += string
        }

        func parser(_ parser: XMLParser, foundCDATA CDATABlock: Data) {
            guard !stack.isEmpty else { return }
            stack[stack.count - 1].text += String(decoding: CDATABlock, as: UTF8.self)
        }

        func parser(
            _ parser: XMLParser,
            didEndElement elementName: String,
            namespaceURI: String?,
            qualifiedName: String?
        ) {
            guard let finished = stack.popLast() else { return }
            if stack.isEmpty {
                root = finished
            } else {
                stack[stack.count - 1].children.append(finished)
            }
        }
    }
}

/// One page of a `ListObjectsV2` answer.
public struct S3ObjectPage: Sendable, Hashable {
    /// The objects on this page, in S3's order (by key, as UTF-8 bytes).
    public var objects: [S3ObjectSummary]
    /// Set when more pages follow.
    public var nextContinuationToken: String?

    /// Creates a page.
    public init(objects: [S3ObjectSummary], nextContinuationToken: String?) {
        self.objects = objects
        self.nextContinuationToken = nextContinuationToken
    }

    /// Reads a `ListBucketResult` document.
    ///
    /// - Throws: a reason when the document is not XML, is not a `ListBucketResult`, an entry lacks
    ///   its key, ETag or size, or it says it is truncated without a continuation token.
    static func parse(_ data: Data) throws(S3XML.ParseError) -> S3ObjectPage {
        let root = try S3XML.parse(data)
        guard root.name == "ListBucketResult" else {
            throw S3XML.ParseError(description: "expected <ListBucketResult>, found <\(root.name.prefix(40))>")
        }
        var objects: [S3ObjectSummary] = []
        for entry in root.children("Contents") {
            guard let key = entry.text(of: "Key"), !key.isEmpty else {
                throw S3XML.ParseError(description: "an entry has no <Key>")
            }
            guard let etag = entry.text(of: "ETag") else {
                throw S3XML.ParseError(description: "the entry for \"\(key.prefix(200))\" has no <ETag>")
            }
            guard let sizeText = entry.text(of: "Size"), let size = Int64(sizeText.trimmingCharacters(in: .whitespaces))
            else {
                throw S3XML.ParseError(description: "the entry for \"\(key.prefix(200))\" has no valid <Size>")
            }
            objects.append(
                S3ObjectSummary(
                    key: key,
                    etag: S3ObjectSummary.unquoted(etag),
                    size: size,
                    lastModified: entry.text(of: "LastModified")
                )
            )
        }
        let truncated = root.text(of: "IsTruncated")?.trimmingCharacters(in: .whitespaces).lowercased() == "true"
        let token = root.text(of: "NextContinuationToken").flatMap { $0.isEmpty ? nil : $0 }
        if truncated && token == nil {
            throw S3XML.ParseError(description: "the listing is truncated but has no <NextContinuationToken>")
        }
        return S3ObjectPage(objects: objects, nextContinuationToken: truncated ? token : nil)
    }
}

/// An object as a listing describes it.
public struct S3ObjectSummary: Sendable, Hashable {
    /// The key, exactly as S3 holds it.
    public var key: String
    /// The entity tag without its quotes.
    public var etag: String
    /// Size in bytes.
    public var size: Int64
    /// `LastModified` as S3 wrote it (ISO 8601).
    public var lastModified: String?

    /// Creates a summary.
    public init(key: String, etag: String, size: Int64, lastModified: String? = nil) {
        self.key = key
        self.etag = etag
        self.size = size
        self.lastModified = lastModified
    }

    static func unquoted(_ etag: String) -> String {
        var text = etag.trimmingCharacters(in: .whitespaces)
        if text.hasPrefix("W/") { text.removeFirst(2) }
        if text.count >= 2, text.hasPrefix("\""), text.hasSuffix("\"") {
            text = String(text.dropFirst().dropLast())
        }
        return text
    }
}

/// S3's `<Error>` document.
struct S3ErrorDocument {
    var code: String?
    var message: String?

    /// Reads what it can; an unreadable body gives an empty document.
    static func parse(_ data: Data) -> S3ErrorDocument {
        guard let root = try? S3XML.parse(data), root.name == "Error" else { return S3ErrorDocument() }
        return S3ErrorDocument(code: root.text(of: "Code"), message: root.text(of: "Message"))
    }
}
