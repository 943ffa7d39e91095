import Extraction
import Foundation
@testable import SearchIndex
import Testing
import TestSupport
@testable import VanBanKit

/// Lines a source repeats on its pages (a site's template no phrase list names) are left out of
/// every body of that source once enough of its pages hold them, whatever the order the pages
/// arrive in; one page alone, another source, a byline or a repost keeps them.
@Suite struct SourceLinesTests {
    /// A site's banner and footer: neither is a listed chrome phrase, and one page alone does
    /// not show them to be chrome.
    static let banner = "Cổng thông tin điện tử huyện Nga Sơn, tỉnh Thanh Hóa"
    static let footer = "Cơ quan chủ quản: Văn phòng HĐND và UBND huyện Nga Sơn"

    /// Sentences of the news seeds' articles (002-004), each page a different run of them.
    func sentences() throws -> [String] {
        var out: [String] = []
        for f in try Fixtures.seedFiles() where ["002", "003", "004"].contains(where: { f.lastPathComponent.hasPrefix($0) }) {
            let text = String(decoding: try Fixtures.bytes(f), as: UTF8.self)
            out += text.split(whereSeparator: { $0 == "\n" || $0 == "." })
                .map { $0.trimmingCharacters(in: .whitespaces) }
                .filter { $0.split(separator: " ").count >= 12 && $0 != $0.uppercased() }
                // The article's sentences, not the seeds' own chrome (a licence, an address).
                .filter { ArticleCleaner.clean($0 + ".").dropped.isEmpty }
        }
        return out
    }

    /// Page `n`: the banner, four sentences of its own as paragraphs, a byline, the footer.
    func page(_ n: Int, _ sentences: [String], banner: String = Self.banner, footer: String = Self.footer) -> String {
        let own = (0..<4).map { sentences[(n * 4 + $0) % sentences.count] + "." }
        return ([banner, ""] + own.flatMap { [$0, ""] } + ["Minh Anh", "", footer]).joined(separator: "\n") + "\n"
    }

    func importPages(_ lib: Library, _ pages: [(key: String, text: String, source: String)]) throws -> [String: String] {
        let body = pages.map { jsonLine(["key": $0.key, "text": $0.text, "kind": "news", "source": $0.source]) }.joined(separator: "\n") + "\n"
        let (summary, results) = try importAll(lib, [.payload(ImportPayload(name: "pages.jsonl", bytes: Array(body.utf8), jsonLines: true))])
        #expect(summary.failed == 0)
        var ids: [String: String] = [:]
        for (k, r) in results.enumerated() { ids[pages[k].key] = r.id }
        return ids
    }

    /// The indexed body of each document, by id.
    func bodies(_ lib: Library) throws -> [String: String] {
        let index = try lib.openIndex()
        let rows = try index.connection.prepare("SELECT rowid, id FROM documents")
        var out: [String: String] = [:]
        while try rows.step() {
            out[rows.string(1)!] = String(decoding: try TextStore.text(rowid: rows.int(0), on: index.connection), as: UTF8.self)
        }
        return out
    }

    func hits(_ lib: Library, _ query: String) throws -> Set<String> {
        Set(try lib.search(SearchRequest(query: query, limit: 100, strict: true, collapse: false)).hits.map(\.id))
    }

    @Test func aTemplateLineOnFivePagesOfASourceLeavesEveryOneOfThem() throws {
        let s = try sentences()
        try #require(s.count >= 24)
        let dir = TempDir(); defer { dir.cleanup() }
        let lib = try openLibrary(dir)
        // One page alone keeps its banner and footer: nothing on the page says they are chrome.
        let first = try importPages(lib, [("p0", page(0, s), "nga-son.thanhhoa.gov.vn")])
        #expect(try bodies(lib)[first["p0"]!]!.contains(Self.footer))
        #expect(try hits(lib, "\"chủ quản\"") == [first["p0"]!])
        // Four more, one import each: the fifth brings the count to the threshold, and the
        // earlier pages are cut then too.
        var ids = first
        for n in 1..<SourceLines.documents {
            ids.merge(try importPages(lib, [("p\(n)", page(n, s), "nga-son.thanhhoa.gov.vn")])) { a, _ in a }
        }
        let indexed = try bodies(lib)
        for (key, id) in ids {
            let body = try #require(indexed[id])
            #expect(!body.contains(Self.banner) && !body.contains(Self.footer), "\(key)")
            #expect(body.contains("Minh Anh"), "a byline is the article's, however often it stands")
            #expect(body.contains(s[Int(key.dropFirst())! * 4]), "the article itself stays")
        }
        #expect(try hits(lib, "\"chủ quản\"").isEmpty)
        #expect(try hits(lib, "\"cong thong tin dien tu huyen nga son\"").isEmpty)
        #expect(try hits(lib, "\"Minh Anh\"") == Set(ids.values))
        // `show` says why, and still shows the whole text.
        let view = try lib.documentView(idOrKey: ids["p0"]!)
        #expect(view.text.contains(Self.footer))
        #expect(view.chrome.byReason.first { $0.reason == "source_repeated" }?.count == 2)
        #expect(view.chrome.firstDropped.contains { $0.text == Self.banner && $0.line == 1 })

        // Reindex leaves out the same lines of the same bodies.
        _ = try lib.reindex()
        #expect(try bodies(lib) == indexed)
    }

