/// Splits CSV bytes into records and fields as RFC 4180 describes, fed a piece at a time.
///
/// Fields may be quoted with `"`; inside quotes, `""` is a quote and delimiters and line breaks are
/// text. Records end at LF, CRLF or a lone CR. Departures from the RFC are read the way spreadsheets
/// read them and counted: a quote inside an unquoted field is text, and text after a closing quote
/// is appended to the field. Blank lines are not records.
///
/// The parser works on bytes, so it reads UTF-8 and every ASCII-compatible single-byte character
/// set alike; fields are returned as bytes for the caller to decode.
struct CSVRecordParser {
    /// A record too long to be real data, most likely a quote that is never closed.
    struct RecordTooLong: Error {
        let line: Int
    }

    let delimiter: UInt8
    /// The longest record accepted, in bytes.
    let maximumRecordBytes: Int

    private enum State {
        case fieldStart, unquoted, quoted, quoteInQuoted, afterCR
    }

    private var state = State.fieldStart
    private var field: [UInt8] = []
    private var fields: [[UInt8]] = []
    private var recordBytes = 0
    private var line = 1
    private var recordLine = 1
    /// Whether the current field was quoted, to tell an empty line from an empty quoted field.
    private var fieldWasQuoted = false

    /// How many fields had text after their closing quote.
    private(set) var strayQuotes = 0
    /// The line of the first such field.
    private(set) var firstStrayQuoteLine: Int?

    init(delimiter: UInt8, maximumRecordBytes: Int = 1 << 20) {
        self.delimiter = delimiter
        self.maximumRecordBytes = maximumRecordBytes
    }

    /// Parses `bytes`, calling `emit` with each complete record and the line it starts on.
    mutating func feed(
        _ bytes: some Sequence<UInt8>,
        _ emit: (_ fields: [[UInt8]], _ line: Int) throws -> Void
    ) throws {
        for byte in bytes {
            try consume(byte, emit)
        }
    }

    /// Ends the input, emitting the last record if the input did not end with a line break.
    ///
    /// - Returns: the line a still-open quoted field started on, or nil if every quote was closed.
    mutating func finish(_ emit: (_ fields: [[UInt8]], _ line: Int) throws -> Void) throws -> Int? {
        let unclosed = state == .quoted ? recordLine : nil
        if state != .fieldStart || !fields.isEmpty || fieldWasQuoted {
            if state != .afterCR { try endRecord(emit) }
        }
        state = .fieldStart
        return unclosed
    }

    private mutating func consume(_ byte: UInt8, _ emit: (_ fields: [[UInt8]], _ line: Int) throws -> Void) throws {
        recordBytes += 1
        if recordBytes > maximumRecordBytes { throw RecordTooLong(line: recordLine) }
        switch state {
        case .afterCR:
            state = .fieldStart
            if byte == 0x0A {  // the LF of a CRLF
                recordBytes = 0
                return
            }
            recordBytes = 1
            try consume(fieldStart: byte, emit)
        case .fieldStart:
            try consume(fieldStart: byte, emit)
        case .unquoted:
            try consume(unquoted: byte, emit)
        case .quoted:
            if byte == 0x22 {
                state = .quoteInQuoted
            } else {
                if byte == 0x0A { line += 1 }
                field.append(byte)
            }
        case .quoteInQuoted:
            if byte == 0x22 {
                field.append(0x22)
                state = .quoted
            } else if byte == delimiter || byte == 0x0A || byte == 0x0D {
                try consume(unquoted: byte, emit)
            } else {
                strayQuotes += 1
                if firstStrayQuoteLine == nil { firstStrayQuoteLine = line }
                field.append(byte)
                state = .unquoted
            }
        }
    }

    private mutating func consume(
        fieldStart byte: UInt8,
        _ emit: (_ fields: [[UInt8]], _ line: Int) throws -> Void
    )
        throws
    {
        if byte == 0x22 {
            state = .quoted
            fieldWasQuoted = true
        } else {
            try consume(unquoted: byte, emit)
        }
    }

    private mutating func consume(
        unquoted byte: UInt8,
        _ emit: (_ fields: [[UInt8]], _ line: Int) throws -> Void
    )
        throws
    {
        switch byte {
        case delimiter:
            endField()
            state = .fieldStart
        case 0x0A:
            try endRecord(emit)
            line += 1
            state = .fieldStart
        case 0x0D:
            try endRecord(emit)
            line += 1
            state = .afterCR
        default:
            field.append(byte)
            state = .unquoted
        }
    }

    private mutating func endField() {
        fields.append(field)
        field.removeAll(keepingCapacity: true)
        fieldWasQuoted = false
    }

    private mutating func endRecord(_ emit: (_ fields: [[UInt8]], _ line: Int) throws -> Void) throws {
        let isBlankLine = fields.isEmpty && field.isEmpty && !fieldWasQuoted
        endField()
        if !isBlankLine { try emit(fields, recordLine) }
        fields.removeAll(keepingCapacity: true)
        recordBytes = 0
        recordLine = line + 1
    }
}
