import Foundation
import Testing

/// The PDFs the PDF tests read: committed fixtures, and real documents from Debian packages that
/// `scripts/setup.sh` installs.
enum PDFFixtures {
    /// A committed fixture under `Fixtures/pdf/`.
    static func data(_ name: String) throws -> Data {
        try Data(contentsOf: URL(fileURLWithPath: path(name)))
    }

    static func path(_ name: String) throws -> String {
        let url = URL(fileURLWithPath: name)
        let path = Bundle.module.path(
            forResource: url.deletingPathExtension().lastPathComponent,
            ofType: url.pathExtension,
            inDirectory: "Fixtures/pdf"
        )
        return try #require(path, "fixture \(name) is missing")
    }

    /// Debian's Developer's Reference (package developers-reference, 114 pages, pdfTeX via Sphinx):
    /// running headers and footers, an outline three levels deep, hyphenation.
    static let developersReference = "/usr/share/developers-reference/developers-reference.pdf"
    /// gnuplot's manual (package gnuplot-doc, 311 pages, pdfTeX).
    static let gnuplotManual = "/usr/share/doc/gnuplot/gnuplot.pdf"

    /// A PDF installed by a Debian package; the test fails (not skips) when it is missing.
    static func installed(_ path: String) throws -> Data {
        try #require(
            FileManager.default.fileExists(atPath: path),
            "\(path) is missing: run scripts/setup.sh, which installs the Debian packages the PDF tests read"
        )
        return try Data(contentsOf: URL(fileURLWithPath: path))
    }

    /// The text of one page as `pdftotext` (poppler-utils) prints it, an independent reading of the page.
    static func pdftotext(_ path: String, page: Int) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/pdftotext")
        process.arguments = ["-q", "-f", String(page), "-l", String(page), "-enc", "UTF-8", path, "-"]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: output, as: UTF8.self)
    }
}
