import Foundation
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
    ///   - contentType: the type the connector reported, if any.
    /// - Throws: ``ExtractionError`` when the content is unsupported, binary, empty or unreadable.
    public func extract(
        _ content: SourceContent,
        contentType: ContentType?
    ) throws(ExtractionError) -> ExtractedDocument {
        let data = try read(content)
        let type = contentType ?? sniff(data)
        let document: ExtractedDocument
        switch type {
        case .markdown:
            document = MarkdownExtractor().extract(try TextDecoder.decode(data))
        case .plainText:
            document = PlainTextExtractor().extract(try TextDecoder.decode(data))
        case .html, .pdf, .csv:
            throw .unsupported(type.rawValue)
        }
        guard document.blocks.contains(where: { !$0.text.isEmpty && !isHeading($0) }) else {
            throw .empty
        }
        return document
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
        }
    }

    /// Guesses a type from the first bytes: PDF and HTML by their signatures, otherwise text.
    private func sniff(_ data: Data) -> ContentType {
        let head = data.prefix(512)
        if head.starts(with: Array("%PDF-".utf8)) { return .pdf }
        let text = String(decoding: head, as: UTF8.self).trimmingASCIIWhitespace().lowercased()
        if text.hasPrefix("<!doctype html") || text.hasPrefix("<html") { return .html }
        return .plainText
    }
}
