import ArgumentParser
import Foundation
import QuarryCore
import QuarryExtract

/// Measuring tools for the benchmarks in `Benchmarks/`, run on the release binary that `make run`
/// builds.
struct Bench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure Quarry's components (used by the scripts in Benchmarks/).",
        subcommands: [Extract.self]
    )

    struct Extract: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Extract files as a sync would, several rounds, and print the best time.",
            discussion: """
                Each file is read into memory first; the time is extraction only (format detection,
                decoding, parsing, blocks), as DocumentExtractor does it during a sync. The last line is
                QUARRY_BENCHMARK files=N pages=P blocks=B characters=C best_of=R seconds=S, where pages
                counts a PDF's pages with text and every other file as one page. --dump prints the
                title, warnings, blocks and links of each file instead.
                """
        )

        @Option(help: "Passes over all the files; the fastest is reported.")
        var rounds = 3

        @Option(help: "A file listing the files to extract, one path a line.")
        var list: String?

        @Flag(help: "Print what is extracted from each file instead of timing it.")
        var dump = false

        @Argument(help: "Files to extract.")
        var files: [String] = []

        func run() throws {
            var paths = files
            if let list {
                paths += try String(contentsOfFile: list, encoding: .utf8).split(separator: "\n").map(String.init)
            }
            guard !paths.isEmpty else { throw ValidationError("give files to extract, or --list FILE") }
            let documents = try paths.map { path in
                (
                    path, try Data(contentsOf: URL(fileURLWithPath: path)),
                    ContentType(fileExtension: (path as NSString).pathExtension)
                )
            }
            let extractor = DocumentExtractor()
            if dump {
                for (path, data, type) in documents {
                    try Self.dump(path, try extractor.extract(.data(data), contentType: type, fileName: path))
                }
                return
            }
            var pages = 0
            var blocks = 0
            var characters = 0
            for (path, data, type) in documents {  // warm-up, and what was extracted
                let document = try extractor.extract(.data(data), contentType: type, fileName: path)
                pages += max(1, Set(document.blocks.compactMap(\.page)).count)
                blocks += document.blocks.count
                characters += document.blocks.reduce(0) { $0 + $1.text.unicodeScalars.count }
            }
            let clock = ContinuousClock()
            var best = Duration.seconds(1_000_000)
            for _ in 0..<max(1, rounds) {
                let elapsed = try clock.measure {
                    for (path, data, type) in documents {
                        _ = try extractor.extract(.data(data), contentType: type, fileName: path)
                    }
                }
                best = min(best, elapsed)
            }
            let seconds = Double(best.components.seconds) + Double(best.components.attoseconds) / 1e18
            print(
                "QUARRY_BENCHMARK files=\(documents.count) pages=\(pages) blocks=\(blocks) characters=\(characters) "
                    + "best_of=\(max(1, rounds)) seconds=\(String(format: "%.3f", seconds))"
            )
        }

        private static func dump(_ path: String, _ document: ExtractedDocument) throws {
            print("== \(path)")
            print("title: \(document.title ?? "(none)")")
            for warning in document.warnings { print("warning: \(warning)") }
            for block in document.blocks {
                let page = block.page.map { "p\($0) " } ?? ""
                print("[\(page)\(block.kind)] \(block.text.replacingOccurrences(of: "\n", with: "⏎"))")
            }
            print("links: \(document.links.count)")
        }
    }
}
