import Foundation
import QuarryCore
import QuarryVector

/// A seeded generator (SplitMix64) so that every failure reproduces.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A standard normal sample (Box–Muller).
    mutating func normal() -> Float {
        let u1 = max(Double.random(in: 0..<1, using: &self), 1e-12)
        let u2 = Double.random(in: 0..<1, using: &self)
        return Float((-2 * log(u1)).squareRoot() * cos(2 * .pi * u2))
    }

    /// A random unit vector.
    mutating func unitVector(dimension: Int) -> [Float] {
        normalised((0..<dimension).map { _ in normal() })
    }
}

/// `vector` scaled to length 1.
func normalised(_ vector: [Float]) -> [Float] {
    let norm = vector.reduce(0) { $0 + Double($1) * Double($1) }.squareRoot()
    return vector.map { Float(Double($0) / max(norm, 1e-12)) }
}

/// Clustered unit vectors: `clusters` random centres, each point a centre plus noise.
func clusteredVectors(
    count: Int,
    dimension: Int,
    clusters: Int,
    noise: Float,
    using random: inout SeededGenerator
)
    -> [[Float]]
{
    let centres = (0..<clusters).map { _ in random.unitVector(dimension: dimension) }
    return (0..<count).map { _ in
        let centre = centres[Int.random(in: 0..<clusters, using: &random)]
        return normalised(centre.map { $0 + noise * random.normal() })
    }
}

/// The reference the index is checked against: the records and readers the test believes in,
/// scored by brute force in Double.
struct ReferenceCorpus {
    var records: [Int64: VectorRecord] = [:]
    var readers: [Int64: Set<String>] = [:]

    mutating func upsert(_ record: VectorRecord) {
        records[record.passageID] = record
        readers[record.documentID] = Set(record.readers)
    }

    mutating func removeDocument(_ document: Int64) {
        records = records.filter { $0.value.documentID != document }
    }

    func mayRead(_ record: VectorRecord, scope: AccessScope) -> Bool {
        scope.isAdmin || !(readers[record.documentID] ?? []).isDisjoint(with: scope.principalKeys)
    }

    /// Allowed passages sorted by exact score (descending), ties by passage id.
    func ranked(_ query: [Float], scope: AccessScope) -> [(passageID: Int64, score: Double)] {
        records.values.filter { mayRead($0, scope: scope) }.map { record in
            (passageID: record.passageID, score: dot(record.vector, query))
        }.sorted { $0.score != $1.score ? $0.score > $1.score : $0.passageID < $1.passageID }
    }
}

func dot(_ a: [Float], _ b: [Float]) -> Double {
    var sum = 0.0
    for index in a.indices { sum += Double(a[index]) * Double(b[index]) }
    return sum
}

/// |found ∩ expected| / |expected| (1 when nothing is expected).
func recall(_ found: [VectorHit], _ expected: [(passageID: Int64, score: Double)]) -> Double {
    guard !expected.isEmpty else { return 1 }
    let ids = Set(found.map(\.passageID))
    return Double(expected.filter { ids.contains($0.passageID) }.count) / Double(expected.count)
}

/// A scratch directory removed when the value is released.
final class ScratchDirectory {
    let path: String

    init() {
        path = NSTemporaryDirectory() + "quarry-vector-tests-" + UUID().uuidString
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}
