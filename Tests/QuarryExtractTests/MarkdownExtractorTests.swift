import QuarryCore
import QuarryExtract
import Testing

struct MarkdownExtractorTests {
    let extractor = MarkdownExtractor()

    @Test func headingsParagraphsAndListsKeepTheirStructure() {
        let document = extractor.extract(
            """
            # Paid Time Off

            Full-time employees receive **27 days** of paid annual leave
            per year, plus public holidays.

            ## Booking leave

            - Book in [Leavely](https://leavely.example) at least
              two weeks ahead.
            - Tell your manager.

            Setext heading
            --------------
            Text under it.
            """
        )
        #expect(document.title == "Paid Time Off")
        #expect(
            document.blocks == [
                TextBlock(.heading(level: 1), "Paid Time Off"),
                TextBlock(
                    .paragraph,
                    "Full-time employees receive 27 days of paid annual leave per year, plus public holidays."
                ),
                TextBlock(.heading(level: 2), "Booking leave"),
                TextBlock(.listItem, "Book in Leavely at least two weeks ahead."),
                TextBlock(.listItem, "Tell your manager."),
                TextBlock(.heading(level: 2), "Setext heading"),
                TextBlock(.paragraph, "Text under it."),
            ]
        )
    }

    @Test func tableRowsNameTheirColumns() {
        let document = extractor.extract(
            """
            | Level | GBP range | USD range |
            |:------|----------:|-----------|
            | L4 | £62,000 – £78,000 | $118,000 – $152,000 |
            | L5 | | $150,000 |
            """
        )
        #expect(
            document.blocks == [
                TextBlock(.tableRow, "Level: L4; GBP range: £62,000 – £78,000; USD range: $118,000 – $152,000"),
                TextBlock(.tableRow, "Level: L5; USD range: $150,000"),
            ]
        )
    }

    @Test func inlineMarkupIsRemovedButSnakeCaseAndArithmeticStay() {
        let document = extractor.extract(
            "Run `make deploy` with *care*; set __FLAG__ and fleet_controller_id, compute 2 * 3 &amp; see ![diagram](x.png) <b>now</b> <https://status.example>."
        )
        #expect(
            document.blocks.map(\.text) == [
                "Run make deploy with care; set FLAG and fleet_controller_id, compute 2 * 3 & see diagram now https://status.example."
            ]
        )
    }

    @Test func fencedCodeFrontMatterAndCommentsAreHandled() {
        let document = extractor.extract(
            """
            ---
            title: "On-call runbook"
            owner: platform
            ---
            <!-- internal note
            not for readers -->
            ```bash
            pagerbell ack --incident 42
            ```
            > Quoted advice
            > continues here.
            """
        )
        #expect(document.title == "On-call runbook")
        #expect(
            document.blocks == [
                TextBlock(.code, "pagerbell ack --incident 42"),
                TextBlock(.paragraph, "Quoted advice continues here."),
            ]
        )
    }

    @Test(arguments: [
        "", "\n\n\n", "####### not a heading", "| lonely | pipe", "[unclosed link(", "```\nunterminated fence",
    ])
    func malformedMarkdownGivesDefinedResults(markdown: String) {
        let document = extractor.extract(markdown)
        #expect(document.blocks.allSatisfy { !$0.text.isEmpty })
    }
}
