import Foundation
import Testing
@testable import Extraction

@Suite struct MarkdownTests {
    func md(_ source: String) throws -> ExtractedDocument {
        try Extractor().extract(utf8(source), fileName: "van-ban.md")
    }

    @Test(arguments: [
        ("**Chương I** và *QUY ĐỊNH* chung", "Chương I và QUY ĐỊNH chung"),
        ("__đậm__ và _nghiêng_", "đậm và nghiêng"),
        ("***cả hai*** cùng lúc", "cả hai cùng lúc"),
        ("**a** and **b**", "a and b"),
        ("ten_bien_snake_case và file_name.txt", "ten_bien_snake_case và file_name.txt"),
        ("2 * 3 * 4 = 24", "2 * 3 * 4 = 24"),
        ("Các trường bắt buộc được đánh dấu *", "Các trường bắt buộc được đánh dấu *"),
        ("a*b*c", "abc"),
        ("**không đóng", "**không đóng"),
        ("* mục một", "mục một"),
        ("- mục hai", "mục hai"),
        ("+ mục ba", "mục ba"),
        ("- [x] đã xong", "đã xong"),
        ("1. Chương trình phối hợp", "1. Chương trình phối hợp"),
        ("[Sở TT&TT](https://stttt.thanhhoa.gov.vn/a_(b)) tỉnh", "Sở TT&TT tỉnh"),
        ("[**đậm** trong liên kết](http://x.vn)", "đậm trong liên kết"),
        ("xem [tài liệu][1] nhé", "xem tài liệu nhé"),
        ("![Toàn cảnh buổi lễ ký kết](anh/le-ky.jpg)", "Toàn cảnh buổi lễ ký kết"),
        ("`mã **nguồn**` giữ nguyên", "mã **nguồn** giữ nguyên"),
        ("``có ` dấu``", "có ` dấu"),
        ("chữ <b>đậm</b> và <span class=\"x\">thẻ</span>", "chữ đậm và thẻ"),
        ("dòng<br>mới", "dòng\nmới"),
        ("bình luận <!-- ẩn --> xong", "bình luận  xong"),
        ("<https://thanhhoa.gov.vn>", "https://thanhhoa.gov.vn"),
        ("a < b > c", "a < b > c"),
        ("&amp; &lt;tag&gt; &#7889; &#x1EC7; &nbsp;x &unknown;", "& <tag> ố ệ  x &unknown;"),
        ("\\*không nghiêng\\* \\_", "*không nghiêng* _"),
        ("~~gạch bỏ~~ còn lại", "gạch bỏ còn lại"),
        ("# Tiêu đề #", "Tiêu đề"),
        ("### **Điều 5. Hiệp Hội**", "Điều 5. Hiệp Hội"),
        ("#hashtag không phải tiêu đề", "#hashtag không phải tiêu đề"),
        ("> trích dẫn\n> > lồng nhau", "trích dẫn\nlồng nhau"),
        ("trên\n\n---\n\n* * *\n\ndưới", "trên\n\ndưới"),
        ("ngắt dòng  \ncứng\\\nnữa", "ngắt dòng\ncứng\nnữa"),
        ("**SỞ THÔNG TIN  \nGIÁM ĐỐC**", "SỞ THÔNG TIN\nGIÁM ĐỐC"),
        ("[1]: https://x.vn \"tiêu đề\"\nnội dung", "nội dung"),
        ("[Ghi chú]: đây là một câu dài", "[Ghi chú]: đây là một câu dài"),
        ("văn bản[^1]\n\n[^1]: chú thích cuối trang", "văn bản[^1]\n\n[^1]: chú thích cuối trang"),
        ("- mục\n---\nsau", "mục\n\nsau"),
        ("| Cột A | Cột B |\n|---|:---:|\n| **1** | 2 \\| 3 |", "Cột A\tCột B\n1\t2 | 3"),
        ("```swift\nlet x = **1**\n```\nsau", "let x = **1**\nsau"),
        ("~~~\n# không phải tiêu đề\n~~~", "# không phải tiêu đề"),
        ("một\n\n\n\nhai", "một\n\nhai"),
    ] as [(String, String)])
    func markupIsRemoved(source: String, expected: String) throws {
        #expect(try md(source).text == expected)
    }

