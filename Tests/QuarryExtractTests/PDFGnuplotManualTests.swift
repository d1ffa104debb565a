import Foundation
import QuarryCore
import QuarryExtract
import Testing

/// The gnuplot manual (gnuplot-doc, pdfTeX, 311 pages): a header that alternates sides with the
/// page number beside it, a four-level outline, many code examples.
struct PDFGnuplotManualTests {
    let path = PDFFixtures.gnuplotManual

    @Test func runningHeadersGoAndHeadingsLandOnTheirPages() throws {
        let document = try PDFExtractor().extract(PDFFixtures.installed(path))
        #expect(document.title == "gnuplot documentation")
        // "30   gnuplot 5.4" on even pages, "gnuplot 5.4   31" on odd pages: only the cover keeps it.
        let headers = document.blocks.filter { $0.text.contains("gnuplot 5.4") && $0.text.count < 20 }
        #expect(headers.map(\.page) == [1])
        let voxels = try #require(document.blocks.firstIndex { $0.text == "Voxel grids" })
        #expect(document.blocks[voxels].kind == .heading(level: 4))
        #expect(document.blocks[voxels].page == 23)
        #expect(document.blocks[voxels + 1].text == "Gnuplot now supports operations based on 3D grids of voxel data.")
        // Code examples keep their lines.
        #expect(document.blocks.contains { $0.text.hasPrefix("set data linespoints\nplot ’file’ thru f(x)") })
    }
}
