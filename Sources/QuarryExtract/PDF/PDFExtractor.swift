public import Foundation
public import QuarryCore

/// Extracts the text of a PDF with poppler: paragraphs and list items in reading order, each
/// carrying its 1-based page, headings from the outline, and a title.
///
/// Each page's text comes from `poppler_page_get_text` with the position of every character
/// (`poppler_page_get_text_layout`). The extractor then
/// - drops running headers and footers (lines at a page's top or bottom edge that repeat from page
///   to page, or carry the page number),
/// - inserts the outline's entries (bookmarks) as headings where they point; a PDF without an
///   outline has no headings,
/// - groups each page's lines into paragraphs and list items by gaps, indents and bullets, joins
///   hard-wrapped lines, and undoes end-of-line hyphenation judged by the document's own words.
///
/// The rules are spelled out in `docs/extraction-pdf.md`.
///
/// Blocks never run across a page break, so every passage cut from them can cite its page.
///
/// ```swift
/// let document = try PDFExtractor().extract(Data(contentsOf: url))
/// for block in document.blocks { print(block.page ?? 0, block.text) }
/// ```
///
/// poppler is a blocking C library: call this off the cooperative thread pool (for example in
/// `NIOThreadPool.singleton.runIfActive`). Each call opens its own document and uses it on the
/// calling thread only, so one extractor may be used from several threads at once.
public struct PDFExtractor: Sendable {
    /// How many pages without text are checked for images before calling a PDF scanned.
    private let imageCheckLimit = 50

    /// Creates the extractor.
    public init() {}

    /// Extracts the text and structure of a PDF held in memory (poppler reads it in place).
    ///
    /// - Parameter data: the PDF's bytes.
    /// - Returns: the blocks in reading order, each with its page; the title; warnings for pages
    ///   that have no text layer in an otherwise readable PDF.
    /// - Throws: ``ExtractionError/emptyPDF`` for zero bytes, ``ExtractionError/encryptedPDF`` when a
    ///   password is needed, ``ExtractionError/damagedPDF(_:)`` for truncated or corrupt files,
    ///   ``ExtractionError/pdfWithoutTextLayer`` when no page has text but pages have images, and
    ///   ``ExtractionError/empty`` when the PDF holds neither.
    public func extract(_ data: Data) throws(ExtractionError) -> ExtractedDocument {
        guard !data.isEmpty else { throw .emptyPDF }
        return try PopplerDocument.withDocument(data: data) { document throws(ExtractionError) in
            try extract(document)
        }
    }

    /// Extracts the text and structure of the PDF file at `path`, which poppler maps rather than
    /// reads whole: better for large files.
    ///
    /// - Parameter path: a file system path.
    /// - Throws: as ``extract(_:)``, and ``ExtractionError/unreadable(_:)`` when the file cannot be opened.
    public func extract(fileAt path: String) throws(ExtractionError) -> ExtractedDocument {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
            let size = attributes[.size] as? NSNumber
        else { throw .unreadable("the PDF could not be opened: no readable file at \(path)") }
        guard size.intValue > 0 else { throw .emptyPDF }
        return try PopplerDocument.withDocument(path: path) { document throws(ExtractionError) in
            try extract(document)
        }
    }

    private func extract(_ document: borrowing PopplerDocument) throws(ExtractionError) -> ExtractedDocument {
        let pageCount = document.pageCount
        var pages = (0..<pageCount).map { document.page(at: $0) }
        var warnings: [String] = []
        let textless = pages.indices.filter { !pages[$0].hasText }
        let scanned = textless.prefix(imageCheckLimit).filter { document.pageHasImages(at: $0) }
        guard textless.count < pageCount else {
            throw scanned.isEmpty ? .empty : .pdfWithoutTextLayer
        }
        if !scanned.isEmpty {
            let numbers = scanned.map { pages[$0].number }
            let list = numbers.map(String.init).joined(separator: ", ")
            let pagesText =
                switch numbers.count {
                case 1: "page \(list) has"
                case 2...10: "pages \(list) have"
                default: "\(numbers.count) pages have"
                }
            warnings.append("\(pagesText) no text layer (scanned pages need OCR)")
        }

        RunningHeaderFilter.removeHeadersAndFooters(from: &pages)
        let placement = PDFOutlinePlacement(entries: document.outline())
        let builder = PDFParagraphBuilder(dehyphenator: Dehyphenator(pages: pages))
        var blocks: [TextBlock] = []
        var firstBlock: PDFBlock?
        for page in pages where page.hasText || placement.hasEntries(for: page.number) {
            let pageBlocks = builder.blocks(for: placement.items(for: page), pageWidth: page.width)
            if firstBlock == nil, page.hasText {
                firstBlock = pageBlocks.first
            }
            for block in pageBlocks {
                blocks.append(TextBlock(block.kind.textBlockKind, block.text, page: page.number))
            }
        }
        guard blocks.contains(where: { $0.kind == .paragraph || $0.kind == .listItem }) else { throw .empty }
        let title = PDFTitle.meaningful(document.metadataTitle) ?? PDFTitle.fromFirstBlock(firstBlock)
        return ExtractedDocument(title: title, blocks: blocks, warnings: warnings)
    }
}

extension PDFBlockKind {
    fileprivate var textBlockKind: TextBlock.Kind {
        switch self {
        case .heading(let level): .heading(level: level)
        case .paragraph: .paragraph
        case .listItem: .listItem
        }
    }
}
