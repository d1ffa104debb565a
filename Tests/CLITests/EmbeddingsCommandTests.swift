import Foundation
import QuarryTesting
import Testing

/// `sync`, `ask` and `serve` with the real model (their default): passages are embedded once,
/// the vector index is kept in the data directory, and a data directory made by one model is
/// never searched with another's vectors.
struct EmbeddingsCommandTests {
    private func withEmbeddings(_ directory: TemporaryDirectory) -> QuarryCommand {
        var quarry = QuarryCommand(dataDirectory: directory.file("data"))
        quarry.environment["QUARRY_EMBEDDINGS"] = nil
        return quarry
    }

    @Test func syncEmbedsAskSearchesByMeaningAndAnotherModelIsRefused() throws {
        let directory = try TemporaryDirectory()
        try directory.write("docs/.quarry-acl.json", #"{"readers": ["everyone"]}"#)
        try directory.write(
            "docs/on-call.md",
            "# On call\n\n## Allowance\n\nEngineers receive an on-call allowance of £300 per week as primary."
        )
        try directory.write("docs/leave.md", "# Leave\n\nFull-time employees receive 27 days of annual leave.")
        let quarry = withEmbeddings(directory)
        let sync = try quarry.run("sync", directory.file("docs"), "--connector", "docs")
        #expect(sync.status == 0, "\(sync.errors)")
        #expect(sync.lines.last == "added=2 updated=0 unchanged=0 deleted=0 failed=0")
        #expect(try quarry.run("users", "add", "carol").status == 0)

        // Answered through the hybrid retriever (vector search fused with BM25), from the saved index.
        let asked = try quarry.run("ask", "What allowance do engineers on call get?", "--user", "carol", "--json")
        #expect(asked.status == 0, "\(asked.errors)")
        #expect(asked.output.contains("£300 per week"))
        #expect(FileManager.default.fileExists(atPath: directory.file("data/vectors/index.json")))

        let again = try quarry.run("sync", "--connector", "docs")
        #expect(again.lines.last == "added=0 updated=0 unchanged=2 deleted=0 failed=0")
        #expect(!again.output.contains("Embedded"), "nothing was left to embed")

        var other = quarry
        other.environment["QUARRY_EMBEDDINGS"] = "remote"
        other.environment["QUARRY_EMBEDDING_REMOTE_URL"] = "http://127.0.0.1:9/v1"
        other.environment["QUARRY_EMBEDDING_REMOTE_MODEL"] = "text-embedding-3-small"
        other.environment["QUARRY_EMBEDDING_REMOTE_DIMENSION"] = "1536"
        let refused = try other.run("ask", "What allowance do engineers on call get?", "--user", "carol")
        #expect(refused.status != 0)
        #expect(refused.errors.contains("made by sentence-transformers/all-MiniLM-L6-v2"))
        #expect(refused.errors.contains("not by text-embedding-3-small"))

        let status = try quarry.run("embeddings", "status")
        #expect(status.lines.first == "model: sentence-transformers/all-MiniLM-L6-v2 (384 dimensions)")
        #expect(status.lines.last == "passages without a vector: 0")
        let switched = try quarry.run("embeddings", "use-model")
        #expect(switched.status == 0, "\(switched.errors)")
        #expect(switched.lines.last == "Embedded 0 passages", "the model's own vectors are reused")

        let keywordsOnly = try quarry.run(
            "ask",
            "How many days of annual leave?",
            "--user",
            "carol",
            "--embeddings",
            "off"
        )
        #expect(keywordsOnly.output.contains("27 days"))
    }

    @Test func aMissingModelStopsTheCommandWithWhatToInstall() throws {
        let directory = try TemporaryDirectory()
        var quarry = withEmbeddings(directory)
        quarry.environment["QUARRY_EMBEDDING_MODEL_PATH"] = directory.file("nowhere")
        let result = try quarry.run("sync", SampleCorpus.handbook, "--connector", "handbook")
        #expect(result.status != 0)
        #expect(result.errors.contains("cannot load the embedding model"))
        #expect(result.errors.contains("--embeddings off"))
    }
}
