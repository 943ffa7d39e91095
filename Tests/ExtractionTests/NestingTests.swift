import Foundation
import Testing
@testable import Extraction

/// Hostile nesting and unclosed openers, one battery per format, at about 1 MB each: every
/// extractor does work linear in its input, so each completes and gives exactly the text a
/// reader would see. (A quadratic path at this size takes tens of minutes: `'> ' * 80000`,
/// 160 KB, once took 46 s.) No wall-clock assertion: the suite's time limit only stops a
/// regression from hanging the run; `scripts/bench/bench-nesting` measures the growth.
@Suite(.timeLimit(.minutes(3))) struct NestingTests {
    let megabyte = 1 << 20

    func extract(_ source: String, _ fileName: String) throws -> ExtractedDocument {
        try Extractor().extract(utf8(source), fileName: fileName)
    }

    func repeated(_ unit: String, toBytes n: Int) -> String {
        String(repeating: unit, count: n / unit.utf8.count)
    }

    // MARK: Markdown

    @Test func markdownQuoteNestingKeepsTheText() throws {
        // 500,000 levels of "> ", then Vietnamese text in NFD (decomposed tone marks).
        let text = "Thanh Hoa\u{0301} ky\u{0301} ke\u{0302}\u{0301}t"
        let doc = try extract(repeated("> ", toBytes: megabyte) + text + "\n", "q.md")
        #expect(doc.text == text, "the quote markers are gone, the NFD text is as stored")
    }

    @Test func markdownUnclosedLinksStayText() throws {
        let source = repeated("[a](", toBytes: megabyte)
        #expect(try extract(source, "l.md").text == source)
        let images = repeated("![Hà Nội](", toBytes: megabyte)
        #expect(try extract(images, "i.md").text == images)
    }

    @Test func markdownDeeplyNestedLinksKeepTheirLabel() throws {
        let depth = megabyte / 5
        let source = String(repeating: "[", count: depth) + "Sở Tư pháp" + String(repeating: "](u)", count: depth)
        let text = try extract(source, "n.md").text
        #expect(text.contains("Sở Tư pháp"))
        // The outer links (up to the nesting bound) lose their markup: shorter than the input.
        #expect(text.utf8.count < source.utf8.count)
        let unclosed = String(repeating: "[", count: megabyte)
        #expect(try extract(unclosed + "x", "u.md").text == unclosed + "x")
    }

    @Test func markdownBacktickRunsOfEveryLength() throws {
        // Runs of 1, 2, 3, ... backticks, none closed (each length occurs once).
        var source = ""
        var k = 1
        while source.utf8.count < megabyte { source += String(repeating: "`", count: k) + "đ"; k += 1 }
        #expect(try extract(source, "c.md").text == source)
    }

    @Test(arguments: ["<!--", "<!", "<a \"", "<span title='", "&#x", "*a _", "**_~~", "\\"])
    func markdownUnclosedInlineOpeners(_ unit: String) throws {
        let source = repeated(unit + "chữ ", toBytes: megabyte)
        let doc = try extract(source, "o.md")
        #expect(doc.text.contains("chữ"))
        #expect(doc.text.utf8.count <= source.utf8.count)
    }

    @Test func markdownManyListAndHeadingLines() throws {
        let source = repeated("- # **Điều 1.** `x` [a](b)\n", toBytes: megabyte)
        let lines = try extract(source, "h.md").text.split(separator: "\n")
        #expect(lines.count == megabyte / "- # **Điều 1.** `x` [a](b)\n".utf8.count)
        #expect(lines.allSatisfy { $0 == "# Điều 1. x a" })
    }

    // MARK: HTML

    @Test(arguments: ["<div>", "<b><i>", "<table><tr><td>", "<ul><li>", "<blockquote>", "<span class=a>"])
    func htmlNesting(_ open: String) throws {
        let doc = try extract(repeated(open, toBytes: megabyte) + "Thanh Hóa", "d.html")
        #expect(doc.text.contains("Thanh Hóa"))
        #expect(doc.text.replacingOccurrences(of: "\n", with: "").trimmingCharacters(in: .whitespaces).hasSuffix("Thanh Hóa"))
    }

    @Test func htmlManyParagraphs() throws {
        let unit = "<p>Hà Nội"
        let doc = try extract(repeated(unit, toBytes: megabyte), "p.html")
        let lines = doc.text.split(separator: "\n")
        #expect(lines.count == megabyte / unit.utf8.count)
        #expect(lines.allSatisfy { $0 == "Hà Nội" })
    }

    @Test func htmlUnclosedComment() throws {
        // Everything after an unclosed "<!--" is a comment: the text before it stays.
        let doc = try extract("<p>Hà Nội</p>" + repeated("<!--", toBytes: megabyte), "c.html")
        #expect(doc.text == "Hà Nội")
    }

    // MARK: DOCX

    @Test func docxDeepNestingIsAClearError() throws {
        // Structured-document tags nested far beyond any real document: refused as malformed,
        // with the reason, in linear time.
        let depth = 40_000
        let body = String(repeating: "<w:sdt><w:sdtContent>", count: depth) + DOCX.paragraph("Hà Nội")
            + String(repeating: "</w:sdtContent></w:sdt>", count: depth)
        let reason = try #require(extractionFailure(try DOCX.make(body: body), fileName: "d.docx"))
        #expect(reason.contains("word/document.xml"), "\(reason)")
    }

    @Test func docxManyParagraphsAndRuns() throws {
        let paragraph = "<w:p>" + String(repeating: "<w:r><w:t>Hà</w:t></w:r><w:r><w:tab/></w:r>", count: 50) + "</w:p>"
        let count = megabyte / paragraph.utf8.count
        let doc = try Extractor().extract(try DOCX.make(body: String(repeating: paragraph, count: count)), fileName: "p.docx")
        let lines = doc.text.split(separator: "\n")
        #expect(lines.count == count)
        #expect(lines.first == Substring(Array(repeating: "Hà", count: 50).joined(separator: "\t")))
    }

    // MARK: Plain text

    @Test func plainTextLineEndings() throws {
        let unit = "Thanh Hóa\r"
        let doc = try extract(repeated(unit, toBytes: megabyte), "t.txt")
        #expect(doc.text.split(separator: "\n").count == megabyte / unit.utf8.count)
        let wide = String(repeating: " \t", count: megabyte / 2) + "Hà Nội"
        #expect(try extract(wide, "w.txt").text.hasSuffix("Hà Nội"))
    }

    // MARK: Time budget

    @Test func timeBudgetNamesTheReason() throws {
        // A zero budget: the first clock reading is past it. The error says why.
        let extractor = Extractor(limits: ExtractionLimits(timeBudgetSeconds: 0))
        #expect(throws: ExtractionError.self) { try extractor.extract(utf8("# Tiêu đề\n\nNội dung"), fileName: "a.md") }
        do {
            _ = try extractor.extract(utf8("<p>Hà Nội</p>"), fileName: "a.html")
            Issue.record("a zero budget refuses the page")
        } catch {
            #expect(error.kind == .failed)
            #expect(error.reason.contains("time budget of 0 s per document"))
        }
    }
}
