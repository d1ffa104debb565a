// The Quarry side of Benchmarks/vector (vector_benchmark.sh runs it beside the peers).
//
//   quarry-vector-benchmark bandwidth
//   quarry-vector-benchmark flat DIR            exact f32 (1 and 2 threads, single and batches of 64, and
//                                               OpenBLAS sgemm for the batch) and int8 + re-rank
//   quarry-vector-benchmark hnsw DIR M EFC      build, ef sweep, filtered search, save and load
//   quarry-vector-benchmark search DIR          ef sweeps (all and filtered) on the HNSW index `hnsw` saved in DIR
//   quarry-vector-benchmark startup DIR         save and load the flat index (start-up time)
//
// DIR holds base.f32, queries.f32, sel.f32, gt_*.i32 and meta.txt from vector_peers.py gen.
// Output lines are `name key=value ...`.
import COpenBLAS
import Dispatch
import Foundation
import QuarryCore
import QuarryVector

let k = 10
let filters: [(name: String, fraction: Float)] = [("p500", 0.5), ("p100", 0.1), ("p010", 0.01), ("p001", 0.001)]
let efs = [10, 16, 24, 32, 48, 64, 96, 128, 192, 256, 384, 512, 768, 1024]
/// efSearch settings for filtered searches (the walk's list is efSearch·√fraction).
let filterEfs = [10, 16, 20, 24, 28, 32, 40, 48, 56, 64, 128]

struct Dataset {
    let n: Int
    let dimension: Int
    let base: [Float]
    let queries: [[Float]]
    let selection: [Float]
    let truth: [String: [[Int32]]]

    init(directory: String) throws {
        let meta = try String(contentsOfFile: directory + "/meta.txt", encoding: .utf8)
        var fields: [String: Int] = [:]
        for pair in meta.split(whereSeparator: \.isWhitespace) {
            let parts = pair.split(separator: "=")
            if parts.count == 2, let value = Int(parts[1]) { fields[String(parts[0])] = value }
        }
        n = fields["n"]!
        dimension = fields["dim"]!
        let queryCount = fields["queries"]!
        func floats(_ name: String) throws -> [Float] {
            let data = try Data(contentsOf: URL(fileURLWithPath: directory + "/" + name))
            return data.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
        }
        base = try floats("base.f32")
        let flatQueries = try floats("queries.f32")
        let d = dimension
        queries = (0..<queryCount).map { Array(flatQueries[($0 * d)..<(($0 + 1) * d)]) }
        selection = try floats("sel.f32")
        var truth: [String: [[Int32]]] = [:]
        for name in ["all"] + filters.map(\.name) {
            let data = try Data(contentsOf: URL(fileURLWithPath: directory + "/gt_\(name).i32"))
            let ids = data.withUnsafeBytes { Array($0.bindMemory(to: Int32.self)) }
            truth[name] = (0..<queryCount).map { Array(ids[($0 * k)..<(($0 + 1) * k)]) }
        }
        self.truth = truth
    }

    /// Each passage its own document; readers nest: a passage readable at 1% is readable at 10% and 50%.
    func records(from start: Int, count: Int) -> [VectorRecord] {
        (start..<(start + count)).map { i in
            var readers: [String] = []
            for filter in filters where selection[i] < filter.fraction { readers.append("group:\(filter.name)") }
            return VectorRecord(
                passageID: Int64(i),
                documentID: Int64(i),
                readers: readers,
                vector: Array(base[(i * dimension)..<((i + 1) * dimension)])
            )
        }
    }

    func build(_ index: VectorIndex) throws {
        var start = 0
        while start < n {
            let count = min(10_000, n - start)
            try index.upsert(records(from: start, count: count))
            start += count
        }
    }
}

func now() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_MONOTONIC, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
}

func cpuSeconds() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
}

func recall(_ hits: [[VectorHit]], _ truth: [[Int32]]) -> Double {
    var found = 0
    for (row, expected) in zip(hits, truth) {
        let ids = Set(row.map { Int32($0.passageID) })
        found += expected.filter { $0 >= 0 && ids.contains($0) }.count
    }
    let total = truth.reduce(0) { $0 + $1.filter { $0 >= 0 }.count }
    return Double(found) / Double(max(total, 1))
}

func threadCPUSeconds() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) * 1e-9
}

/// Seconds of thread CPU time of the last `timed` call (per query): on a shared machine, wall time
/// includes waiting for a core; CPU time does not (memory contention remains).
nonisolated(unsafe) var lastCPUSecondsPerQuery = 0.0

