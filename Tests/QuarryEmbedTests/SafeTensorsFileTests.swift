import Foundation
import QuarryEmbed
import QuarryTesting
import Testing

/// The safetensors loader accepts a well-formed file and refuses each kind of damage, naming it.
struct SafeTensorsFileTests {
    /// A file with `header` as its JSON header (padded with spaces to 8 bytes, as writers do,
    /// unless `aligned` is false) and `data` after it.
    static func file(
        header: String,
        data: [UInt8],
        in directory: TemporaryDirectory,
        aligned: Bool = true
    ) throws
        -> String
    {
        var header = header
        while aligned, (8 + header.utf8.count) % 8 != 0 { header += " " }
        var bytes = withUnsafeBytes(of: UInt64(header.utf8.count).littleEndian) { Array($0) }
        bytes += Array(header.utf8) + data
        let path = directory.file("t.safetensors")
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return path
    }

    static let twoFloats = withUnsafeBytes(of: (Float(1.5), Float(-2))) { Array($0) }

    @Test func readsTheTensorsOfAWellFormedFile() throws {
        let directory = try TemporaryDirectory()
        let header = #"{"__metadata__":{"format":"pt"},"w":{"dtype":"F32","shape":[1,2],"data_offsets":[0,8]}}"#
        let file = try SafeTensorsFile(path: Self.file(header: header, data: Self.twoFloats, in: directory))
        #expect(file.metadata == ["format": "pt"])
        #expect(try Array(file.floats("w", shape: [1, 2])) == [1.5, -2])
        #expect(throws: EmbeddingError.self) { try file.floats("w", shape: [2, 1]) }
        #expect(throws: EmbeddingError.self) { try file.floats("missing", shape: [2]) }
    }

    @Test func refusesATensorNotAlignedForFloats() throws {
        let directory = try TemporaryDirectory()
        var header = #"{"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"#
        while (8 + header.utf8.count) % 4 != 1 { header += " " }
        let path = try Self.file(header: header, data: Self.twoFloats, in: directory, aligned: false)
        let file = try SafeTensorsFile(path: path)
        let error = try #require(throws: EmbeddingError.self) { try file.floats("w", shape: [2]) }
        #expect(error.message.contains("not aligned"))
    }

    @Test(arguments: [
        (#"{"w":{"dtype":"F32","shape":[1,2],"data_offsets":[0,16]}}"#, "data offsets outside"),
        (#"{"w":{"dtype":"F33","shape":[2],"data_offsets":[0,8]}}"#, "unknown dtype"),
        (#"{"w":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}"#, "but 8 bytes"),
        (#"{"w":{"dtype":"F32","shape":[-1],"data_offsets":[0,8]}}"#, "no valid shape"),
        (
            #"{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}"#,
            "overlap"
        ),
        (#"["not", "an", "object"]"#, "not a JSON object"),
    ])
    func refusesADamagedHeader(header: String, problem: String) throws {
        let directory = try TemporaryDirectory()
        let path = try Self.file(header: header, data: Self.twoFloats, in: directory)
        let error = try #require(throws: EmbeddingError.self) { try SafeTensorsFile(path: path) }
        #expect(error.isDamagedModel)
        #expect(error.message.contains(path))
        #expect(error.message.contains(problem), "\(error.message)")
    }

    @Test func refusesAHeaderLengthPastTheEndOfTheFile() throws {
        let directory = try TemporaryDirectory()
        let path = directory.file("short.safetensors")
        try Data(withUnsafeBytes(of: UInt64(1 << 40).littleEndian) { Array($0) } + [0x7B]).write(
            to: URL(fileURLWithPath: path)
        )
        let error = try #require(throws: EmbeddingError.self) { try SafeTensorsFile(path: path) }
        #expect(error.message.contains("runs past the end"))
        try Data([1, 2, 3]).write(to: URL(fileURLWithPath: path))
        #expect(throws: EmbeddingError.self) { try SafeTensorsFile(path: path) }
    }

    @Test func theRealModelHasTheExpectedTensors() throws {
        let directory = try ModelLocator().modelDirectory(configured: nil)
        let file = try SafeTensorsFile(path: directory + "/model.safetensors")
        #expect(file.tensors["embeddings.position_ids"]?.dtype == .i64)
        #expect(file.tensors["embeddings.word_embeddings.weight"]?.shape == [30522, 384])
        #expect(file.tensors["encoder.layer.5.intermediate.dense.weight"]?.shape == [1536, 384])
    }
}
