import Crypto

/// The content key of a text: the lowercase hexadecimal SHA-256 of its UTF-8 bytes.
///
/// The embedding cache is keyed by it, and the store records it beside every passage (of the
/// passage's ``Passage/embeddingInput(documentTitle:)``), so that a passage finds its vector by a
/// join and a text seen twice is embedded once.
public enum TextHash {
    private static let digits = Array("0123456789abcdef".utf8)

    /// The 64-character key of `text`.
    public static func of(_ text: String) -> String {
        var text = text
        let digest = text.withUTF8 { SHA256.hash(data: $0) }
        return String(unsafeUninitializedCapacity: 64) { buffer in
            var index = 0
            for byte in digest {
                buffer[index] = digits[Int(byte >> 4)]
                buffer[index + 1] = digits[Int(byte & 0x0F)]
                index += 2
            }
            return 64
        }
    }
}