    @Test func theOrderPagesArriveInDoesNotChangeWhatIsLeftOut() throws {
        let s = try sentences()
        try #require(s.count >= 28)
        let pages = (0..<7).map { n in (key: "p\(n)", text: page(n, s), source: "baonga son") }
        var results: [[String]] = []
        for order in [Array(0..<7), [6, 2, 4, 0, 5, 1, 3]] {
            let dir = TempDir(); defer { dir.cleanup() }
            let lib = try openLibrary(dir)
            // One batch, then one page an import: the writer's batches differ as well.
            var ids = try importPages(lib, order.prefix(3).map { pages[$0] })
            for k in order.dropFirst(3) { ids.merge(try importPages(lib, [pages[k]])) { a, _ in a } }
            let indexed = try bodies(lib)
            results.append((0..<7).map { indexed[ids["p\($0)"]!]! })
        }
        #expect(results[0] == results[1])
        #expect(results[0].allSatisfy { !$0.contains(Self.footer) }, "\(results[0].map { $0.contains(Self.footer) })")
    }

    @Test func fewerPagesAnotherSourceAndRepostsKeepTheirLines() throws {
        let s = try sentences()
        let dir = TempDir(); defer { dir.cleanup() }
        let lib = try openLibrary(dir)
        let below = SourceLines.documents - 1
        var pages = (0..<below).map { n in (key: "a\(n)", text: page(n, s), source: "site A") }
        // The same footer on another source's pages counts for that source only.
        pages += (0..<below).map { n in (key: "b\(n)", text: page(n + 10, s), source: "site B") }
        // One short article its source posts again and again: its lines are the article.
        let short = "Huyện Nga Sơn ra quân dọn vệ sinh môi trường\n\nSáng nay hàng nghìn người dân cùng tham gia\n"
        pages += (0..<(SourceLines.documents + 2)).map { n in (key: "r\(n)", text: short, source: "site R") }
        let ids = try importPages(lib, pages)
        let indexed = try bodies(lib)
        for (key, id) in ids where !key.hasPrefix("r") {
            #expect(indexed[id]!.contains(Self.footer) && indexed[id]!.contains(Self.banner), "\(key)")
        }
        for (key, id) in ids where key.hasPrefix("r") {
            #expect(indexed[id]! == short, "\(key)")
        }
        #expect(try hits(lib, "\"chủ quản\"").count == 2 * below)
        // One more page of site A crosses the threshold there, and only there.
        let more = try importPages(lib, [("a\(below)", page(below, s), "site A")])
        let after = try bodies(lib)
        for (key, id) in ids.merging(more, uniquingKeysWith: { a, _ in a }) {
            let hasFooter = after[id]!.contains(Self.footer)
            if key.hasPrefix("a") { #expect(!hasFooter, "\(key)") }
            if key.hasPrefix("b") { #expect(hasFooter, "\(key)") }
        }
    }

    @Test func aNewVersionOfAPageIsCountedOnce() throws {
        let s = try sentences()
        let dir = TempDir(); defer { dir.cleanup() }
        let lib = try openLibrary(dir)
        // One page imported in five versions: one document, one count.
        for n in 0..<SourceLines.documents {
            _ = try importPages(lib, [("same", page(n, s), "site C")])
        }
        let indexed = try bodies(lib)
        #expect(indexed.count == 1)
        #expect(indexed.values.first!.contains(Self.footer))
        let index = try lib.openIndex()
        let count = try index.connection.scalarInt("SELECT max(documents) FROM source_lines")
        #expect(count == 1)
    }

    @Test func cutLeavesOnlyWholeMatchingLines() {
        let body = Array("Tiêu đề\n  Dòng mẫu  \nDòng mẫu thêm chữ\nĐoạn văn của bài viết này dài hơn nhiều.\nDòng mẫu".utf8)
        let cut = body.withUnsafeBufferPointer { SourceLines.cut($0, lines: [Array("Dòng mẫu".utf8)]) }
        #expect(cut.map { String(decoding: $0, as: UTF8.self) } == "Tiêu đề\nDòng mẫu thêm chữ\nĐoạn văn của bài viết này dài hơn nhiều.")
        // More than half of the body: nothing is cut.
        let mostly = Array("Dòng mẫu\nDòng mẫu\nngắn".utf8)
        #expect(mostly.withUnsafeBufferPointer { SourceLines.cut($0, lines: [Array("Dòng mẫu".utf8)]) } == nil)
        #expect(SourceLines.key(source: "a", line: "bc") != SourceLines.key(source: "ab", line: "c"))
    }
}
