import Archive
import Foundation
@testable import SearchIndex
import Testing
import TestSupport
@testable import VanBanKit

/// News pages indexed without their chrome, and reposts of one text grouped and collapsed in
/// search results, built from the seeds' and the corpus sample's own text.
@Suite struct RepostTests {
    func seed(_ prefix: String) throws -> String {
        let url = try #require(try Fixtures.seedFiles().first { $0.lastPathComponent.hasPrefix(prefix) })
        return try String(contentsOf: url, encoding: .utf8)
    }

    func importLines(_ lib: Library, _ docs: [[String: String]]) throws -> [String: String] {
        let body = docs.map(jsonLine).joined(separator: "\n") + "\n"
        let (summary, results) = try importAll(lib, [.payload(ImportPayload(name: "news.jsonl", bytes: Array(body.utf8), jsonLines: true))])
        #expect(summary.failed == 0)
        var ids: [String: String] = [:]
        for (k, r) in results.enumerated() { ids[docs[k]["key"]!] = r.id }
        return ids
    }

    /// The groups as sets of keys.
    func groups(_ lib: Library, _ ids: [String: String]) throws -> Set<Set<String>> {
        let keyOf = Dictionary(uniqueKeysWithValues: ids.map { ($1, $0) })
        let index = try lib.openIndex()
        return Set(try index.repostGroupMembers().values.map { Set($0.compactMap { keyOf[$0] }) })
    }

    /// Seed 003 (a repost of Nhân dân điện tử) and its variants; seed 002 as another article.
    func variants() throws -> [[String: String]] {
        let original = try seed("003")
        var paragraphs = original.components(separatedBy: "\n\n")
        let chromeless = paragraphs.filter { !$0.contains("Antinet ℠") && $0 != "Trả lời" && !$0.hasPrefix("Email của bạn") }
        var firstChanged = paragraphs
        firstChanged[1] = "Chiều 28/6, tại TP Hồ Chí Minh, hai cơ quan đã ký kết chương trình phối hợp truyền thông cho năm 2021 với nhiều nội dung mới."
        paragraphs.removeLast(3)  // "Nguồn", "Trả lời", the comment form
        var lastChanged = paragraphs
        lastChanged[lastChanged.count - 1] = "Lễ ký kết kết thúc trong không khí phấn khởi, hai bên hẹn sơ kết vào cuối năm."
        let otherChrome = "Sở Thông tin và truyền thông Thanh Hóa\n  • Liên kết website\n  • Đang online: 3\n\n"
            + chromeless.joined(separator: "\n\n") + "\n\nWebsite được thiết kế bởi Trung tâm Công nghệ thông tin\n"
        return [
            ["key": "original", "text": original, "kind": "news"],
            ["key": "exact", "text": original + "\n", "title": "Thành ủy TP.HCM ký chương trình phối hợp với Cổng TTĐT Chính phủ", "kind": "news"],
            ["key": "first-changed", "text": firstChanged.joined(separator: "\n\n"), "kind": "news"],
            ["key": "last-changed", "text": lastChanged.joined(separator: "\n\n"), "kind": "news"],
            ["key": "other-title", "text": original + "\n\n", "title": "Tăng cường phối hợp truyền thông giữa TP Hồ Chí Minh và Chính phủ", "kind": "news"],
            ["key": "other-chrome", "text": otherChrome, "kind": "news"],
            ["key": "other-article", "text": try seed("002"), "kind": "news"],
        ]
    }

