/// A quick pass over an HTML page's bytes that refuses tags no real page has and that would stall
/// libxml2: its HTML parser (2.9) checks each new attribute against every earlier one of the tag,
/// so a tag of 40,000 attributes (350 KB) takes ten seconds, and a 16 MiB one hours.
enum HTMLTagScan {
    /// More attributes on one tag than this and the page is refused.
    static let maximumAttributes = 1_000

    /// Throws when a tag has more than ``maximumAttributes`` attributes.
    ///
    /// Attributes are counted as the whitespace-separated names inside `<` … `>` (quoted values
    /// skipped, so a quoted `>` does not end the tag); comments are skipped. It over-counts rather
    /// than under-counts, which is safe: only absurd counts matter.
    static func refuseHostileTags(in bytes: [UInt8]) throws(ExtractionError) {
        var index = 0
        let count = bytes.count
        while index < count {
            guard bytes[index] == UInt8(ascii: "<") else {
                index += 1
                continue
            }
            if index + 3 < count, bytes[index + 1] == UInt8(ascii: "!"), bytes[index + 2] == UInt8(ascii: "-"),
                bytes[index + 3] == UInt8(ascii: "-")
            {
                index = endOfComment(bytes, from: index + 4)
                continue
            }
            index += 1
            guard index < count, isLetter(bytes[index]) else { continue }
            var nameEnd = index
            while nameEnd < count, isLetter(bytes[nameEnd]) || (0x30...0x39).contains(bytes[nameEnd]) { nameEnd += 1 }
            let name = String(decoding: bytes[index..<nameEnd].map { $0 | 0x20 }, as: UTF8.self)
            var attributes = 0
            var quote: UInt8?
            var afterSpace = false
            while index < count {
                let byte = bytes[index]
                index += 1
                if let open = quote {
                    if byte == open { quote = nil }
                    continue
                }
                if byte == UInt8(ascii: ">") { break }
                if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "'") {
                    quote = byte
                    afterSpace = false
                } else if isSpace(byte) || byte == UInt8(ascii: "/") {
                    afterSpace = true
                } else if afterSpace {
                    afterSpace = false
                    if byte != UInt8(ascii: "=") {
                        attributes += 1
                        if attributes > maximumAttributes {
                            throw .unreadable(
                                "a tag has more than \(maximumAttributes) attributes (hostile or broken HTML)"
                            )
                        }
                    }
                }
            }
            // Script and style content is not markup: skip to the element's end tag.
            if name == "script" || name == "style" {
                index = endOfRawText(bytes, name: Array(("</" + name).utf8), from: index)
            }
        }
    }

    private static func endOfRawText(_ bytes: [UInt8], name: [UInt8], from start: Int) -> Int {
        var index = start
        while index + name.count <= bytes.count {
            if bytes[index] == UInt8(ascii: "<"),
                zip(bytes[index..<index + name.count], name).allSatisfy({ $0 | 0x20 == $1 | 0x20 })
            {
                return index
            }
            index += 1
        }
        return bytes.count
    }

    private static func endOfComment(_ bytes: [UInt8], from start: Int) -> Int {
        var index = start
        while index + 2 < bytes.count {
            if bytes[index] == UInt8(ascii: "-"), bytes[index + 1] == UInt8(ascii: "-"),
                bytes[index + 2] == UInt8(ascii: ">")
            {
                return index + 3
            }
            index += 1
        }
        return bytes.count
    }

    private static func isLetter(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte | 0x20)
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0C || byte == 0x0D
    }
}