    @Test func seedWithMarkdownEmphasisAsMarkdown() throws {
        let name = Seeds.names[1]
        let doc = try Extractor().extract(try Seeds.bytes(name), fileName: "001.md")
        #expect(doc.mediaType == "text/markdown; charset=utf-8")
        #expect(doc.title == "CHƯƠNG TRÌNH PHỐI HỢP")
        // An independent oracle for this seed: it only uses "#" headings, "**", "- " bullets
        // and hard breaks.
        let expected = try Seeds.text(name).split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            var l = String(line)
            while l.hasPrefix("#") { l.removeFirst() }
            if l.hasPrefix("- ") { l.removeFirst(2) }
            l = l.replacingOccurrences(of: "**", with: "")
            return l.trimmingCharacters(in: .whitespaces)
        }.joined(separator: "\n")
        #expect(doc.text == TextCleanup.tidyLines(expected))
        #expect(!doc.text.contains("*"))
        #expect(!doc.text.contains("#"))
        #expect(doc.text.contains("\nĐiều 2. Nguyên tắc phối hợp\n"))
        #expect(doc.text.contains("SỞ THÔNG TIN VÀ TRUYỀN THÔNG\nGIÁM ĐỐC"))
        #expect(doc.text.contains("(gọi tắt Sở TT&TT)"))
        #expect(doc.text.hasPrefix("CHƯƠNG TRÌNH PHỐI HỢP\ncông tác truyền thông"))
        #expect(doc.text.hasSuffix("Các VPĐD, PVTT tại Thanh Hóa;\nLưu: Văn phòng Sở TT&TT và HHDN."))
    }

    @Test func seedAsPlainTextKeepsItsMarkup() throws {
        let bytes = try Seeds.bytes(Seeds.names[1])
        let doc = try Extractor().extract(bytes, fileName: Seeds.names[1])
        #expect(doc.text.contains("**CHƯƠNG TRÌNH PHỐI HỢP**"))
    }

    @Test func seedRenderedToMarkdown() throws {
        let paragraphs = try Seeds.paragraphs(Seeds.names[0])
        var source = "# \(paragraphs[0])\n\n"
        for (i, p) in paragraphs.dropFirst().enumerated() {
            let words = p.split(separator: " ")
            switch i % 4 {
            case 0: source += "**\(words[0])** \(words.dropFirst().joined(separator: " "))\n\n"
            case 1: source += "> \(p)\n\n"
            case 2: source += "- \(p)\n\n"
            default:
                source += "[\(words[0])](https://vanban.vn/\(i)) _\(words.dropFirst().joined(separator: " "))_\n\n"
            }
        }
        let doc = try md(source)
        #expect(doc.title == paragraphs[0])
        #expect(doc.text == paragraphs.joined(separator: "\n\n"))
    }

    @Test(arguments: [
        ("# Quyết định 58-NQ/TW\n\n## Phần 1", "Quyết định 58-NQ/TW"),
        ("**CHƯƠNG TRÌNH PHỐI HỢP**  \n**và Hiệp Hội**", "CHƯƠNG TRÌNH PHỐI HỢP"),
        ("Văn bản mở đầu\n\n## Mục lục\n\n# Chính\n", "Chính"),
        ("Văn bản mở đầu\n\n## Mục lục\n", "Mục lục"),
        ("Tiêu đề kiểu setext\n===\n\nnội dung", "Tiêu đề kiểu setext"),
        ("---\ntitle: \"Thông báo số 12\"\nauthor: Sở TT&TT\ndate: 2022-09-24\n---\n# Khác\nnội dung", "Thông báo số 12"),
        ("**đậm** một phần", nil),
        ("chỉ có chữ", nil),
    ] as [(String, String?)])
    func titles(source: String, title: String?) throws {
        #expect(try md(source).title == title)
    }

    @Test func frontMatterBecomesMetadataNotText() throws {
        let doc = try md("---\ntitle: Thông báo\nauthor: Sở TT&TT\ndate: 2022-09-24\nlayout: post\n---\nNội dung thông báo.")
        #expect(doc.text == "Nội dung thông báo.")
        #expect(doc.properties == ["author": "Sở TT&TT", "date": "2022-09-24"])
    }

    @Test func markdownMustBeUTF8() {
        #expect(extractionFailure([0x23, 0x20, 0xC3, 0x28], fileName: "a.md")?.hasPrefix("invalid UTF-8 at byte 2 (0xC3)") == true)
        #expect(extractionFailure([], fileName: "a.md") == "the file is empty")
        #expect(extractionFailure(utf8("---\n\n***\n<!-- x -->\n"), fileName: "a.md") == "no text: the Markdown contains only markup")
    }

    @Test(.timeLimit(.minutes(1))) func pathologicalEmphasisIsNotQuadratic() throws {
        let source = String(repeating: "*a _b ", count: 20_000) + String(repeating: "c* ", count: 20_000)
        // A quadratic parser would not finish within the suite's time limit; a linear one
        // takes well under a second.
        let doc = try md(source)
        #expect(doc.text.contains("a"))
    }
}
