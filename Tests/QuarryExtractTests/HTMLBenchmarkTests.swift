import Foundation
import QuarryCore
import QuarryExtract
import Testing

/// Tools for measuring and inspecting the HTML extractor, run only when asked:
///
/// - `QUARRY_BENCHMARK=1 QUARRY_BENCHMARK_HTML_LIST=files.txt swift test --filter HTMLBenchmark`
///   extracts every file the list names (one path a line) `QUARRY_BENCHMARK_ROUNDS` times (default 3)
///   and prints pages per second (`Benchmarks/extraction/html_benchmark.sh` runs it beside xmllint and lxml);
/// - `QUARRY_HTML_DUMP=page.html swift test --filter HTMLBenchmark` prints the title, blocks and links.
struct HTMLBenchmarkTests {
    static let environment = ProcessInfo.processInfo.environment

    @Test(.disabled(if: environment["QUARRY_BENCHMARK"] != "1", "set QUARRY_BENCHMARK=1 to run"))
    func pagesPerSecond() throws {
        let list = try #require(
            Self.environment["QUARRY_BENCHMARK_HTML_LIST"],
            "QUARRY_BENCHMARK_HTML_LIST names a file"
        )
        let paths = try String(contentsOfFile: list, encoding: .utf8).split(separator: "\n").map(String.init)
        let rounds = Int(Self.environment["QUARRY_BENCHMARK_ROUNDS"] ?? "") ?? 3
        let files = try paths.map { try Data(contentsOf: URL(fileURLWithPath: $0)) }
        let extractor = HTMLExtractor()
        var blocks = 0
        var characters = 0
        for file in files {  // warm-up, and what was extracted
            let document = try extractor.extract(file)
            blocks += document.blocks.count
            characters += document.blocks.reduce(0) { $0 + $1.text.count }
        }
        let clock = ContinuousClock()
        var best = Duration.seconds(1_000_000)
        for _ in 0..<rounds {
            let elapsed = try clock.measure {
                for file in files { _ = try extractor.extract(file) }
            }
            best = min(best, elapsed)
        }
        let seconds = Double(best.components.seconds) + Double(best.components.attoseconds) / 1e18
        print(
            "QUARRY_BENCHMARK files=\(files.count) blocks=\(blocks) characters=\(characters) "
                + "best_of=\(rounds) seconds=\(String(format: "%.3f", seconds)) "
                + "pages_per_second=\(String(format: "%.1f", Double(files.count) / seconds))"
        )
        #expect(blocks > 0)
    }

    @Test(.disabled(if: environment["QUARRY_HTML_DUMP"] == nil, "set QUARRY_HTML_DUMP=page.html to print it"))
    func dump() throws {
        let path = try #require(Self.environment["QUARRY_HTML_DUMP"])
        let document = try HTMLExtractor().extract(Data(contentsOf: URL(fileURLWithPath: path)))
        print("title: \(document.title ?? "(none)")")
        for warning in document.warnings { print("warning: \(warning)") }
        for block in document.blocks {
            print("[\(block.kind)] \(block.text.replacingOccurrences(of: "\n", with: "⏎"))")
        }
        print("links: \(document.links.count): \(document.links.prefix(20).joined(separator: " "))")
    }
}
