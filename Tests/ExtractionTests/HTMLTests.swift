import Foundation
import Testing
@testable import Extraction

@Suite struct HTMLTests {
    func html(_ source: String, fileName: String = "trang.html", mediaType: String? = nil) throws -> ExtractedDocument {
        try Extractor().extract(utf8(source), fileName: fileName, mediaType: mediaType)
    }

    /// A news page around a seed: site chrome in <head>, script, style, noscript, template,
    /// nested divs, entities.
    static func newsPage(_ paragraphs: [String]) -> String {
        var body = ""
        for (i, p) in paragraphs.enumerated() {
            let escaped = escapeXML(p)
            body += i % 2 == 0
                ? "<div class=\"a\"><div><div><p>\(escaped)</p></div></div></div>\n"
                : "<p>\n   \(escaped.replacingOccurrences(of: " ", with: "\n  "))\n</p>"
        }
        return """
            <!DOCTYPE html>
            <html lang="vi">
            <head>
              <meta charset="utf-8">
              <title>
                Thanh   Hoá
              </title>
              <meta name="description" content="Ký kết chương trình phối hợp">
              <meta name="author" content="Sở TT&amp;TT Thanh Hóa">
              <meta property="og:title" content="Ký kết phối hợp">
              <meta property="article:published_time" content="2022-09-24T08:00:00+07:00">
              <meta name="viewport" content="width=device-width">
              <style>p { color: red }</style>
              <script>var tracking = 1;</script>
            </head>
            <body>
              <script>alert(1)</script>
              <style>.x{display:none}</style>
              <noscript>Bật JavaScript</noscript>
              <template><p>mẫu ẩn</p></template>
              <div hidden>ẩn đi</div>
              <h1>Tin tức</h1>
              \(body)
              <p>Sở TT&amp;TT &lt;Thanh&nbsp;Hoá&gt; &#7889; &#x1EC7; &quot;trích&quot;</p>
            </body>
            </html>
            """
    }

