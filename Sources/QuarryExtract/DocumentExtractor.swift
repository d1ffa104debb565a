public import Foundation
public import QuarryCore

/// Chooses the extractor for a document by its declared content type, else by its bytes, and runs it.
public struct DocumentExtractor: Sendable {
    /// Text documents larger than this are refused rather than read into memory.
    public var maximumTextBytes: Int

    /// Creates the extractor.
    public init(maximumTextBytes: Int = 32 << 20) {
        self.maximumTextBytes = maximumTextBytes
    }

    /// Extracts the structure of a fetched document.
    ///
    /// - Parameters:
    ///   - content: the document's bytes or file.
    ///   - contentType: the type the connector reported, if any; bytes that begin with a PDF
    ///     signature are read as PDF whatever it says (a PDF saved as `.txt` is still a PDF).
    ///   - charset: the character set the source declared (HTTP `Content-Type`), if any.
    ///   - fileName: the document's name or path, if any: a `.tsv` file prefers tabs as its delimiter.
    /// - Throws: ``ExtractionError`` when the content is unsupported, binary, empty or unreadable.
    public func extract(
        _ content: SourceContent,
        contentType: ContentType?,
        charset: String? = nil,
        fileName: String? = nil
    ) throws(ExtractionError) -> ExtractedDocument {
        let data = try read(content)
        let document: ExtractedDocument
        switch Self.contentType(of: data, declared: contentType) {
        case .markdown:
            document = MarkdownExtractor().extract(try TextDecoder.decode(data))
        case .plainText:
            document = PlainTextExtractor().extract(try TextDecoder.decode(data))
        case .pdf:
            document = try PDFExtractor().extract(data)
        case .html:
            document = try HTMLExtractor().extract(data, declaredCharset: charset)
        case .csv:
            document = try CSVExtractor().extract(data, preferTab: fileName?.lowercased().hasSuffix(".tsv") ?? false)
        }
        guard document.blocks.contains(where: { !$0.text.isEmpty && !isHeading($0) }) else {
            throw .empty
        }
        return document
    }

    /// Extracts a document held in a file (a streamed download spooled to disk): a PDF is mapped by
    /// poppler rather than read, other formats are read whole, up to ``maximumTextBytes``.
    ///
    /// A large CSV file is better streamed row by row with ``CSVExtractor/extract(reading:preferTab:onRow:)``.
    public func extract(
        fileAt path: String,
        contentType: ContentType,
        charset: String? = nil
    ) throws(ExtractionError) -> ExtractedDocument {
        if contentType == .pdf { return try PDFExtractor().extract(fileAt: path) }
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? NSNumber)?.intValue ?? 0
        guard size <= maximumTextBytes else {
            throw .unreadable("it is \(size) bytes, over the limit of \(maximumTextBytes) for \(contentType.rawValue)")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .unreadable("the spooled file could not be read")
        }
        return try extract(.data(data), contentType: contentType, charset: charset)
    }

    /// The link targets of a fetched page, for crawlers: an HTML page's `href`s, nothing for other formats.
    public func links(in data: Data, contentType: ContentType, charset: String? = nil) -> [String] {
        guard Self.contentType(of: data, declared: contentType) == .html else { return [] }
        return HTMLExtractor().links(in: data, declaredCharset: charset)
    }

    /// The format a document is read as: PDF when its bytes begin with a PDF signature, else the
    /// declared type; without one, PDF and HTML by their signatures, otherwise text.
    public static func contentType(of data: Data, declared: ContentType?) -> ContentType {
        let head = data.prefix(1024)
        let signature = Array("%PDF-".utf8)
        if head.starts(with: signature) { return .pdf }
        if let declared { return declared }
        // A PDF's header may follow a little junk (readers look in its first 1024 bytes).
        if Self.find(signature, in: Array(head)) { return .pdf }
        return sniffsAsHTML(head) ? .html : .plainText
    }

    private func isHeading(_ block: TextBlock) -> Bool {
        if case .heading = block.kind { return true }
        return false
    }

    private func read(_ content: SourceContent) throws(ExtractionError) -> Data {
        switch content {
        case .data(let data):
            guard data.count <= maximumTextBytes else { throw .unreadable("larger than \(maximumTextBytes) bytes") }
            return data
        case .stream:
            throw .unreadable("streamed content is extracted from its spooled file (extract(fileAt:))")
        }
    }

    private static func find(_ pattern: [UInt8], in bytes: [UInt8]) -> Bool {
        guard bytes.count >= pattern.count else { return false }
        return (0...(bytes.count - pattern.count)).contains { bytes[$0..<$0 + pattern.count].elementsEqual(pattern) }
    }

    /// Whether the first bytes open an HTML document: a doctype, `<html>`, `<head>` or `<body>`,
    /// after an optional byte order mark, whitespace and comments.
    private static func sniffsAsHTML(_ head: Data) -> Bool {
        var text: String
        if head.starts(with: [0xFF, 0xFE]) || head.starts(with: [0xFE, 0xFF]) {
            let encoding: String.Encoding = head.first == 0xFF ? .utf16LittleEndian : .utf16BigEndian
            text =
                String(data: head.dropFirst(2).prefix(head.count / 2 * 2 - 2), encoding: encoding)?.lowercased() ?? ""
        } else {
            text = String(decoding: head, as: UTF8.self).lowercased()
        }
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        while true {
            text = text.trimmingASCIIWhitespace()
            guard text.hasPrefix("<!--"), let end = text.range(of: "-->") else { break }
            text = String(text[end.upperBound...])
        }
        if text.hasPrefix("<?xml") { text = text.range(of: "?>").map { String(text[$0.upperBound...]) } ?? text }
        text = text.trimmingASCIIWhitespace()
        return ["<!doctype html", "<html", "<head", "<body"].contains { text.hasPrefix($0) }
    }
}
