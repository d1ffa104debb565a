import Foundation

/// Decides the character set of an HTML document the way browsers do (WHATWG HTML, "determining the
/// character encoding"), and decodes it.
///
/// In order: a byte order mark; the charset the transport declared (HTTP `Content-Type`, S3
/// metadata); a `<meta charset>` or `<meta http-equiv="Content-Type">` (or an XML declaration) in
/// the first 1024 bytes; otherwise sniffed: UTF-8 when the bytes are valid UTF-8, else windows-1252.
enum HTMLCharset {
    /// Where the character set came from, for warnings and tests.
    enum Source: Equatable, Sendable {
        case byteOrderMark, transport, meta, sniffed
    }

    /// The decoded text, the character set used and where it came from, and problems found.
    struct Decoded {
        var text: String
        var charset: String
        var source: Source
        var warnings: [String]
    }

    /// Decodes `bytes`, honouring `declared` (the transport's charset) when it names a known one.
    static func decode(_ bytes: [UInt8], declared: String?) -> Decoded {
        var warnings: [String] = []
        var body = bytes[...]
        let decoder: CharsetDecoder
        let source: Source
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
            body = bytes.dropFirst(3)
            (decoder, source) = (.utf8, .byteOrderMark)
        } else if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
            body = bytes.dropFirst(2)
            (decoder, source) = (CharsetDecoder(label: bytes[0] == 0xFF ? "utf-16le" : "utf-16be")!, .byteOrderMark)
        } else if let declared, let known = CharsetDecoder(label: declared) {
            (decoder, source) = (known, .transport)
        } else if let label = metaCharset(in: bytes.prefix(1024)) {
            if let known = CharsetDecoder(label: label) {
                (decoder, source) = (known, .meta)
            } else {
                warnings.append("the page declares an unknown character set \"\(label.prefix(40))\"")
                (decoder, source) = (sniff(bytes), .sniffed)
            }
        } else {
            if let declared {
                warnings.append("the server declared an unknown character set \"\(declared.prefix(40))\"")
            }
            (decoder, source) = (sniff(bytes), .sniffed)
        }
        let (text, replaced) = decoder.decode(body)
        if replaced > 0 {
            warnings.append("\(replaced) byte sequence(s) are not valid \(decoder.name) and were replaced")
        }
        return Decoded(text: text, charset: decoder.name, source: source, warnings: warnings)
    }

    private static func sniff(_ bytes: [UInt8]) -> CharsetDecoder {
        String(validating: bytes, as: UTF8.self) != nil ? .utf8 : .windows1252
    }

    // MARK: - The prescan

    /// The label of a `<meta>` charset declaration or an XML declaration's `encoding` among `head`'s
    /// bytes, as WHATWG's prescan finds it (comments skipped, attributes parsed with their quotes).
    ///
    /// A declaration of UTF-16 is read as UTF-8, as browsers do: a page whose declaration can be read
    /// as ASCII is not UTF-16.
    static func metaCharset(in head: some Collection<UInt8>) -> String? {
        let bytes = Array(head)
        var index = 0
        if let encoding = xmlDeclarationEncoding(bytes) { return normalise(encoding) }
        while index < bytes.count {
            if matches(bytes, at: index, "<!--") {
                index = find(bytes, "-->", from: index + 4).map { $0 + 3 } ?? bytes.count
            } else if matches(bytes, at: index, "<meta"), index + 5 < bytes.count,
                isSpaceOrSlash(bytes[index + 5])
            {
                index += 5
                var attributes: [String: String] = [:]
                while let (name, value, next) = attribute(bytes, from: index) {
                    index = next
                    if attributes[name] == nil { attributes[name] = value }
                }
                if let charset = attributes["charset"], !charset.isEmpty { return normalise(charset) }
                if attributes["http-equiv"]?.lowercased() == "content-type", let content = attributes["content"],
                    let charset = charsetParameter(content)
                {
                    return normalise(charset)
                }
            } else if bytes[index] == UInt8(ascii: "<"), index + 1 < bytes.count,
                isLetter(bytes[index + 1]) || bytes[index + 1] == UInt8(ascii: "/")
            {
                // Another tag: skip its attributes so that a quoted ">" does not end it early.
                index += 2
                while index < bytes.count, !isSpaceOrSlash(bytes[index]), bytes[index] != UInt8(ascii: ">") {
                    index += 1
                }
                while let (_, _, next) = attribute(bytes, from: index) { index = next }
            } else {
                index += 1
            }
        }
        return nil
    }

    /// The `charset=` parameter of a `Content-Type` value, unquoted.
    static func charsetParameter(_ contentType: String) -> String? {
        let lower = contentType.lowercased()
        guard let range = lower.range(of: "charset") else { return nil }
        var rest = lower[range.upperBound...].drop { $0 == " " || $0 == "\t" }
        guard rest.first == "=" else { return nil }
        rest = rest.dropFirst().drop { $0 == " " || $0 == "\t" }
        if let quote = rest.first, quote == "\"" || quote == "'" {
            let value = rest.dropFirst().prefix { $0 != quote }
            return value.isEmpty ? nil : String(value)
        }
        let value = rest.prefix { !";, \t".contains($0) }
        return value.isEmpty ? nil : String(value)
    }

    private static func normalise(_ label: String) -> String {
        let lower = label.trimmingCharacters(in: .whitespaces).lowercased()
        return lower.hasPrefix("utf-16") ? "utf-8" : lower
    }

    private static func xmlDeclarationEncoding(_ bytes: [UInt8]) -> String? {
        guard matches(bytes, at: 0, "<?xml"), let end = find(bytes, "?>", from: 5) else { return nil }
        let declaration = String(decoding: bytes[5..<end], as: UTF8.self)
        guard let range = declaration.range(of: "encoding") else { return nil }
        let rest = declaration[range.upperBound...].drop { $0 == " " || $0 == "=" }
        guard let quote = rest.first, quote == "\"" || quote == "'" else { return nil }
        let value = rest.dropFirst().prefix { $0 != quote }
        return value.isEmpty ? nil : String(value)
    }

    /// One attribute from `index`: its lowercased name, its value and where parsing stopped; nil at
    /// the end of the tag.
    private static func attribute(_ bytes: [UInt8], from start: Int) -> (String, String, Int)? {
        var index = start
        while index < bytes.count, isSpaceOrSlash(bytes[index]) { index += 1 }
        guard index < bytes.count, bytes[index] != UInt8(ascii: ">") else { return nil }
        var name: [UInt8] = []
        while index < bytes.count, !isSpaceOrSlash(bytes[index]), bytes[index] != UInt8(ascii: ">"),
            bytes[index] != UInt8(ascii: "=") || name.isEmpty
        {
            name.append(lowercased(bytes[index]))
            index += 1
        }
        while index < bytes.count, isSpace(bytes[index]) { index += 1 }
        guard index < bytes.count, bytes[index] == UInt8(ascii: "=") else {
            return (String(decoding: name, as: UTF8.self), "", index)
        }
        index += 1
        while index < bytes.count, isSpace(bytes[index]) { index += 1 }
        var value: [UInt8] = []
        if index < bytes.count, bytes[index] == UInt8(ascii: "\"") || bytes[index] == UInt8(ascii: "'") {
            let quote = bytes[index]
            index += 1
            while index < bytes.count, bytes[index] != quote {
                value.append(bytes[index])
                index += 1
            }
            index += 1
        } else {
            while index < bytes.count, !isSpace(bytes[index]), bytes[index] != UInt8(ascii: ">") {
                value.append(bytes[index])
                index += 1
            }
        }
        return (String(decoding: name, as: UTF8.self), String(decoding: value, as: UTF8.self), min(index, bytes.count))
    }

    private static func matches(_ bytes: [UInt8], at index: Int, _ literal: String) -> Bool {
        let pattern = Array(literal.utf8)
        guard index + pattern.count <= bytes.count else { return false }
        for offset in pattern.indices where lowercased(bytes[index + offset]) != pattern[offset] { return false }
        return true
    }

    private static func find(_ bytes: [UInt8], _ literal: String, from start: Int) -> Int? {
        var index = start
        while index < bytes.count {
            if matches(bytes, at: index, literal) { return index }
            index += 1
        }
        return nil
    }

    private static func lowercased(_ byte: UInt8) -> UInt8 {
        (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte) ? byte + 32 : byte
    }

    private static func isLetter(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(lowercased(byte))
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0C || byte == 0x0D
    }

    private static func isSpaceOrSlash(_ byte: UInt8) -> Bool {
        isSpace(byte) || byte == UInt8(ascii: "/")
    }
}
