public import Foundation
public import QuarryCore

/// Extracts the rows of a CSV file as table rows rendered with their column names
/// (`Project: Apollo; Budget: 1.2m; Owner: Dana`), so that a question about one row finds that row
/// and the answer cites it.
///
/// - The first record is the header: it names the columns (an empty name becomes `Column N`).
/// - RFC 4180 quoting, embedded line breaks, LF / CRLF / CR line ends (``CSVRecordParser``).
/// - The delimiter is sniffed among `,` `;` tab and `|` (``CSVDialect``); the character set is told
///   by a byte order mark (UTF-8, UTF-16), else UTF-8 if the first 64 KiB are valid UTF-8, else
///   windows-1252.
/// - Rows with fewer or more fields than the header are kept and reported in the warnings; extra
///   fields are named `Column N`. Rows whose fields are all empty are skipped.
/// - Streamed: ``extract(reading:preferTab:onRow:)`` reads the file a piece at a time and hands out
///   each row as it is parsed, so a file of any size is never held in memory.
public struct CSVExtractor: Sendable {
    /// The longest record accepted; a longer one almost always means a quote that is never closed.
    public var maximumRecordBytes: Int

    /// Creates the extractor.
    public init(maximumRecordBytes: Int = 1 << 20) {
        self.maximumRecordBytes = maximumRecordBytes
    }

    /// What a streamed extraction found besides its rows.
    public struct Summary: Sendable, Hashable {
        /// The column names, from the header.
        public var columns: [String]
        /// How many rows were handed out.
        public var rows: Int
        /// Problems that did not stop extraction (ragged rows, invalid bytes).
        public var warnings: [String]
    }

    /// Extracts a CSV file held in memory.
    ///
    /// - Parameters:
    ///   - data: the file's bytes.
    ///   - preferTab: prefer tab as the delimiter when it splits the file as well as another (`.tsv`).
    /// - Throws: ``ExtractionError/binary`` for data that is not text, ``ExtractionError/unreadable(_:)``
    ///   for a record longer than ``maximumRecordBytes``, ``ExtractionError/empty`` without data rows.
    public func extract(_ data: Data, preferTab: Bool = false) throws(ExtractionError) -> ExtractedDocument {
        var blocks: [TextBlock] = []
        var delivered = false
        let summary: Summary
        do {
            summary = try extract(
                reading: {
                    defer { delivered = true }
                    return delivered ? nil : data
                },
                preferTab: preferTab,
                onRow: { blocks.append($0) }
            )
        } catch let error as ExtractionError {
            throw error
        } catch {
            throw .unreadable(String(describing: error))
        }
        return ExtractedDocument(title: nil, blocks: blocks, warnings: summary.warnings)
    }

    /// Extracts a CSV file a piece at a time.
    ///
    /// - Parameters:
    ///   - read: returns the next piece of the file, or nil at its end.
    ///   - preferTab: prefer tab as the delimiter when it splits the file as well as another.
    ///   - onRow: called with each row, in order, as a ``TextBlock`` of kind `tableRow`.
    /// - Returns: the columns, the number of rows and the warnings.
    /// - Throws: ``ExtractionError`` as ``extract(_:preferTab:)`` does, and whatever `read` or `onRow` throw.
    public func extract(
        reading read: () throws -> Data?,
        preferTab: Bool = false,
        onRow: (TextBlock) throws -> Void
    ) throws -> Summary {
        // The first 64 KiB decide the character set and the delimiter.
        var sample: [UInt8] = []
        var exhausted = false
        while sample.count < 64 << 10 {
            guard let piece = try read() else {
                exhausted = true
                break
            }
            sample.append(contentsOf: piece)
        }
        let encoding = CSVDialect.sniffEncoding(
            in: Array(sample.prefix(64 << 10)),
            isComplete: exhausted && sample.count <= 64 << 10
        )
        var transcoder: UTF16Transcoder?
        var head = sample[...]
        switch encoding {
        case .utf8(let bom): head = sample.dropFirst(bom)
        case .utf16(let bigEndian):
            transcoder = UTF16Transcoder(bigEndian: bigEndian)
            head = transcoder!.transcode(sample.dropFirst(2))[...]
        case .windows1252: break
        }
        try Self.refuseBinary(head.prefix(8192))
        let delimiter = CSVDialect.sniffDelimiter(in: Array(head.prefix(64 << 10)), preferTab: preferTab)

        var rows = RowRenderer(isWindows1252: encoding == .windows1252)
        var parser = CSVRecordParser(delimiter: delimiter, maximumRecordBytes: maximumRecordBytes)
        let emit: ([[UInt8]], Int) throws -> Void = { fields, line in
            if let block = rows.render(fields, line: line) { try onRow(block) }
        }
        do {
            try parser.feed(head, emit)
            if !exhausted {
                while let piece = try read() {
                    if var active = transcoder {
                        let utf8 = active.transcode(piece)
                        transcoder = active
                        try parser.feed(utf8, emit)
                    } else {
                        try parser.feed(piece, emit)
                    }
                }
            }
            if var active = transcoder {
                try parser.feed(active.finish(), emit)
                rows.replacedBytes += active.replaced
            }
            if let line = try parser.finish(emit) {
                rows.warnings.append("the quoted field that starts on line \(line) is never closed")
            }
        } catch let tooLong as CSVRecordParser.RecordTooLong {
            throw ExtractionError.unreadable(
                "the record that starts on line \(tooLong.line) is longer than \(maximumRecordBytes) bytes"
                    + " (a quote that is never closed?)"
            )
        }
        if parser.strayQuotes > 0 {
            rows.warnings.append(
                "\(parser.strayQuotes) field(s) have text after their closing quote (first on line "
                    + "\(parser.firstStrayQuoteLine ?? 0)); it was kept"
            )
        }
        guard rows.count > 0 else { throw ExtractionError.empty }
        return Summary(columns: rows.columns, rows: rows.count, warnings: rows.summaryWarnings())
    }

