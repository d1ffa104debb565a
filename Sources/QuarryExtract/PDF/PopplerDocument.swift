import CPopplerGLib
import Foundation

/// An open poppler document, alive only inside ``withDocument(data:_:)`` or ``withDocument(path:_:)``.
///
/// poppler is not thread-safe per document: a `PopplerDocument` is non-copyable and only lent to the
/// closure, so it cannot escape to another thread, and it is released (with the bytes it reads)
/// before the call returns. Every GObject, `GError`, string and array poppler hands out is freed here.
struct PopplerDocument: ~Copyable {
    private let handle: OpaquePointer

    private init(handle: OpaquePointer) {
        self.handle = handle
    }

    deinit {
        g_object_unref(UnsafeMutableRawPointer(handle))
    }

    /// Opens `data` without copying it and runs `body` with the document.
    static func withDocument<Result>(
        data: Data,
        _ body: (borrowing PopplerDocument) throws(ExtractionError) -> Result
    ) throws(ExtractionError) -> Result {
        let outcome: Swift.Result<Result, ExtractionError> = data.withUnsafeBytes { raw in
            guard let base = raw.baseAddress, raw.count > 0 else { return .failure(.emptyPDF) }
            // The bytes stay valid for the whole closure, and the document (which holds the only
            // other reference to them) is released before it ends.
            guard let bytes = g_bytes_new_static(base, gsize(raw.count)) else {
                return .failure(.unreadable("could not wrap the PDF's bytes"))
            }
            defer { g_bytes_unref(bytes) }
            var error: UnsafeMutablePointer<GError>?
            guard let handle = poppler_document_new_from_bytes(bytes, nil, &error) else {
                return .failure(openingError(error))
            }
            let document = PopplerDocument(handle: handle)
            do throws(ExtractionError) {
                return .success(try body(document))
            } catch {
                return .failure(error)
            }
        }
        return try outcome.get()
    }

    /// Opens the file at `path` (poppler maps it rather than reading it whole) and runs `body` with the document.
    static func withDocument<Result>(
        path: String,
        _ body: (borrowing PopplerDocument) throws(ExtractionError) -> Result
    ) throws(ExtractionError) -> Result {
        var error: UnsafeMutablePointer<GError>?
        // A file URI needs an absolute path.
        let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
        guard let uri = g_filename_to_uri(absolute, nil, &error) else {
            defer { if let error { g_error_free(error) } }
            return try failOpening("not a usable file path")
        }
        defer { g_free(uri) }
        guard let handle = poppler_document_new_from_file(uri, nil, &error) else {
            throw openingError(error)
        }
        let document = PopplerDocument(handle: handle)
        return try body(document)
    }

    private static func failOpening<Result>(_ reason: String) throws(ExtractionError) -> Result {
        throw .unreadable("the PDF could not be opened: \(reason)")
    }

    /// Turns poppler's `GError` into an ``ExtractionError`` and frees it.
    private static func openingError(_ error: UnsafeMutablePointer<GError>?) -> ExtractionError {
        guard let error else { return .damagedPDF("poppler could not open it and gave no reason") }
        defer { g_error_free(error) }
        let message = error.pointee.message.map { String(cString: $0) } ?? "no reason given"
        if error.pointee.domain == g_file_error_quark() {  // the file could not be opened or read
            return .unreadable("the PDF could not be opened: \(message)")
        }
        guard error.pointee.domain == poppler_error_quark() else { return .damagedPDF(message) }
        switch UInt32(bitPattern: error.pointee.code) {
        case POPPLER_ERROR_ENCRYPTED.rawValue: return .encryptedPDF
        case POPPLER_ERROR_OPEN_FILE.rawValue: return .unreadable("the PDF could not be opened: \(message)")
        default: return .damagedPDF(message)
        }
    }

    /// The number of pages.
    var pageCount: Int {
        Int(poppler_document_get_n_pages(handle))
    }

    /// The title in the document's metadata, if any.
    var metadataTitle: String? {
        guard let title = poppler_document_get_title(handle) else { return nil }
        defer { g_free(title) }
        return String(cString: title)
    }