    @Test(arguments: Seeds.names)
    func seedInsideANewsPage(name: String) throws {
        let paragraphs = try Seeds.paragraphs(name)
        let doc = try html(Self.newsPage(paragraphs))
        #expect(doc.mediaType == "text/html; charset=utf-8")
        #expect(doc.title == "Thanh Hoá")
        let expected = (["Tin tức"] + paragraphs + ["Sở TT&TT <Thanh Hoá> ố ệ \"trích\""]).joined(separator: "\n\n")
        #expect(doc.text == expected)
        for hidden in ["alert", "tracking", "color", "display", "JavaScript", "mẫu ẩn", "ẩn đi"] {
            #expect(!doc.text.contains(hidden), "\(hidden) leaked into the text")
        }
        #expect(doc.properties == [
            "description": "Ký kết chương trình phối hợp",
            "author": "Sở TT&TT Thanh Hóa",
            "og:title": "Ký kết phối hợp",
            "article:published_time": "2022-09-24T08:00:00+07:00",
            "date": "2022-09-24T08:00:00+07:00",
            "language": "vi",
        ])
    }

    @Test(arguments: [
        ("<p>một <b>hai</b>   ba</p><p>bốn</p>", "một hai ba\n\nbốn"),
        ("<ul><li>x</li><li>y <i>z</i></li></ul>", "x\ny z"),
        ("a<br>b<br><br>c<br><br><br><br>d", "a\nb\n\nc\n\nd"),
        ("<span>liền</span><span>nhau</span> <span>cách</span>", "liềnnhau cách"),
        ("<div><div><div>sâu</div></div></div><div>kế</div>", "sâu\nkế"),
        ("<table><tr><th>Số</th><th>Ngày</th></tr><tr><td>45/2010/NĐ-CP</td><td>21/4/2010</td></tr></table>",
         "Số\tNgày\n45/2010/NĐ-CP\t21/4/2010"),
        ("<p>trước</p><pre>  mã   giữ\n    thụt lề</pre><p>sau</p>", "trước\n\n  mã   giữ\n    thụt lề\n\nsau"),
        ("<h2>Điều 1</h2>Nội dung<h3>Điều 2</h3>", "Điều 1\n\nNội dung\n\nĐiều 2"),
        ("<p>a</p><!-- bình luận --><p>b</p>", "a\n\nb"),
        ("<p>x&nbsp;&nbsp;&nbsp;y</p>", "x y"),
        ("<p>a</p><p></p><p> </p><div></div><p>b</p>", "a\n\nb"),
        ("<blockquote>trích</blockquote>tiếp", "trích\n\ntiếp"),
        ("<p>chữ<img src=x.jpg alt=ảnh>chữ</p><select><option>Hà Nội</option></select>", "chữchữ"),
        ("<p>unclosed <b>bold <i>both</p><p>next", "unclosed bold both\n\nnext"),
    ] as [(String, String)])
    func layout(source: String, expected: String) throws {
        #expect(try html("<html><body>" + source + "</body></html>").text == expected)
    }

    @Test func titleFallsBackToFirstH1() throws {
        let doc = try html("<html><head><title>  </title></head><body><h1> Quyết định   <b>số 5632</b></h1><h1>khác</h1></body></html>")
        #expect(doc.title == "Quyết định số 5632")
        let none = try html("<html><body><p>không tiêu đề</p></body></html>")
        #expect(none.title == nil)
        #expect(none.properties.isEmpty)
    }

    @Test func windows1252DeclaredInMeta() throws {
        // "Café “déjà” – naïve" in windows-1252.
        let body: [UInt8] = [0x43, 0x61, 0x66, 0xE9, 0x20, 0x93, 0x64, 0xE9, 0x6A, 0xE0, 0x94, 0x20, 0x96, 0x20,
                             0x6E, 0x61, 0xEF, 0x76, 0x65]
        for head in ["<meta charset=\"windows-1252\">",
                     "<meta http-equiv=\"Content-Type\" content=\"text/html; charset=ISO-8859-1\">",
                     "<META CHARSET=latin1>"] {
            let bytes = utf8("<!DOCTYPE html><html><head>\(head)<title>T</title></head><body><p>") + body
                + utf8("</p></body></html>")
            let doc = try Extractor().extract(bytes, fileName: "cu.html")
            #expect(doc.text == "Café “déjà” – naïve", "\(head)")
            #expect(doc.mediaType == "text/html; charset=windows-1252")
        }
    }

    @Test func charsetFromTheMediaTypeHint() throws {
        let bytes = utf8("<html><body><p>Thanh Ho") + [0xE1] + utf8("</p></body></html>")
        let doc = try Extractor().extract(bytes, fileName: nil, mediaType: "text/html; charset=iso-8859-1")
        #expect(doc.text == "Thanh Hoá")
        // Without the hint it is UTF-8, and 0xE1 there is invalid.
        #expect(extractionFailure(bytes, fileName: "a.html")?.hasPrefix("invalid UTF-8 at byte 23 (0xE1), and the bytes do not read as a Vietnamese legacy encoding") == true)
    }

    @Test func vietnameseWindows1258() throws {
        // "Việt Nam, Thanh Hoá" in windows-1258: ê (0xEA) + combining dot below (0xF2), á is 0xE1.
        let body: [UInt8] = [0x56, 0x69, 0xEA, 0xF2, 0x74, 0x20, 0x4E, 0x61, 0x6D, 0x2C, 0x20,
                             0x54, 0x68, 0x61, 0x6E, 0x68, 0x20, 0x48, 0x6F, 0xE1]
        let bytes = utf8("<html><head><meta charset=windows-1258></head><body>") + body + utf8("</body></html>")
        let doc = try Extractor().extract(bytes, fileName: "a.htm")
        #expect(doc.text == "Việt Nam, Thanh Hoá")
        #expect(doc.mediaType == "text/html; charset=windows-1258")
    }

    @Test func unknownCharsetIsAnError() {
        let bytes = utf8("<html><head><meta charset=\"x-khong-co\"></head><body>a</body></html>")
        #expect(extractionFailure(bytes, fileName: "a.html") == "the HTML page uses an unsupported charset \"x-khong-co\"")
    }

    @Test func utf16WithBOM() throws {
        let source = "<html><body><p>Thanh Hoá</p></body></html>"
        let bytes: [UInt8] = [0xFF, 0xFE] + source.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        let doc = try Extractor().extract(bytes, fileName: "u16.html")
        #expect(doc.text == "Thanh Hoá")
    }

    @Test func invalidAndBinaryInput() {
        let bad = utf8("<html><body>ab") + [0xFF] + utf8("</body></html>")
        #expect(extractionFailure(bad, fileName: "a.html")?.hasPrefix("invalid UTF-8 at byte 14 (0xFF)") == true)
        #expect(extractionFailure(utf8("<html>") + [0, 1, 2], fileName: "a.html") == "binary content (NUL byte at offset 6), not text")
        #expect(extractionFailure([], fileName: "a.html") == "the file is empty")
        #expect(extractionFailure(utf8("<html><head><title>Chỉ tiêu đề</title></head><body><script>x()</script></body></html>"),
                                  fileName: "a.html") == "no text: the HTML page has no visible text")
    }

    @Test(arguments: [10_000, 100_000])
    func deepNestingDoesNotCrash(depth: Int) throws {
        let source = "<html><body>" + String(repeating: "<div>", count: depth) + "đáy sâu"
            + String(repeating: "</div>", count: depth) + "<p>sau</p></body></html>"
        let doc = try html(source)
        #expect(doc.text == "đáy sâu\n\nsau")
    }

    @Test func unclosedInlineTagsNestDeeply() throws {
        // Old generated pages repeat unclosed <font> tags; libxml2 nests each one.
        let source = "<html><body>" + String(repeating: "<font size=2>chữ ", count: 5_000) + "<p>cuối</p></body></html>"
        let doc = try html(source)
        #expect(doc.text.hasSuffix("chữ\n\ncuối"))
        #expect(doc.text.components(separatedBy: "chữ").count == 5_001)
    }

    @Test func textNodeLargerThanTenMegabytesIsKept() throws {
        let big = String(repeating: "Thanh Hoá ", count: 1_200_000)
        let doc = try html("<html><body><pre>" + big + "</pre><p>sau</p></body></html>")
        #expect(doc.text.utf8.count > 12_000_000)
        #expect(doc.text.hasSuffix("Thanh Hoá\n\nsau"))
    }

    @Test func fiveMegabytePageIsFast() throws {
        let paragraphs = try Seeds.paragraphs(Seeds.names[3])
        var page = "<html><head><title>lớn</title></head><body>"
        var n = 0
        while page.utf8.count < 5_000_000 {
            page += "<div class=\"post\"><h2>Tin \(n)</h2><p>\(escapeXML(paragraphs[n % paragraphs.count]))</p>"
                + "<ul><li><a href=\"/tin/\(n)\">Liên kết</a></li></ul><script>t(\(n))</script></div>\n"
            n += 1
        }
        page += "</body></html>"
        let doc = try html(page)
        #expect(doc.text.contains("Tin \(n - 1)"))
        #expect(!doc.text.contains("t(1)"))
    }

    @Test func concurrentExtractionIsSafe() async throws {
        let pages = try Seeds.names.map { try Self.newsPage(Seeds.paragraphs($0)) }
        let expected = try pages.map { try html($0).text }
        try await withThrowingTaskGroup(of: (Int, String).self) { group in
            for i in 0..<200 {
                group.addTask {
                    let k = i % pages.count
                    return (k, try Extractor().extract(utf8(pages[k]), fileName: "p.html").text)
                }
            }
            for try await (k, text) in group {
                #expect(text == expected[k])
            }
        }
    }
}
