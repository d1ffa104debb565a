import Foundation

/// Turns the bytes of a text file into a `String`: UTF-8 (with or without BOM), UTF-16 with a BOM,
/// and, for bytes that are not valid UTF-8, Windows-1252, the usual encoding of legacy office files.
enum TextDecoder {
    static func decode(_ data: Data) throws(ExtractionError) -> String {
        let bytes = [UInt8](data)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
            return String(decoding: bytes.dropFirst(3), as: UTF8.self)
        }
        if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) {
            let encoding: String.Encoding = bytes[0] == 0xFF ? .utf16LittleEndian : .utf16BigEndian
            guard let text = String(data: Data(bytes.dropFirst(2)), encoding: encoding) else {
                throw .unreadable("invalid UTF-16")
            }
            return text
        }
        if bytes.prefix(8192).contains(0) {
            throw .binary
        }
        if let text = String(validating: bytes, as: UTF8.self) {
            return text
        }
        return String(data: data, encoding: .windowsCP1252) ?? String(decoding: bytes, as: UTF8.self)
    }
}
