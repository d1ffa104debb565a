import Foundation
import QuarryEmbed

/// The parity fixture made by `scripts/make_embedding_fixture.py`: token ids from Hugging Face
/// `tokenizers` and vectors from onnxruntime for the same model.
struct ReferenceFixture: Decodable {
    struct Case: Decodable {
        var text: String?
        var utf8_hex: String?
        var ids: [Int32]
        var vector: [Float]

        /// The input's bytes: the text's UTF-8, or the (possibly invalid) bytes of `utf8_hex`.
        var bytes: [UInt8] {
            if let text { return Array(text.utf8) }
            let hex = Array(utf8_hex ?? "")
            return stride(from: 0, to: hex.count, by: 2).map { UInt8(String(hex[$0...$0 + 1]), radix: 16)! }
        }

        /// A short label for failure messages.
        var label: String { text.map { String($0.prefix(40)) } ?? "bytes \(utf8_hex!.prefix(20))…" }
    }

    var model: String
    var max_length: Int
    var cases: [Case]

    static func load() throws -> ReferenceFixture {
        guard
            let url = Bundle.module.url(
                forResource: "minilm-reference",
                withExtension: "json",
                subdirectory: "Fixtures"
            )
        else { throw CocoaError(.fileNoSuchFile) }
        return try JSONDecoder().decode(ReferenceFixture.self, from: Data(contentsOf: url))
    }
}

/// Cosine of two vectors.
func cosine(_ a: [Float], _ b: [Float]) -> Float {
    let dot = zip(a, b).reduce(0) { $0 + $1.0 * $1.1 }
    let normA = a.reduce(0) { $0 + $1 * $1 }.squareRoot()
    let normB = b.reduce(0) { $0 + $1 * $1 }.squareRoot()
    return dot / (normA * normB)
}