    /// The text of the page at `index` (from 0), with the position of every line.
    func page(at index: Int) -> PDFPage {
        let number = index + 1
        guard let page = poppler_document_get_page(handle, Int32(index)) else {
            return PDFPage(number: number, width: 0, height: 0, lines: [])
        }
        defer { g_object_unref(UnsafeMutableRawPointer(page)) }
        var width = 0.0
        var height = 0.0
        poppler_page_get_size(page, &width, &height)
        guard let text = poppler_page_get_text(page) else {
            return PDFPage(number: number, width: width, height: height, lines: [])
        }
        defer { g_free(text) }
        var rectangles: UnsafeMutablePointer<PopplerRectangle>?
        var count: guint = 0
        let hasLayout = poppler_page_get_text_layout(page, &rectangles, &count) != 0
        defer { g_free(rectangles) }
        let string = String(cString: text)
        let layout =
            hasLayout && rectangles != nil
            ? UnsafeBufferPointer(start: rectangles, count: Int(count)) : UnsafeBufferPointer(start: nil, count: 0)
        let lines = PDFLineReader.lines(of: string, layout: layout)
        return PDFPage(number: number, width: width, height: height, lines: lines)
    }

    /// Whether the page at `index` (from 0) draws any image: a page without text that does is a scan.
    func pageHasImages(at index: Int) -> Bool {
        guard let page = poppler_document_get_page(handle, Int32(index)) else { return false }
        defer { g_object_unref(UnsafeMutableRawPointer(page)) }
        guard let mapping = poppler_page_get_image_mapping(page) else { return false }
        poppler_page_free_image_mapping(mapping)
        return true
    }

    /// The document's outline (bookmarks), in order, with at most `limit` entries and `maximumDepth` levels.
    func outline(limit: Int = 10_000, maximumDepth: Int = 16) -> [PDFOutlineEntry] {
        guard let iterator = poppler_index_iter_new(handle) else { return [] }
        defer { poppler_index_iter_free(iterator) }
        var entries: [PDFOutlineEntry] = []
        readOutline(iterator, level: 1, maximumDepth: maximumDepth, limit: limit, into: &entries)
        return entries
    }

    private func readOutline(
        _ iterator: OpaquePointer,
        level: Int,
        maximumDepth: Int,
        limit: Int,
        into entries: inout [PDFOutlineEntry]
    ) {
        repeat {
            guard entries.count < limit else { return }
            if let action = poppler_index_iter_get_action(iterator) {
                if let entry = outlineEntry(action, level: level) { entries.append(entry) }
                poppler_action_free(action)
            }
            if level < maximumDepth, let child = poppler_index_iter_get_child(iterator) {
                readOutline(child, level: level + 1, maximumDepth: maximumDepth, limit: limit, into: &entries)
                poppler_index_iter_free(child)
            }
        } while poppler_index_iter_next(iterator) != 0
    }

    private func outlineEntry(_ action: UnsafeMutablePointer<PopplerAction>, level: Int) -> PDFOutlineEntry? {
        guard action.pointee.type == POPPLER_ACTION_GOTO_DEST, let title = action.pointee.any.title,
            let destination = action.pointee.goto_dest.dest
        else { return nil }
        let text = String(cString: title)
        if destination.pointee.type == POPPLER_DEST_NAMED {
            guard let name = destination.pointee.named_dest,
                let resolved = poppler_document_find_dest(handle, name)
            else { return nil }
            defer { poppler_dest_free(resolved) }
            return PDFOutlineEntry(title: text, level: level, destination: resolved.pointee)
        }
        return PDFOutlineEntry(title: text, level: level, destination: destination.pointee)
    }
}

extension PDFOutlineEntry {
    fileprivate init?(title: String, level: Int, destination: PopplerDest) {
        guard destination.page_num >= 1 else { return nil }
        self.init(
            title: title,
            level: level,
            page: Int(destination.page_num),
            top: destination.change_top != 0 ? destination.top : nil
        )
    }
}
