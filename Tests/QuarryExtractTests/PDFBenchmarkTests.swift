import Foundation
import QuarryCore
import QuarryExtract
import Testing

/// Tools for measuring and inspecting the PDF extractor, run only when asked:
///
/// - `QUARRY_BENCHMARK=1 QUARRY_BENCHMARK_PDFS="a.pdf b.pdf" swift test --skip-build --filter PDFBenchmark`
///   extracts each file `QUARRY_BENCHMARK_ROUNDS` times (default 3) and prints pages per second
///   (`Benchmarks/extraction/pdf_benchmark.sh` runs it beside pdftotext and pypdf);
/// - `QUARRY_PDF_DUMP=file.pdf swift test --skip-build --filter PDFBenchmark` prints the blocks;
/// - `QUARRY_PDF_LEAK_CHECK=1 swift test --skip-build --filter PDFBenchmark` extracts good, encrypted
///   and damaged PDFs 1,000 times each and prints the resident memory before and after.
struct PDFBenchmarkTests {
    static let environment = ProcessInfo.processInfo.environment

    @Test(.disabled(if: environment["QUARRY_BENCHMARK"] != "1", "set QUARRY_BENCHMARK=1 to run"))
    func pagesPerSecond() throws {
        let paths = try #require(Self.environment["QUARRY_BENCHMARK_PDFS"], "QUARRY_BENCHMARK_PDFS lists the files")
            .split(separator: " ").map(String.init)
        let rounds = Int(Self.environment["QUARRY_BENCHMARK_ROUNDS"] ?? "") ?? 3
        let files = try paths.map { try Data(contentsOf: URL(fileURLWithPath: $0)) }
        let extractor = PDFExtractor()
        var pages = 0
        var blocks = 0
        for file in files {  // warm-up, and the page count
            let document = try extractor.extract(file)
            pages += Set(document.blocks.compactMap(\.page)).count
            blocks += document.blocks.count
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
            "QUARRY_BENCHMARK files=\(files.count) pages_with_text=\(pages) blocks=\(blocks) "
                + "best_of=\(rounds) seconds=\(String(format: "%.3f", seconds)) "
                + "pages_per_second=\(String(format: "%.1f", Double(pages) / seconds))"
        )
        #expect(pages > 0)
    }

    @Test(.disabled(if: environment["QUARRY_PDF_DUMP"] == nil, "set QUARRY_PDF_DUMP=file.pdf to print its blocks"))
    func dump() throws {
        let path = try #require(Self.environment["QUARRY_PDF_DUMP"])
        let document = try PDFExtractor().extract(fileAt: path)
        print("title: \(document.title ?? "(none)")")
        for warning in document.warnings { print("warning: \(warning)") }
        for block in document.blocks {
            print("[p\(block.page ?? 0) \(block.kind)] \(block.text.replacingOccurrences(of: "\n", with: "⏎"))")
        }
    }

    @Test(.disabled(if: environment["QUARRY_PDF_LEAK_CHECK"] != "1", "set QUARRY_PDF_LEAK_CHECK=1 to run"))
    func residentMemoryStaysFlat() throws {
        let inputs = try [
            PDFFixtures.data("handbook.pdf"), PDFFixtures.data("handbook-encrypted.pdf"),
            PDFFixtures.data("handbook-truncated.pdf"), PDFFixtures.data("scanned.pdf"),
            Data("%PDF-1.7\n".utf8) + Data(repeating: 0x41, count: 4096),
        ]
        let path = try PDFFixtures.path("handbook.pdf")
        let extractor = PDFExtractor()
        func round() {
            for input in inputs { _ = try? extractor.extract(input) }
            _ = try? extractor.extract(fileAt: path)
        }
        for _ in 0..<100 { round() }  // let allocators and caches settle
        let before = Self.residentKilobytes()
        for _ in 0..<1000 { round() }
        let after = Self.residentKilobytes()
        print("QUARRY_PDF_LEAK_CHECK rounds=1000 extractions=6000 rss_before_kb=\(before) rss_after_kb=\(after)")
        #expect(after - before < 8 * 1024, "resident memory grew by \(after - before) kB over 6,000 extractions")
    }

    /// The process's resident set size, from /proc/self/statm.
    private static func residentKilobytes() -> Int {
        guard let statm = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return 0 }
        let fields = statm.split(separator: " ")
        guard fields.count > 1, let pages = Int(fields[1]) else { return 0 }
        return pages * sysconf(Int32(_SC_PAGESIZE)) / 1024
    }
}
