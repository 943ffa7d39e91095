import Foundation
import Testing
@testable import Extraction

/// Page furniture by markup (PageFurniture): an HTML news page's menus, banner, side column,
/// footer and link lists are lines of the text (it is what the page shows) that the news
/// cleaner leaves out; the article's own header, byline and links in its sentences stay.
@Suite struct PageFurnitureTests {
    static let page = """
        <!DOCTYPE html><html lang="vi"><head><meta charset="utf-8"><title>Ký kết chương trình phối hợp</title></head>
        <body>
        <header class="site"><a href="/">Báo Điện tử Tỉnh</a> <span>Thứ Hai, 06/02/2017</span></header>
        <nav><ul><li><a href="/thoi-su">Thời sự</a></li><li><a href="/kinh-te">Kinh tế</a></li><li><a href="/the-thao">Thể thao</a></li></ul></nav>
        <div class="breadcrumb"><a href="/">Trang chủ</a> » <a href="/kinh-te">Kinh tế</a></div>
        <main><article>
          <header><h1>Ký kết chương trình phối hợp truyền thông</h1><p class="byline">Hải Âu - TTXVN</p></header>
          <p>Sáng 6/2, Sở Thông tin và Truyền thông tỉnh Bình Dương ký kết chương trình phối hợp với Thông tấn xã Việt Nam.</p>
          <p>Theo <a href="/tin/1">chương trình</a>, hai bên phối hợp tuyên truyền các sự kiện chính trị, kinh tế của tỉnh.</p>
          <footer>Nguồn: TTXVN</footer>
        </article></main>
        <aside><h3>Đọc nhiều</h3><a href="/a">Giá vàng hôm nay tăng mạnh</a></aside>
        <div class="box"><a href="/b">Phạm Minh Chính thăm Bình Dương</a><br><a href="/c">Khai mạc hội chợ xuân Đinh Dậu</a></div>
        <footer><p>Giấy phép số 12/GP-TTĐT. Website được thiết kế bởi Công ty ABC.</p></footer>
        </body></html>
        """

    @Test func furnitureLinesAreMarkedAndTheArticleIsNot() throws {
        let extracted = try Extractor().extract(Array(Self.page.utf8), fileName: "tin.html", mediaType: nil)
        let lines = extracted.text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let furniture = Set(extracted.furnitureLines.map { lines[$0 - 1] })
        // The text keeps every line the page shows.
        for shown in ["Thời sự", "Trang chủ » Kinh tế", "Giá vàng hôm nay tăng mạnh", "Phạm Minh Chính thăm Bình Dương"] {
            #expect(extracted.text.contains(shown), "\(shown)")
        }
        for chrome in ["Báo Điện tử Tỉnh Thứ Hai, 06/02/2017", "Thời sự", "Kinh tế", "Thể thao", "Trang chủ » Kinh tế", "Đọc nhiều",
                       "Giá vàng hôm nay tăng mạnh", "Phạm Minh Chính thăm Bình Dương", "Khai mạc hội chợ xuân Đinh Dậu",
                       "Giấy phép số 12/GP-TTĐT. Website được thiết kế bởi Công ty ABC."] {
            #expect(furniture.contains(chrome), "\(chrome): \(furniture)")
        }
        // The article's header and footer (inside <article>), and a link inside a sentence, are the article's.
        for own in ["Ký kết chương trình phối hợp truyền thông", "Hải Âu - TTXVN", "Nguồn: TTXVN"] {
            #expect(lines.contains(own) && !furniture.contains(own), "\(own)")
        }
        #expect(!furniture.contains { $0.contains("hai bên phối hợp") })

        let article = ArticleCleaner.clean(extracted.text, furnitureLines: extracted.furnitureLines)
        #expect(!article.body.contains("Phạm Minh Chính") && !article.body.contains("Thể thao") && !article.body.contains("Giấy phép"))
        #expect(article.body.contains("Theo chương trình, hai bên phối hợp tuyên truyền"))
        #expect(article.body.hasPrefix("Ký kết chương trình phối hợp truyền thông"))
        #expect(article.dropped.contains { $0.reason == .markup })
        #expect(article.origin == "TTXVN")
    }

    /// A page that is all links (a list someone archived on purpose) is kept whole; a page
    /// without furniture gives the same text as before, byte for byte; a noncharacter in the
    /// source cannot forge a mark.
    @Test func aPageOfLinksOrWithoutFurnitureIsLeftAlone() throws {
        let links = "<html><body><ul>" + (1...5).map { "<li><a href=\"/\($0)\">Nghị định số \($0)/2020/NĐ-CP</a></li>" }.joined() + "</ul></body></html>"
        #expect(try Extractor().extract(Array(links.utf8), fileName: "ds.html", mediaType: nil).furnitureLines.isEmpty)
        let plain = "<html><body><p>Ủy ban nhân dân tỉnh Thanh Hóa</p><p>ban hành kế hoạch.</p></body></html>"
        let extracted = try Extractor().extract(Array(plain.utf8), fileName: "kh.html", mediaType: nil)
        #expect(extracted.text == "Ủy ban nhân dân tỉnh Thanh Hóa\n\nban hành kế hoạch." && extracted.furnitureLines.isEmpty)
        // (U+FDD0 and U+FDD1 are noncharacters: no Swift literal spells them.)
        let (open, close) = (String(decoding: PageFurniture.open, as: UTF8.self), String(decoding: PageFurniture.close, as: UTF8.self))
        let forged = "<html><body><nav><a href=\"/\">Menu</a></nav><p>Văn bản \(open)có dấu lạ\(close) ở giữa câu, đủ dài để là bài.</p></body></html>"
        let f = try Extractor().extract(Array(forged.utf8), fileName: "f.html", mediaType: nil)
        #expect(f.furnitureLines.isEmpty && f.text.contains(open + "có dấu lạ"))
    }
}
