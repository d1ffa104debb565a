/// How a CSV file is written: its character set and its delimiter, guessed from its first bytes.
struct CSVDialect: Equatable {
    /// How the bytes are turned into text.
    enum Encoding: Equatable {
        /// UTF-8; `bom` tells how many leading bytes to skip.
        case utf8(bom: Int)
        /// UTF-16 with a byte order mark; transcoded to UTF-8 before parsing.
        case utf16(bigEndian: Bool)
        /// windows-1252, the character set of spreadsheets saved on Western Windows systems.
        case windows1252
    }

    var encoding: Encoding
    var delimiter: UInt8

    /// The delimiters tried, in order of preference when they score alike.
    static let candidates: [UInt8] = [UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: "\t"), UInt8(ascii: "|")]

    /// Guesses the dialect from the first bytes of a file (up to 64 KiB; more is not needed).
    ///
    /// The delimiter is the candidate that splits the first records into the same number of
    /// fields, two or more, most often; ties go to the one that makes more fields, then to the
    /// order of ``candidates`` (with tab first when `preferTab`, for `.tsv` files).
    ///
    /// - Parameter sample: the first bytes, already transcoded to UTF-8 for UTF-16 files.
    static func sniffDelimiter(in sample: [UInt8], preferTab: Bool = false) -> UInt8 {
        // Only whole lines count: the sample may end in the middle of a record.
        var end = sample.count
        if let lastBreak = sample.lastIndex(where: { $0 == 0x0A || $0 == 0x0D }), lastBreak > 0 {
            end = lastBreak + 1
        }
        let lines = sample[..<end]
        var best: (delimiter: UInt8, consistent: Int, width: Int)?
        let order = preferTab ? [UInt8(ascii: "\t")] + candidates.filter { $0 != UInt8(ascii: "\t") } : candidates
        for delimiter in order {
            var parser = CSVRecordParser(delimiter: delimiter, maximumRecordBytes: Int.max)
            var widths: [Int] = []
            do {
                try parser.feed(lines) { fields, _ in
                    if widths.count < 50 { widths.append(fields.count) }
                }
                _ = try parser.finish { fields, _ in
                    if widths.count < 50 { widths.append(fields.count) }
                }
            } catch {
                continue
            }
            var counts: [Int: Int] = [:]
            for width in widths { counts[width, default: 0] += 1 }
            guard let (width, consistent) = counts.max(by: { ($0.value, $0.key) < ($1.value, $1.key) }), width >= 2
            else { continue }
            if best == nil || (consistent, width) > (best!.consistent, best!.width) {
                best = (delimiter, consistent, width)
            }
        }
        return best?.delimiter ?? (preferTab ? UInt8(ascii: "\t") : UInt8(ascii: ","))
    }

    /// The encoding told by a byte order mark, or by whether the sample is valid UTF-8.
    static func sniffEncoding(in sample: [UInt8], isComplete: Bool) -> Encoding {
        if sample.starts(with: [0xEF, 0xBB, 0xBF]) { return .utf8(bom: 3) }
        if sample.starts(with: [0xFF, 0xFE]) { return .utf16(bigEndian: false) }
        if sample.starts(with: [0xFE, 0xFF]) { return .utf16(bigEndian: true) }
        var bytes = sample[...]
        if !isComplete {
            // The sample may cut a multi-byte character in two: drop its unfinished end.
            var cut = bytes.endIndex
            while cut > bytes.startIndex, bytes.endIndex - cut < 3, bytes[cut - 1] & 0xC0 == 0x80 { cut -= 1 }
            if cut > bytes.startIndex, bytes[cut - 1] >= 0xC0 { bytes = bytes[..<(cut - 1)] }
        }
        return String(validating: bytes, as: UTF8.self) != nil ? .utf8(bom: 0) : .windows1252
    }
}
