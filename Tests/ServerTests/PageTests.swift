import Foundation
import Hummingbird
import HummingbirdTesting
@testable import Server
import Testing
import VanBanKit

@Suite struct PageTests {
    @Test func emptyPageHasTheFormInVietnamese() async throws {
        let f = try Fixture()
        try await f.test { client in
            let r = try await client.get("/")
            #expect(r.status == .ok)
            #expect(r.headers[.contentType] == "text/html; charset=utf-8")
            #expect(r.headers[.contentSecurityPolicy]?.contains("script-src 'self'") == true)
            let html = r.text
            for label in ["Tìm kiếm", "Nguồn", "Loại", "Từ ngày", "Đến ngày", "Sắp xếp", "lang=\"vi\"", "name=\"viewport\"",
                          "<form class=\"search\" id=\"search-form\" method=\"get\" action=\"/\""] {
                #expect(html.contains(label), "\(label)")
            }
            // no external assets
            #expect(!html.contains("http://") && !html.contains("https://"))
            #expect(!html.contains("<script>"), "no inline scripts")
            let js = try await client.get("/assets/search.js")
            #expect(js.status == .ok)
            #expect(js.headers[.contentType] == "text/javascript; charset=utf-8")
            #expect(js.text.contains("DOMParser"))
        }
    }

    @Test func resultsWithHighlightsCountAndLinks() async throws {
        let f = try Fixture()
        try await f.test { client in
            let r = try await client.get("/?q=thanh+hoa")
            #expect(r.status == .ok)
            let html = r.text
            #expect(html.components(separatedBy: "<li class=\"hit\"").count - 1 == 5)
            #expect(html.contains("<strong class=\"total\">5</strong> kết quả cho “thanh hoa”"))
            #expect(html.contains("<mark>Thanh</mark> <mark>Hóa</mark>"))
            #expect(html.contains("<a href=\"/view/\(f.seedIDs["001_f06a74d7aed0fe0b.txt"]!)?q=thanh%20hoa\">"))
            #expect(html.contains("value=\"thanh hoa\""))

            let none = try await client.get("/?q=khongcogi")
            #expect(none.status == .ok)
            #expect(none.text.contains("Không tìm thấy kết quả nào"))

            let bad = try await client.get("/?q=-thanh")
            #expect(bad.status == .badRequest)
            #expect(bad.text.contains("class=\"error\""))
        }
    }

    /// The page says how it read the query, in Vietnamese, and offers the way back to every word.
    @Test func showsHowTheQueryWasRead() async throws {
        let f = try Fixture()
        try await f.test { client in
            let html = try await client.get("/?q=chuong+trinh+phoi+hop+truyen+thong").text
            #expect(html.contains("Kết quả cho: <strong class=\"restored\">chương trình phối hợp truyền thông</strong>"))
            #expect(html.contains("name=\"strict\""))
            let strict = try await client.get("/?q=chuong+trinh+phoi+hop+truyen+thong&strict=1").text
            #expect(strict.contains("Chỉ văn bản có đủ mọi từ · <a href="))
            #expect(strict.contains("checked"))
            // A function word standing alone: matched when present, said so in Vietnamese.
            let q = "chương trình phối hợp của truyền thông".addingPercentEncoding(withAllowedCharacters: .alphanumerics)!
            let function = try await client.get("/?q=\(q)").text
            #expect(function.contains("Hư từ (không bắt buộc): «của»"))
        }
    }

    @Test func pagination() async throws {
        let f = try Fixture()
        try await f.test(f.options(pageSize: 2)) { client in
            var html = try await client.get("/?q=thanh+hoa").text
            #expect(html.components(separatedBy: "<li class=\"hit\"").count - 1 == 2)
            #expect(html.contains("hiển thị 1–2"))
            #expect(html.contains("href=\"/?q=thanh+hoa&amp;page=2\" rel=\"next\">Sau ›</a>"))
            #expect(!html.contains("rel=\"prev\""))
            html = try await client.get("/?q=thanh+hoa&page=3").text
            #expect(html.components(separatedBy: "<li class=\"hit\"").count - 1 == 1)
            #expect(html.contains("hiển thị 5–5"))
            #expect(html.contains("rel=\"prev\""))
            #expect(!html.contains("rel=\"next\""))
            // filters are kept in page links
            html = try await client.get("/?q=thanh&sort=date&source=%20").text
            #expect(html.contains("href=\"/?q=thanh&amp;sort=date&amp;page=2\""))
            html = try await client.get("/?q=thong&from=2000-01-01&kind=news").text
            #expect(html.contains("name=\"from\" value=\"2000-01-01\""))
            #expect(html.contains("<option value=\"news\" selected>Tin tức</option>"))
        }
    }

    /// Every piece of document text is escaped: the hostile document shows its markup as text.
    @Test func documentStringsAreEscaped() async throws {
        let f = try Fixture()
        try await f.test { client in
            for uri in ["/?q=script", "/?q=alert", "/?q=thong&kind=news", "/view/\(f.xssID)", "/view/xss-key?q=%3Cscript%3E"] {
                let r = try await client.get(uri)
                #expect(r.status == .ok, "\(uri)")
                let html = r.text
                #expect(!html.contains("<script>alert"), "\(uri)")
                #expect(!html.contains("<img src=x"), "\(uri)")
                #expect(!html.contains("<b>nguồn"), "\(uri)")
                #expect(!html.contains("href=\"javascript:"), "\(uri)")
                #expect(!html.contains("</textarea></div>"), "\(uri)")
                // the only script element is the page's own
                #expect(html.components(separatedBy: "<script").count - 1 == 1, "\(uri)")
                #expect(html.contains("<script src=\"/assets/search.js\" defer></script>"))
            }
            let search = try await client.get("/?q=script").text
            #expect(search.contains("&lt;<mark>script</mark>&gt;alert(1)&lt;/<mark>script</mark>&gt;"))
            #expect(search.contains("&lt;script&gt;alert(&quot;title&quot;)&lt;/script&gt; Văn bản độc hại"))
            let view = try await client.get("/view/\(f.xssID)").text
            #expect(view.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
            #expect(view.contains("&lt;img src=x onerror=alert(2)&gt; &quot;quotes&quot; &amp; &#39;apostrophes&#39;"))
            #expect(view.contains("<dd>javascript:alert(3)</dd>"), "a javascript: URL is shown as text, not a link")
            #expect(view.contains("&lt;b&gt;nguồn&lt;/b&gt;"))
        }
    }