    /// Refuses the first bytes of a file named `.csv` that hold NUL bytes or many control
    /// characters (more than 1 in 20): binary data, not text. A byte order mark is allowed, and
    /// UTF-16 (which has NUL bytes) is recognised by it.
    ///
    /// The sync engine calls this on a streamed file's first piece, before spooling the rest.
    public static func refuseBinary(head data: Data) throws(ExtractionError) {
        let sample = [UInt8](data.prefix(8192))
        if sample.starts(with: [0xFF, 0xFE]) || sample.starts(with: [0xFE, 0xFF]) { return }
        try refuseBinary(sample[...])
    }

    private static func refuseBinary(_ head: ArraySlice<UInt8>) throws(ExtractionError) {
        guard !head.isEmpty else { return }
        if head.contains(0) { throw .binary }
        let controls = head.filter { $0 < 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D }.count
        if controls * 20 > head.count { throw .binary }
    }
}

/// Turns records into rendered rows: the header names the columns, and irregular rows are counted.
private struct RowRenderer {
    let isWindows1252: Bool
    private(set) var columns: [String] = []
    private var hasHeader = false
    private(set) var count = 0
    var warnings: [String] = []
    var replacedBytes = 0
    private var short = (rows: 0, firstLine: 0)
    private var long = (rows: 0, firstLine: 0, widest: 0)

    init(isWindows1252: Bool) {
        self.isWindows1252 = isWindows1252
    }

    mutating func render(_ fields: [[UInt8]], line: Int) -> TextBlock? {
        var values: [String] = []
        values.reserveCapacity(fields.count)
        for field in fields { values.append(decode(field)) }
        guard hasHeader else {
            hasHeader = true
            columns = values.enumerated().map { index, name in name.isEmpty ? "Column \(index + 1)" : name }
            return nil
        }
        if values.count < columns.count {
            short.rows += 1
            if short.rows == 1 { short.firstLine = line }
        } else if values.count > columns.count {
            long.rows += 1
            if long.rows == 1 { long.firstLine = line }
            long.widest = max(long.widest, values.count)
        }
        var parts: [String] = []
        for (index, value) in values.enumerated() where !value.isEmpty {
            let name = index < columns.count ? columns[index] : "Column \(index + 1)"
            parts.append("\(name): \(value)")
        }
        guard !parts.isEmpty else { return nil }
        count += 1
        return TextBlock(.tableRow, parts.joined(separator: "; "))
    }

    private mutating func decode(_ bytes: [UInt8]) -> String {
        let text: String
        if isWindows1252 {
            text = CharsetDecoder.decodeWindows1252(bytes)
        } else if let valid = String(validating: bytes, as: UTF8.self) {
            text = valid
        } else {
            replacedBytes += 1
            text = String(decoding: bytes, as: UTF8.self)
        }
        // A value's own line breaks and padding do not belong in a one-line row; most values have
        // neither, and are kept as they are without looking at their characters.
        if Self.isOneTrimmedLine(bytes) { return text }
        return text.split(whereSeparator: { $0.isNewline }).map { $0.trimmingASCIIWhitespace() }
            .filter { !$0.isEmpty }.joined(separator: " ").trimmingASCIIWhitespace()
    }

    /// Whether a field's bytes hold no line break (ASCII, NEL, LS, PS) and no space or tab at either end.
    private static func isOneTrimmedLine(_ bytes: [UInt8]) -> Bool {
        guard let first = bytes.first, let last = bytes.last else { return true }
        if first == 0x20 || first == 0x09 || last == 0x20 || last == 0x09 { return false }
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if (0x0A...0x0D).contains(byte) { return false }
            if byte == 0xC2, index + 1 < bytes.count, bytes[index + 1] == 0x85 { return false }
            if byte == 0xE2, index + 2 < bytes.count, bytes[index + 1] == 0x80, bytes[index + 2] & 0xFE == 0xA8 {
                return false
            }
            index += 1
        }
        return true
    }

    func summaryWarnings() -> [String] {
        var result = warnings
        if short.rows > 0 {
            result.append(
                "\(short.rows) row(s) have fewer fields than the header's \(columns.count) (first on line "
                    + "\(short.firstLine)); the missing values are empty"
            )
        }
        if long.rows > 0 {
            result.append(
                "\(long.rows) row(s) have more fields than the header's \(columns.count), up to \(long.widest) "
                    + "(first on line \(long.firstLine)); the extra fields are named Column \(columns.count + 1) on"
            )
        }
        if replacedBytes > 0 {
            result.append("\(replacedBytes) field(s) held bytes that are not valid UTF-8; they were replaced")
        }
        return result
    }
}
