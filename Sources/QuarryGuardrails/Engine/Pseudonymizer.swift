/// Consistent pseudonyms: the same value in the same conversation always gets the same stand-in,
/// another conversation gets another, and the value cannot be read back from it.
///
/// A pseudonym is `[TYPE_xxxxxx]`, 24 bits of SipHash-2-4 under a secret 128-bit key of the value
/// (lower case, white space collapsed) and the conversation identifier.
public struct Pseudonymizer: Sendable, Hashable {
    private let key0: UInt64
    private let key1: UInt64

    /// A pseudonymizer with a 16-byte secret key (keep it to keep pseudonyms stable across restarts).
    public init(key: [UInt8]) {
        precondition(key.count == 16, "a pseudonym key is 16 bytes")
        key0 = key[0..<8].enumerated().reduce(0) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
        key1 = key[8..<16].enumerated().reduce(0) { $0 | UInt64($1.element) << (8 * UInt64($1.offset)) }
    }

    /// A pseudonymizer with a fresh random key.
    public static func random() -> Pseudonymizer {
        var generator = SystemRandomNumberGenerator()
        return Pseudonymizer(key: (0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) })
    }

    /// The stand-in for `value` of type `entity` in `conversation`.
    public func pseudonym(for value: String, entity: String, conversation: String?) -> String {
        let normalized = value.lowercased().split(whereSeparator: \.isWhitespace).joined(separator: " ")
        let message = Array("\(conversation ?? "")\u{0}\(entity)\u{0}\(normalized)".utf8)
        let hash = siphash(message)
        let hex = String(hash & 0xFF_FFFF, radix: 16)
        return "[\(entity)_\(String(repeating: "0", count: 6 - hex.count))\(hex)]"
    }

    private func siphash(_ message: [UInt8]) -> UInt64 {
        var v0: UInt64 = 0x736f_6d65_7073_6575 ^ key0
        var v1: UInt64 = 0x646f_7261_6e64_6f6d ^ key1
        var v2: UInt64 = 0x6c79_6765_6e65_7261 ^ key0
        var v3: UInt64 = 0x7465_6462_7974_6573 ^ key1
        func round() {
            v0 &+= v1
            v1 = (v1 << 13) | (v1 >> 51)
            v1 ^= v0
            v0 = (v0 << 32) | (v0 >> 32)
            v2 &+= v3
            v3 = (v3 << 16) | (v3 >> 48)
            v3 ^= v2
            v0 &+= v3
            v3 = (v3 << 21) | (v3 >> 43)
            v3 ^= v0
            v2 &+= v1
            v1 = (v1 << 17) | (v1 >> 47)
            v1 ^= v2
            v2 = (v2 << 32) | (v2 >> 32)
        }
        let blocks = message.count / 8
        for block in 0..<blocks {
            var m: UInt64 = 0
            for byte in 0..<8 { m |= UInt64(message[block * 8 + byte]) << (8 * UInt64(byte)) }
            v3 ^= m
            round()
            round()
            v0 ^= m
        }
        var last = UInt64(message.count & 0xFF) << 56
        for (index, byte) in message[(blocks * 8)...].enumerated() { last |= UInt64(byte) << (8 * UInt64(index)) }
        v3 ^= last
        round()
        round()
        v0 ^= last
        v2 ^= 0xFF
        for _ in 0..<4 { round() }
        return v0 ^ v1 ^ v2 ^ v3
    }
}