    @Test func documentPage() async throws {
        let f = try Fixture()
        let id = f.seedIDs["001_f06a74d7aed0fe0b.txt"]!
        try await f.test { client in
            let r = try await client.get("/view/\(id)?q=thanh+hoa")
            #expect(r.status == .ok)
            let html = r.text
            #expect(html.contains("Tải bản gốc"))
            #expect(html.contains("href=\"/documents/\(id)/original\""))
            #expect(html.contains("Quay lại kết quả tìm kiếm"))
            #expect(html.contains("<div class=\"doc-text\">"))
            #expect(html.contains("Căn cứ Nghị định số 45/2010/NĐ-CP"))
            let missing = try await client.get("/view/0000000000000000")
            #expect(missing.status == .notFound)
            #expect(missing.headers[.contentType] == "text/html; charset=utf-8")
            #expect(missing.text.contains("Không tìm thấy"))
        }
    }
}

@Suite struct UnitTests {
    @Test func queryStringDecoding() throws {
        let q = try QueryString("q=thanh+hoa&source=a&source=b%20c&empty=&flag&q2=%E1%BB%A7y")
        #expect(q["q"] == "thanh hoa")
        #expect(q.all("source") == ["a", "b c"])
        #expect(q["empty"] == "")
        #expect(q["flag"] == "")
        #expect(q["q2"] == "ủy")
        #expect(q["missing"] == nil)
        #expect(try q.single("q") == "thanh hoa")
        #expect(throws: APIError.self) { try q.single("source") }
        #expect(try QueryString("limit=5&limit=5").single("limit") == "5")
        #expect(throws: APIError.self) { try QueryString("limit=x&limit=").int("limit", default: 10, in: 1...100) }
        #expect(throws: APIError.self) { try QueryString("q=%E1%BB") }
        #expect(throws: APIError.self) { try QueryString("q=%G0") }
        #expect(PercentEncoding.query([("q", "thanh hoá/1"), ("page", "2")]) == "q=thanh+ho%C3%A1%2F1&page=2")
    }

    @Test func multipartParsing() throws {
        let body = Array("preamble\r\n--XyZ\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nTiêu đề\r\n--XyZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a \\\"b\\\".txt\"\r\nContent-Type: text/plain\r\n\r\nline1\r\n--Xy not the boundary --XyZ\r\n--XyZ--\r\n".utf8)
        let parts = try MultipartForm.parse(body, boundary: "XyZ")
        #expect(parts.count == 2)
        #expect(parts[0].name == "title")
        #expect(String(decoding: parts[0].body, as: UTF8.self) == "Tiêu đề")
        #expect(parts[1].fileName == "a \"b\".txt")
        #expect(parts[1].contentType == "text/plain")
        #expect(String(decoding: parts[1].body, as: UTF8.self) == "line1\r\n--Xy not the boundary --XyZ")
        // A line starting with the delimiter is a delimiter (RFC 2046): what follows it must be
        // a line break or "--"; anything else is a malformed body, not part of the content.
        let clash = Array("--XyZ\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\na\r\n--XyZ b\r\n--XyZ--\r\n".utf8)
        #expect(throws: MultipartForm.Failure.self) { try MultipartForm.parse(clash, boundary: "XyZ") }
        // A body that ends inside a part is refused, not imported cut short.
        let truncated = Array("--XyZ\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\nhalf a docu".utf8)
        #expect(throws: MultipartForm.Failure.self) { try MultipartForm.parse(truncated, boundary: "XyZ") }
        #expect(MultipartForm.boundary(fromContentType: "multipart/form-data; boundary=\"q r\"") == "q r")
        #expect(MultipartForm.decodeExtendedValue("UTF-8''v%C4%83n.txt") == "văn.txt")
    }

    @Test func pageHelpers() {
        #expect(Page.esc("<a href='x'>&\"</a>") == "&lt;a href=&#39;x&#39;&gt;&amp;&quot;&lt;/a&gt;")
        #expect(Page.number(1234567) == "1.234.567")
        #expect(Page.number(12) == "12")
        #expect(Page.date("2024-03-05") == "05/03/2024")
        // The status of a refused upload follows the failure's kind, never its words.
        #expect(APIError(ImportFailure(.unsupportedFormat, "binary content (NUL byte at offset 3), not text")).status == .unsupportedMediaType)
        #expect(APIError(ImportFailure(.empty, "no text: the file contains only whitespace")).status == .unprocessableContent)
        #expect(APIError(ImportFailure(.empty, "over the size limit")).status == .unprocessableContent)
        for kind in ImportFailure.Kind.allCases {
            let status = APIError(ImportFailure(kind, "x")).status.code
            #expect((400..<600).contains(status), "\(kind) -> \(status)")
        }
    }
}