/// Runs every query once (after one warm-up query); returns wall seconds per query and the hits.
func timed(
    _ queries: ArraySlice<[Float]>,
    _ search: ([Float]) throws -> [VectorHit]
) rethrows -> (Double, [[VectorHit]]) {
    _ = try search(queries.first!)
    let start = now()
    let cpu = threadCPUSeconds()
    var hits: [[VectorHit]] = []
    hits.reserveCapacity(queries.count)
    for query in queries { hits.append(try search(query)) }
    lastCPUSecondsPerQuery = (threadCPUSeconds() - cpu) / Double(queries.count)
    return ((now() - start) / Double(queries.count), hits)
}

var cpuMS: String { "cpu_ms=" + format(lastCPUSecondsPerQuery * 1e3) }
var cpuQPS: String { "cpu_qps=" + format(1 / lastCPUSecondsPerQuery, 0) }

func residentMB() -> Double {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return 0 }
    for line in status.split(separator: "\n") where line.hasPrefix("VmRSS:") {
        return Double(line.split(whereSeparator: \.isWhitespace)[1])! / 1024
    }
    return 0
}

/// Read bandwidth with `threads` threads, each summing its share of 1 GiB with 64-byte loads; the
/// best of 5 passes (bytes ÷ wall time of the slowest thread).
func bandwidth(threads: Int = 1) -> Double {
    let bytes = 1 << 30
    let buffer = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: 64)
    defer { buffer.deallocate() }
    memset(buffer, 1, bytes)
    let share = bytes / threads
    let address = UInt(bitPattern: buffer)
    var best = 0.0
    for _ in 0..<5 {
        let start = now()
        DispatchQueue.concurrentPerform(iterations: threads) { part in
            let base = UnsafeRawPointer(bitPattern: address)! + part * share
            var a0 = SIMD16<Float>()
            var a1 = SIMD16<Float>()
            var a2 = SIMD16<Float>()
            var a3 = SIMD16<Float>()
            var offset = 0
            while offset < share {
                a0 += base.load(fromByteOffset: offset, as: SIMD16<Float>.self)
                a1 += base.load(fromByteOffset: offset + 64, as: SIMD16<Float>.self)
                a2 += base.load(fromByteOffset: offset + 128, as: SIMD16<Float>.self)
                a3 += base.load(fromByteOffset: offset + 192, as: SIMD16<Float>.self)
                offset += 256
            }
            let sum = a0 + a1 + a2 + a3
            if sum[0] == 42 { print("") }
        }
        best = max(best, Double(bytes) / (now() - start))
    }
    return best / 1e9
}

/// The exact top 10 of `count` queries over `rows` (n × dimension, row-major) with OpenBLAS's sgemm:
/// scores for 4,096 rows at a time (a 64 × 4,096 block stays in L2), then a threshold pass per query.
func blasBatch(queries: [Float], count: Int, rows: [Float], n: Int, dimension: Int) -> [[Int32]] {
    let block = 4_096
    var scores = [Float](repeating: 0, count: count * block)
    var tops = [[(score: Float, id: Int32)]](repeating: [], count: count)
    var thresholds = [Float](repeating: -.infinity, count: count)
    queries.withUnsafeBufferPointer { q in
        rows.withUnsafeBufferPointer { r in
            var start = 0
            while start < n {
                let width = min(block, n - start)
                scores.withUnsafeMutableBufferPointer { c in
                    cblas_sgemm(
                        CblasRowMajor,
                        CblasNoTrans,
                        CblasTrans,
                        Int32(count),
                        Int32(width),
                        Int32(dimension),
                        1,
                        q.baseAddress,
                        Int32(dimension),
                        r.baseAddress! + start * dimension,
                        Int32(dimension),
                        0,
                        c.baseAddress,
                        Int32(width)
                    )
                    for query in 0..<count {
                        let row = c.baseAddress! + query * width
                        for column in 0..<width where row[column] > thresholds[query] {
                            tops[query].append((row[column], Int32(start + column)))
                            if tops[query].count > 4 * k {
                                tops[query].sort { $0.score > $1.score }
                                tops[query].removeLast(tops[query].count - k)
                                thresholds[query] = tops[query][k - 1].score
                            }
                        }
                    }
                }
                start += width
            }
        }
    }
    return tops.map { Array($0.sorted { $0.score > $1.score }.prefix(k).map(\.id)) }
}

