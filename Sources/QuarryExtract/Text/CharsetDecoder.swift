import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Decodes bytes in a named character set into a `String`, never failing on bad bytes.
///
/// Labels are read as the WHATWG Encoding Standard reads them (`latin1` and `ascii` mean
/// windows-1252, `shift_jis` means windows-31J, …). UTF-8 and windows-1252 are decoded here; every
/// other character set goes through the C library's `iconv`. A byte sequence that is not valid in
/// the character set becomes U+FFFD and is counted, so that the caller can warn about it.
struct CharsetDecoder: Sendable {
    /// The character set, by its canonical name (`utf-8`, `windows-1252`, or an `iconv` name).
    let name: String

    /// The decoder for a label, or nil when neither the WHATWG table nor `iconv` knows it.
    init?(label: String) {
        let label = label.trimmingCharacters(in: .whitespacesAndNewlines).lowercased()
        guard !label.isEmpty else { return nil }
        let name = Self.aliases[label] ?? label
        guard name == "utf-8" || name == "windows-1252" || Self.iconvKnows(name) else { return nil }
        self.name = name
    }

    private init(canonical: String) {
        name = canonical
    }

    static let utf8 = CharsetDecoder(canonical: "utf-8")
    static let windows1252 = CharsetDecoder(canonical: "windows-1252")

    /// The decoded text and the number of invalid sequences that were replaced by U+FFFD.
    func decode(_ bytes: some Collection<UInt8>) -> (text: String, replaced: Int) {
        switch name {
        case "utf-8": Self.decodeUTF8(Array(bytes))
        case "windows-1252": (Self.decodeWindows1252(bytes), 0)
        default: Self.decodeWithIconv(Array(bytes), from: name)
        }
    }

    // MARK: - UTF-8 and windows-1252

    private static func decodeUTF8(_ bytes: [UInt8]) -> (text: String, replaced: Int) {
        if let text = String(validating: bytes, as: UTF8.self) { return (text, 0) }
        var replaced = 0
        var scalars = String.UnicodeScalarView()
        var decoder = UTF8()
        var iterator = bytes.makeIterator()
        decoding: while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar): scalars.append(scalar)
            case .error:
                replaced += 1
                scalars.append("\u{FFFD}")
            case .emptyInput: break decoding
            }
        }
        return (String(scalars), replaced)
    }

    /// windows-1252's characters for the bytes 0x80–0x9F; the other bytes are their Latin-1 code points.
    private static let windows1252High: [UInt32] = [
        0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152,
        0x008D, 0x017D, 0x008F, 0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122,
        0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
    ]

    static func decodeWindows1252(_ bytes: some Collection<UInt8>) -> String {
        var scalars = String.UnicodeScalarView()
        scalars.reserveCapacity(bytes.count)
        for byte in bytes {
            let value = (0x80...0x9F).contains(byte) ? windows1252High[Int(byte) - 0x80] : UInt32(byte)
            scalars.append(Unicode.Scalar(value)!)
        }
        return String(scalars)
    }

    // MARK: - iconv

    private static func iconvKnows(_ name: String) -> Bool {
        let handle = iconv_open("UTF-8", name)
        guard handle != iconv_t(bitPattern: -1) else { return false }
        iconv_close(handle)
        return true
    }

    /// Converts with iconv, skipping one byte (and writing U+FFFD) wherever the input is invalid.
    private static func decodeWithIconv(_ bytes: [UInt8], from name: String) -> (text: String, replaced: Int) {
        let handle = iconv_open("UTF-8", name)
        guard handle != iconv_t(bitPattern: -1) else { return (decodeWindows1252(bytes), 0) }
        defer { iconv_close(handle) }
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count * 2)
        var replaced = 0
        var buffer = [UInt8](repeating: 0, count: 64 << 10)
        var input = bytes
        input.withUnsafeMutableBufferPointer { source in
            var inPointer = UnsafeMutableRawPointer(source.baseAddress).map { $0.assumingMemoryBound(to: CChar.self) }
            var inLeft = source.count
            while inLeft > 0 {
                let (status, code, produced) = buffer.withUnsafeMutableBufferPointer { target in
                    var outPointer: UnsafeMutablePointer<CChar>? = UnsafeMutableRawPointer(target.baseAddress!)
                        .assumingMemoryBound(to: CChar.self)
                    var outLeft = target.count
                    let status = iconv(handle, &inPointer, &inLeft, &outPointer, &outLeft)
                    return (status, errno, target.count - outLeft)
                }
                output.append(contentsOf: buffer[0..<produced])
                guard status == -1 else { continue }
                switch code {
                case E2BIG: continue  // output buffer full: go round again
                default:  // EILSEQ, or EINVAL for an incomplete sequence at the end
                    replaced += 1
                    output.append(contentsOf: [0xEF, 0xBF, 0xBD])
                    inPointer = inPointer.map { $0 + 1 }
                    inLeft -= 1
                    _ = iconv(handle, nil, nil, nil, nil)  // reset shift state
                }
            }
        }
        return (String(decoding: output, as: UTF8.self), replaced)
    }

    // MARK: - Labels

    /// WHATWG labels that do not name their encoding the way iconv does.
    private static let aliases: [String: String] = {
        var table: [String: String] = [:]
        let groups: [(String, [String])] = [
            ("utf-8", ["utf8", "unicode-1-1-utf-8", "unicode11utf8", "unicode20utf8", "x-unicode20utf8"]),
            // WHATWG: a bare "utf-16" is little-endian (iconv would read it big-endian).
            ("UTF-16LE", ["utf-16", "utf-16le", "csunicode", "iso-10646-ucs-2", "ucs-2", "unicode", "unicodefeff"]),
            ("UTF-16BE", ["utf-16be", "unicodefffe"]),
            (
                "windows-1252",
                [
                    "ansi_x3.4-1968", "ascii", "cp1252", "cp819", "csisolatin1", "ibm819", "iso-8859-1", "iso-ir-100",
                    "iso8859-1", "iso88591", "iso_8859-1", "iso_8859-1:1987", "l1", "latin1", "us-ascii", "x-cp1252",
                ]
            ),
            ("CP932", ["csshiftjis", "ms932", "ms_kanji", "shift-jis", "shift_jis", "sjis", "windows-31j", "x-sjis"]),
            ("CP949", ["cseuckr", "csksc56011987", "euc-kr", "iso-ir-149", "korean", "ks_c_5601-1987", "windows-949"]),
            ("GBK", ["chinese", "csgb2312", "csiso58gb231280", "gb2312", "gb_2312", "gb_2312-80", "gbk", "x-gbk"]),
            ("BIG5-HKSCS", ["big5", "big5-hkscs", "cn-big5", "csbig5", "x-x-big5"]),
            ("ISO-8859-15", ["csisolatin9", "iso-8859-15", "iso8859-15", "iso885915", "l9", "latin9"]),
            ("ISO-8859-2", ["csisolatin2", "iso-8859-2", "iso8859-2", "iso88592", "l2", "latin2"]),
            ("KOI8-R", ["cskoi8r", "koi", "koi8", "koi8-r", "koi8_r"]),
            ("EUC-JP", ["cseucpkdfmtjapanese", "euc-jp", "x-euc-jp"]),
            ("ISO-2022-JP", ["csiso2022jp", "iso-2022-jp"]),
        ]
        for (name, labels) in groups {
            for label in labels { table[label] = name }
        }
        return table
    }()
}
