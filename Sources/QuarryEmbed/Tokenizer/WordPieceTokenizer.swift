import Foundation

/// BERT's uncased WordPiece tokenizer: text to token ids, `[CLS] … [SEP]`, truncated to the
/// model's maximum sequence length.
///
/// Words come from ``BertTextNormalizer`` (cleaning, CJK split, accents stripped, lower case,
/// punctuation split). Each word is cut greedily into the longest pieces in the vocabulary, the
/// pieces after the first written with a `##` prefix; a word with a part that matches nothing, or
/// longer than 100 scalars, is one `[UNK]`. The result is cut at ``maximumLength`` tokens,
/// `[CLS]` and `[SEP]` included, exactly as Hugging Face `tokenizers` truncates.
///
/// ```swift
/// let tokenizer = try WordPieceTokenizer(vocabularyAt: "model/vocab.txt")
/// tokenizer.encode("Hello, world!")  // [101, 7592, 1010, 2088, 999, 102]
/// ```
public struct WordPieceTokenizer: Sendable {
    /// The most tokens a text becomes, `[CLS]` and `[SEP]` included.
    public let maximumLength: Int
    /// The id of `[CLS]`.
    public let classifierID: Int32
    /// The id of `[SEP]`.
    public let separatorID: Int32
    /// The id of `[UNK]`.
    public let unknownID: Int32
    /// The number of tokens in the vocabulary.
    public let vocabularySize: Int

    /// Words longer than this many scalars become `[UNK]`.
    static let maximumWordLength = 100

    private let starts: [[Unicode.Scalar]: Int32]
    private let continuations: [[Unicode.Scalar]: Int32]
    private let longestPiece: Int
    private let normalizer = BertTextNormalizer()

    /// Reads a `vocab.txt`: one token per line, its id the line's number counting from 0.
    ///
    /// - Throws: ``EmbeddingError/modelNotFound(_:)`` without the file,
    ///   ``EmbeddingError/damagedModel(_:)`` if it is not UTF-8 or lacks a special token.
    public init(vocabularyAt path: String, maximumLength: Int = 256) throws {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw EmbeddingError.modelNotFound("\(path) does not exist; \(EmbeddingError.installHint)")
        }
        guard let text = String(validating: data, as: UTF8.self) else {
            throw EmbeddingError.damagedModel("\(path) is not UTF-8 text; \(EmbeddingError.installHint)")
        }
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map {
            $0.hasSuffix("\r") ? String($0.dropLast()) : String($0)
        }
        if lines.last == "" { lines.removeLast() }
        try self.init(vocabulary: lines, maximumLength: maximumLength, source: path)
    }

    /// Builds a tokenizer from the vocabulary's tokens in id order.
    ///
    /// - Throws: ``EmbeddingError/damagedModel(_:)`` if `[CLS]`, `[SEP]` or `[UNK]` is missing or
    ///   `maximumLength` is under 2.
    public init(vocabulary: [String], maximumLength: Int = 256) throws {
        try self.init(vocabulary: vocabulary, maximumLength: maximumLength, source: "the vocabulary")
    }

    private init(vocabulary: [String], maximumLength: Int, source: String) throws {
        guard maximumLength >= 2 else {
            throw EmbeddingError.invalidConfiguration(
                "maximum sequence length \(maximumLength) leaves no room for text"
            )
        }
        var starts: [[Unicode.Scalar]: Int32] = [:]
        var continuations: [[Unicode.Scalar]: Int32] = [:]
        var longest = 0
        for (index, token) in vocabulary.enumerated() {
            var scalars = Array(token.unicodeScalars)
            if scalars.count > 2, scalars[0] == "#", scalars[1] == "#" {
                scalars.removeFirst(2)
                if continuations[scalars] == nil { continuations[scalars] = Int32(index) }
            }
            if starts[Array(token.unicodeScalars)] == nil { starts[Array(token.unicodeScalars)] = Int32(index) }
            longest = max(longest, scalars.count)
        }
        func special(_ name: String) throws -> Int32 {
            guard let id = starts[Array(name.unicodeScalars)] else {
                throw EmbeddingError.damagedModel("\(source) has no \(name) token; \(EmbeddingError.installHint)")
            }
            return id
        }
        classifierID = try special("[CLS]")
        separatorID = try special("[SEP]")
        unknownID = try special("[UNK]")
        self.starts = starts
        self.continuations = continuations
        self.longestPiece = longest
        self.maximumLength = maximumLength
        vocabularySize = vocabulary.count
    }

    /// The token ids of `text`: `[CLS]`, its wordpieces, `[SEP]`, at most ``maximumLength`` in all.
    ///
    /// Any string is accepted: an empty one (or one of control characters only) is `[CLS] [SEP]`.
    public func encode(_ text: String) -> [Int32] {
        let budget = maximumLength - 2
        var ids: [Int32] = [classifierID]
        ids.reserveCapacity(min(budget, text.utf8.count) + 2)
        for word in normalizer.words(text) {
            appendPieces(of: word, to: &ids)
            if ids.count - 1 >= budget { break }
        }
        if ids.count - 1 > budget { ids.removeLast(ids.count - 1 - budget) }
        ids.append(separatorID)
        return ids
    }

    /// The token ids of UTF-8 bytes that may be invalid: each ill-formed sequence becomes U+FFFD,
    /// which the cleaning step then drops, as the reference does with bytes decoded lossily.
    public func encode(utf8 bytes: some Collection<UInt8>) -> [Int32] {
        encode(String(decoding: bytes, as: UTF8.self))
    }

    private func appendPieces(of word: [Unicode.Scalar], to ids: inout [Int32]) {
        guard word.count <= Self.maximumWordLength else {
            ids.append(unknownID)
            return
        }
        var pieces: [Int32] = []
        var start = 0
        while start < word.count {
            let table = start == 0 ? starts : continuations
            var end = min(word.count, start + longestPiece)
            var found: Int32?
            while end > start {
                if let id = table[Array(word[start..<end])] {
                    found = id
                    break
                }
                end -= 1
            }
            guard let found else {
                ids.append(unknownID)
                return
            }
            pieces.append(found)
            start = end
        }
        ids.append(contentsOf: pieces)
    }
}
