// The Quarry side of Benchmarks/embedding/embedding_benchmark.sh. Each run prints one line:
//
//   quarry-embedding-benchmark throughput PASSAGES_FILE THREADS BATCH ROUNDS
//   quarry-embedding-benchmark latency QUESTIONS_FILE ROUNDS
//   quarry-embedding-benchmark sgemm THREADS
//
// Each measurement runs in its own process so that its peak resident memory is its own.
import Foundation
import QuarryCore
import QuarryEmbed

#if canImport(Glibc)
import Glibc
#endif

func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}

func peakMemoryMB() -> Double {
    var usage = rusage()
    #if os(Linux)
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_maxrss) / 1024  // kilobytes on Linux
    #else
    getrusage(RUSAGE_SELF, &usage)
    return Double(usage.ru_maxrss) / 1024 / 1024  // bytes on Darwin
    #endif
}

func lines(_ path: String) throws -> [String] {
    try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").map(String.init)
}

func report(_ fields: KeyValuePairs<String, String>) {
    let text = fields.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
    print("QUARRY_BENCHMARK \(text) core=\(BLAS.coreName) peak_mb=\(String(format: "%.0f", peakMemoryMB()))")
}

let arguments = CommandLine.arguments
let clock = ContinuousClock()

switch arguments.count > 1 ? arguments[1] : "" {
case "throughput":
    let passages = try lines(arguments[2])
    let threads = Int(arguments[3])!
    let batch = Int(arguments[4])!
    let rounds = Int(arguments[5])!
    let embedder = try MiniLMEmbedder(configuration: EmbeddingConfiguration(threads: threads, batchSize: batch))
    let tokens = passages.map { embedder.tokenize($0).count }
    _ = try await embedder.embed(Array(passages.prefix(batch)))  // warm-up
    var best = Double.infinity
    for _ in 0..<rounds {
        let elapsed = try await clock.measure { _ = try await embedder.embed(passages) }
        best = min(best, seconds(elapsed))
    }
    report([
        "mode": "throughput", "threads": "\(threads)", "batch": "\(batch)", "passages": "\(passages.count)",
        "tokens_per_passage": "\(tokens.min()!)-\(tokens.max()!)",
        "passages_per_second": String(format: "%.1f", Double(passages.count) / best),
    ])

case "latency":
    let questions = try lines(arguments[2])
    let rounds = Int(arguments[3])!
    let embedder = try MiniLMEmbedder(configuration: EmbeddingConfiguration(threads: 1))
    for question in questions.prefix(20) { _ = try await embedder.embed(question) }
    var samples: [Double] = []
    for round in 0..<rounds {
        let question = questions[round % questions.count]
        samples.append(seconds(try await clock.measure { _ = try await embedder.embed(question) }))
    }
    samples.sort()
    let p50 = samples[samples.count / 2]
    let p99 = samples[min(samples.count - 1, samples.count * 99 / 100)]
    report([
        "mode": "latency", "threads": "1", "queries": "\(rounds)",
        "tokens": "\(embedder.tokenize(questions[0]).count)",
        "p50_ms": String(format: "%.3f", p50 * 1000), "p99_ms": String(format: "%.3f", p99 * 1000),
    ])

case "sgemm":
    // The encoder's largest product shape: 32 passages × 128 tokens through the feed-forward layer.
    let threads = Int(arguments[2])!
    BLAS.setThreadCount(threads)
    let (m, n, k) = (4096, 1536, 384)
    let a = [Float](repeating: 0.01, count: m * k)
    let b = [Float](repeating: 0.02, count: n * k)
    var c = [Float](repeating: 0, count: m * n)
    func multiply() { BLAS.multiply(a, b, into: &c, m: m, n: n, k: k, beta: 0) }
    multiply()
    var best = Double.infinity
    for _ in 0..<20 { best = min(best, seconds(clock.measure(multiply))) }
    report([
        "mode": "sgemm", "threads": "\(threads)", "shape": "\(m)x\(n)x\(k)",
        "gflops": String(format: "%.1f", 2 * Double(m * n * k) / best / 1e9),
    ])

default:
    FileHandle.standardError.write(Data("usage: see the comment at the top of main.swift\n".utf8))
    exit(2)
}