    @Test func repostsGroupAndOtherArticlesDoNot() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let lib = try openLibrary(dir)
        let ids = try importLines(lib, try variants())
        #expect(try groups(lib, ids) == [["original", "exact", "first-changed", "last-changed", "other-title", "other-chrome"]])
    }

    @Test(.enabled(if: Fixtures.hasSampleCorpus, "needs ../shared/corpus/sample.jsonl.gz"))
    func differentPapersOnOneEventDoNotGroup() throws {
        // Four papers' own reports of the Sen Vàng kindergarten case (February 2017).
        let records = try Fixtures.sampleCorpusRecords()
        let event = ["baomoi-21468795", "baomoi-21469026", "baomoi-21469171", "baomoi-21469274"]
        let docs: [[String: String]] = event.compactMap { id in
            records.first { $0["id"] as? String == id }.map { ["key": id, "text": $0["text"] as! String, "kind": "news"] }
        }
        try #require(docs.count == 4)
        let dir = TempDir(); defer { dir.cleanup() }
        let lib = try openLibrary(dir)
        let ids = try importLines(lib, docs + [["key": "repost", "text": docs[1]["text"]! + "\nTheo Báo An ninh Thủ đô", "kind": "news"]])
        #expect(try groups(lib, ids) == [["baomoi-21469026", "repost"]])
    }

    @Test func searchCollapsesAGroupIntoItsBestHitAndReindexKeepsTheGroups() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let lib = try openLibrary(dir)
        let ids = try importLines(lib, try variants())
        let before = try groups(lib, ids)
        let members = Set(["original", "exact", "first-changed", "last-changed", "other-title", "other-chrome"].map { ids[$0]! })
        let query = "chương trình phối hợp truyền thông"
        let all = try lib.search(SearchRequest(query: query, limit: 50, strict: true, collapse: false))
        let collapsed = try lib.search(SearchRequest(query: query, limit: 50, strict: true))
        #expect(!all.collapsed && collapsed.collapsed)
        #expect(members.isSubset(of: Set(all.hits.map(\.id))))
        #expect(collapsed.total == all.total - 5)
        let shown = collapsed.hits.filter { members.contains($0.id) }
        #expect(shown.count == 1)
        let best = try #require(shown.first)
        #expect(best.id == all.hits.first { members.contains($0.id) }?.id)  // the best-ranked member stands for the group
        #expect(Set(best.duplicates) == members.subtracting([best.id]))
        let others = collapsed.hits.filter { !members.contains($0.id) }
        #expect(others.allSatisfy { $0.duplicates.isEmpty })
        // Paging counts groups: one result a page, every page holds the next group.
        var paged: [String] = []
        for offset in 0..<collapsed.total {
            paged += try lib.search(SearchRequest(query: query, limit: 1, offset: offset, strict: true)).hits.map(\.id)
        }
        #expect(paged == collapsed.hits.map(\.id))
        let json = String(decoding: SearchJSON.encode(collapsed), as: UTF8.self)
        #expect(json.contains("\"duplicates\":[\"") && json.contains("\"collapsed\":true"))

        _ = try lib.reindex()
        #expect(try groups(lib, ids) == before)
        let again = try lib.search(SearchRequest(query: query, limit: 50, strict: true))
        #expect(again.hits.map(\.id) == collapsed.hits.map(\.id))
        #expect(Set(again.hits.first { $0.id == best.id }?.duplicates ?? []) == Set(best.duplicates))
    }

    @Test func chromeWordsNoLongerFindTheNewsSeedsAndShowSaysWhy() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let lib = try openLibrary(dir)
        let (_, results) = try importAll(lib, paths(try Fixtures.seedFiles()))
        let id003 = try #require(results.first { $0.input.hasSuffix("003_4860862a9c49c086.txt") }?.id)
        let id004 = try #require(results.first { $0.input.hasSuffix("004_78017ee27995344c.txt") }?.id)
        _ = try lib.openIndex()  // as the front ends do before searching: the index catches up
        let strict = { (q: String) in try lib.search(SearchRequest(query: q, limit: 20, strict: true)).hits.map(\.id) }
        #expect(!(try strict("Phạm Minh Chính")).contains(id004))
        #expect(!(try strict("\"hiển thị công khai\"")).contains(id003))
        // Folded, as a phrase (the three folded words alone occur in the article: "sản phẩm", "thông minh", "chính sách").
        #expect(!(try strict("\"pham minh chinh\"")).contains(id004))
        // The article's own words still find them.
        #expect(try strict("Bình Dương TTXVN").contains(id004))
        #expect(try strict("Nguyễn Hồng Sâm").contains(id003))
        // Seed 000 has no title of its own: its headline stands four times (under each photo);
        // the repeats are dropped, the headline itself is the article's and finds it.
        let id000 = try #require(results.first { $0.input.hasSuffix("000_7484bf1c60568527.txt") }?.id)
        #expect(try strict("Nâng cao hợp tác tuyên truyền chiều sâu cùng doanh nghiệp").first == id000)
        #expect(try lib.documentView(idOrKey: id000).chrome.byReason.first { $0.reason == "repeated" }?.count == 3)
        // `show` keeps the whole text and says what the index left out.
        let view = try lib.documentView(idOrKey: id004)
        #expect(view.text.contains("Phạm Minh Chính"))
        #expect(view.chrome.cleaned && view.chrome.droppedSegments == 54)
        #expect(view.chrome.byReason.first?.reason == "related_list")
        #expect(view.chrome.firstDropped.first?.text == "Tin liên quan")
        let json = String(decoding: DocumentJSON.object(view).finish(), as: UTF8.self)
        #expect(json.contains("\"chrome\":{\"cleaned\":true,\"kept_segments\":9,\"dropped_segments\":54"))
        let v003 = try lib.documentView(idOrKey: id003)
        #expect(v003.metadata.origin == "Nhân dân điện tử")
        // The agreement (an official text) is indexed whole.
        let agreement = try #require(results.first { $0.input.hasSuffix("001_f06a74d7aed0fe0b.txt") }?.id)
        #expect(try !lib.documentView(idOrKey: agreement).chrome.cleaned)
    }

    @Test(.enabled(if: Fixtures.hasSampleCorpus, "needs ../shared/corpus/sample.jsonl.gz"))
    func legalTextsOfTheSampleKeepEveryLine() throws {
        let records = try Fixtures.sampleCorpusRecords().filter { $0["kind"] as? String == "legal" }
        #expect(records.count == 100)
        for r in records {
            let text = r["text"] as! String
            let record = ManifestRecord(seq: 1, id: "0123456789abcdef", hash: String(repeating: "0", count: 64),
                                        mediaType: "text/plain; charset=utf-8", size: text.utf8.count, storedSize: 0,
                                        importedAt: "2026-01-01T00:00:00Z", metadata: DocumentMetadata(kind: "legal"))
            #expect(IndexDocument(record, text: text).body == text, "\(r["id"]!)")
            // Even without the importer's kind, the official-text reader keeps them whole.
            var unkind = record
            unkind.metadata.kind = nil
            let body = IndexDocument(unkind, text: text).body
            #expect(body == text, "\(r["id"]!) loses \(text.utf8.count - body.utf8.count) bytes without its kind")
        }
    }
}