/// Filtered searches at every efSearch setting of `filterEfs`, with the planner's choice.
@MainActor func filteredSweep(_ index: VectorIndex, _ data: Dataset) {
    let queries = data.queries.prefix(200)
    for filter in filters {
        for ef in filterEfs {
            let plan = index.plan(k: k, scope: scope(filter.name), efSearch: ef)
            let (seconds, hits) = try! timed(queries) {
                try! index.search($0, k: k, scope: scope(filter.name), efSearch: ef)
            }
            let r = recall(hits, Array(data.truth[filter.name]!.prefix(200)))
            let method: String
            switch plan.method {
            case .graph: method = "graph"
            case .exactScan: method = "exact"
            case .int8Scan: method = "int8"
            case .empty: method = "empty"
            }
            print(
                "quarry_hnsw_filter_\(filter.name) ef=\(ef) plan=\(method) allowed=\(plan.allowedCount) recall=\(format(r, 4)) qps=\(format(1 / seconds, 0)) \(cpuQPS)"
            )
        }
    }
}

let admin = AccessScope(userName: "admin", groups: [], isAdmin: true)
func scope(_ filter: String) -> AccessScope { AccessScope(userName: "bench", groups: [filter], isAdmin: false) }

func format(_ value: Double, _ digits: Int = 3) -> String { String(format: "%.\(digits)f", value) }

