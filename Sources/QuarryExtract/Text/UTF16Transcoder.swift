/// Turns UTF-16 bytes into UTF-8 a piece at a time, carrying a split code unit or surrogate pair
/// over to the next piece. Unpaired surrogates become U+FFFD and are counted.
struct UTF16Transcoder {
    let bigEndian: Bool
    private var carry: UInt8?
    private var highSurrogate: UInt16?
    private(set) var replaced = 0

    init(bigEndian: Bool) {
        self.bigEndian = bigEndian
    }

    /// The UTF-8 for `bytes`, as far as they form whole characters.
    mutating func transcode(_ bytes: some Sequence<UInt8>) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(bytes.underestimatedCount)
        for byte in bytes {
            guard let first = carry else {
                carry = byte
                continue
            }
            carry = nil
            let unit = bigEndian ? UInt16(first) << 8 | UInt16(byte) : UInt16(byte) << 8 | UInt16(first)
            append(unit, to: &output)
        }
        return output
    }

    /// The UTF-8 for whatever was left unfinished at the end of the input.
    mutating func finish() -> [UInt8] {
        var output: [UInt8] = []
        if highSurrogate != nil || carry != nil {
            replaced += 1
            output.append(contentsOf: [0xEF, 0xBF, 0xBD])
        }
        highSurrogate = nil
        carry = nil
        return output
    }

    private mutating func append(_ unit: UInt16, to output: inout [UInt8]) {
        if let high = highSurrogate {
            highSurrogate = nil
            if (0xDC00...0xDFFF).contains(unit) {
                let value = 0x10000 + ((UInt32(high) - 0xD800) << 10) + (UInt32(unit) - 0xDC00)
                output.append(contentsOf: Unicode.Scalar(value)!.utf8)
                return
            }
            replaced += 1
            output.append(contentsOf: [0xEF, 0xBF, 0xBD])
        }
        switch unit {
        case 0xD800...0xDBFF:
            highSurrogate = unit
        case 0xDC00...0xDFFF:
            replaced += 1
            output.append(contentsOf: [0xEF, 0xBF, 0xBD])
        default:
            output.append(contentsOf: Unicode.Scalar(UInt32(unit))!.utf8)
        }
    }
}