/// An HTML news page imported: the words of its menus, side column and footer do not find it,
/// the article's do, and `show` says the lines were left out by markup.
@Suite struct HTMLFurnitureImportTests {
    @Test func furnitureWordsDoNotFindTheArticle() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let lib = try openLibrary(dir)
        let page = """
            <html><head><meta charset="utf-8"><title>Bình Dương ký kết phối hợp truyền thông</title></head><body>
            <nav><a href="/1">Thời sự</a> <a href="/2">Kinh tế</a> <a href="/3">Thể thao</a></nav>
            <article><h1>Bình Dương ký kết phối hợp truyền thông</h1>
            <p>Sáng 6/2, Sở Thông tin và Truyền thông tỉnh Bình Dương ký kết chương trình phối hợp với Thông tấn xã Việt Nam.</p></article>
            <aside><a href="/b">Phạm Minh Chính thăm Bình Dương</a><br><a href="/c">Khai mạc hội chợ xuân Đinh Dậu</a></aside>
            </body></html>
            """
        var id = ""
        _ = try lib.importDocuments([.payload(ImportPayload(name: "tin.html", bytes: Array(page.utf8), metadata: DocumentMetadata(key: "tin.html", kind: "news")))]) {
            id = $0.id ?? ""
        }
        _ = try lib.openIndex()
        let strict = { (q: String) in try lib.search(SearchRequest(query: q, limit: 20, strict: true)).hits.map(\.id) }
        #expect(!(try strict("Phạm Minh Chính")).contains(id))
        #expect(!(try strict("\"hội chợ xuân\"")).contains(id))
        #expect(try strict("Thông tấn xã Việt Nam").contains(id))
        let view = try lib.documentView(idOrKey: id)
        #expect(view.text.contains("Phạm Minh Chính"))
        #expect(view.chrome.byReason.contains { $0.reason == "markup" })
    }
}