let arguments = CommandLine.arguments
switch arguments.count > 1 ? arguments[1] : "" {
case "bandwidth":
    print("bandwidth gbps=\(format(bandwidth(), 1)) two_threads_gbps=\(format(bandwidth(threads: 2), 1))")

case "flat":
    let data = try Dataset(directory: arguments[2])
    let nq = data.n > 200_000 ? 200 : 1_000
    let queries = data.queries.prefix(nq)
    let flat = try VectorIndex(dimension: data.dimension, model: "bench", configuration: .init(kind: .flat))
    var start = now()
    try data.build(flat)
    print("quarry_flat_insert seconds=\(format(now() - start, 2)) rss_mb=\(format(residentMB(), 0))")
    var (seconds, hits) = try timed(queries) { try flat.search($0, k: k, scope: admin) }
    print("quarry_flat ms=\(format(seconds * 1e3)) \(cpuMS) recall=\(format(recall(hits, data.truth["all"]!), 4))")
    do {
        // Two threads: wall time per query, and the CPU time of both threads (process CPU time).
        let wall = now()
        let cpu = cpuSeconds()
        var twoThreadHits: [[VectorHit]] = []
        for query in queries { twoThreadHits.append(try flat.search(query, k: k, scope: admin, threads: 2)) }
        print(
            "quarry_flat_2t ms=\(format((now() - wall) / Double(nq) * 1e3)) process_cpu_ms=\(format((cpuSeconds() - cpu) / Double(nq) * 1e3)) recall=\(format(recall(twoThreadHits, data.truth["all"]!), 4))"
        )
    }
    let batches = stride(from: 0, to: nq, by: 64).map { Array(queries[$0..<min($0 + 64, nq)]) }
    for threads in [1, 2] {
        let wall = now()
        let cpu = threadCPUSeconds()
        var batchHits: [[VectorHit]] = []
        for batch in batches { batchHits += try flat.search(batch: batch, k: k, scope: admin, threads: threads) }
        let perQuery = (now() - wall) / Double(nq)
        lastCPUSecondsPerQuery = (threadCPUSeconds() - cpu) / Double(nq)
        print(
            "quarry_flat_batch64_\(threads)t ms=\(format(perQuery * 1e3)) \(threads == 1 ? cpuMS : "") recall=\(format(recall(batchHits, data.truth["all"]!), 4))"
        )
    }
    do {
        // OpenBLAS (Debian's libopenblas, one thread) on the same batches, for "BLAS where it wins".
        openblas_set_num_threads(1)
        let wall = now()
        let cpu = threadCPUSeconds()
        var found = 0
        for (number, batch) in batches.enumerated() {
            let ids = blasBatch(
                queries: batch.flatMap { $0 },
                count: batch.count,
                rows: data.base,
                n: data.n,
                dimension: data.dimension
            )
            for (offset, row) in ids.enumerated() {
                let truth = Set(data.truth["all"]![number * 64 + offset])
                found += row.filter { truth.contains($0) }.count
            }
        }
        let perQuery = (now() - wall) / Double(nq)
        lastCPUSecondsPerQuery = (threadCPUSeconds() - cpu) / Double(nq)
        print(
            "openblas_sgemm_batch64_1t ms=\(format(perQuery * 1e3)) \(cpuMS) recall=\(format(Double(found) / Double(nq * k), 4)) core=\(String(cString: openblas_get_corename()))"
        )
    }
    for filter in filters {
        (seconds, hits) = try timed(queries.prefix(200)) { try flat.search($0, k: k, scope: scope(filter.name)) }
        let r = recall(hits, Array(data.truth[filter.name]!.prefix(200)))
        print("quarry_flat_filter_\(filter.name) ms=\(format(seconds * 1e3)) \(cpuMS) recall=\(format(r, 4))")
    }
    let int8 = try VectorIndex(dimension: data.dimension, model: "bench", configuration: .init(kind: .int8(rerank: 10)))
    start = now()
    try data.build(int8)
    print("quarry_int8_insert seconds=\(format(now() - start, 2))")
    for rerank in [10, 20, 40, 80, 160] {
        (seconds, hits) = try timed(queries) {
            try int8.search($0, k: max(k, 1), scope: admin, rerank: rerank)
        }
        print(
            "quarry_int8 rerank=\(rerank) ms=\(format(seconds * 1e3)) \(cpuMS) recall=\(format(recall(hits, data.truth["all"]!), 4))"
        )
    }

case "hnsw":
    let data = try Dataset(directory: arguments[2])
    let m = Int(arguments[3])!
    let efc = Int(arguments[4])!
    let parameters = VectorIndexConfiguration.HNSWParameters(m: m, efConstruction: efc, efSearch: 64)
    // An optional fifth argument overrides the planner's exactScanPreference (0: always walk the graph).
    let preference = arguments.count > 5 ? Double(arguments[5])! : VectorIndexConfiguration().exactScanPreference
    let index = try VectorIndex(
        dimension: data.dimension,
        model: "bench",
        configuration: .init(kind: .hnsw(parameters), exactScanPreference: preference)
    )
    let before = residentMB()
    let (wall, cpu) = (now(), cpuSeconds())
    try data.build(index)
    print(
        "quarry_hnsw_build seconds=\(format(now() - wall, 2)) cpu=\(format(cpuSeconds() - cpu, 2)) rss_mb_added=\(format(residentMB() - before, 0))"
    )
    let queries = data.queries.prefix(1_000)
    for ef in efs {
        let (seconds, hits) = try timed(queries) { try index.search($0, k: k, scope: admin, efSearch: ef) }
        let r = recall(hits, data.truth["all"]!)
        print("quarry_hnsw ef=\(ef) recall=\(format(r, 4)) qps=\(format(1 / seconds, 0)) \(cpuQPS)")
        if r >= 0.999 { break }
    }
    filteredSweep(index, data)
    let directory = arguments[2] + "/quarry-hnsw"
    var start = now()
    try index.save(to: directory)
    print("quarry_hnsw_save seconds=\(format(now() - start, 2))")
    start = now()
    let loaded = try VectorIndex.load(from: directory)
    print("quarry_hnsw_load seconds=\(format(now() - start, 3)) count=\(loaded.count)")

case "search":
    // Sweeps ef on the HNSW index a previous `hnsw` run saved (no rebuild; for profiling).
    let data = try Dataset(directory: arguments[2])
    let index = try VectorIndex.load(from: arguments[2] + "/quarry-hnsw")
    let queries = data.queries.prefix(1_000)
    for ef in efs {
        let (seconds, hits) = try timed(queries) { try index.search($0, k: k, scope: admin, efSearch: ef) }
        let r = recall(hits, data.truth["all"]!)
        print("quarry_hnsw ef=\(ef) recall=\(format(r, 4)) qps=\(format(1 / seconds, 0)) \(cpuQPS)")
        if r >= 0.999 { break }
    }
    if arguments.count <= 3 || arguments[3] != "unfiltered" { filteredSweep(index, data) }

case "startup":
    let data = try Dataset(directory: arguments[2])
    let flat = try VectorIndex(dimension: data.dimension, model: "bench", configuration: .init(kind: .int8(rerank: 40)))
    try data.build(flat)
    let directory = arguments[2] + "/quarry-int8"
    var start = now()
    try flat.save(to: directory)
    print("quarry_int8_save seconds=\(format(now() - start, 2)) vectors=\(flat.count)")
    for verify in [true, false] {
        start = now()
        let loaded = try VectorIndex.load(from: directory, verifyChecksums: verify)
        let loadSeconds = now() - start
        start = now()
        let hits = try loaded.search(data.queries[0], k: k, scope: admin)
        print(
            "quarry_int8_load verify=\(verify) seconds=\(format(loadSeconds, 3)) first_query_ms=\(format((now() - start) * 1e3, 2)) hits=\(hits.count)"
        )
    }

default:
    print(
        "usage: quarry-vector-benchmark bandwidth | flat DIR | hnsw DIR M EFC [PREFERENCE] | search DIR | startup DIR"
    )
    exit(2)
}
