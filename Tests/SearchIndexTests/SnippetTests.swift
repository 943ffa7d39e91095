import DocumentModel
import Foundation
import Testing
@testable import SearchIndex

@Suite struct SnippetTests {
    let fixture: TestIndex
    init() throws { fixture = try TestIndex() }

    func firstHit(_ query: String) throws -> SearchHit {
        try #require(try fixture.index.search(SearchRequest(query: query)).hits.first)
    }

    func highlighted(_ snippet: Snippet) -> [String] {
        let bytes = Array(snippet.text.utf8)
        return snippet.highlights.map { String(decoding: bytes[$0], as: UTF8.self) }
    }

    @Test func highlightsMarkTheOriginalCharacters() throws {
        let hit = try firstHit("da nang")
        #expect(hit.id == "danang")
        #expect(highlighted(hit.snippet) == ["Đà", "Nẵng"])
        #expect(hit.snippet.rendered(open: "[", close: "]") == "Thành phố [Đà] [Nẵng] đón khách.")
    }

    @Test func toneVariantsAreHighlightedAsStored() throws {
        // Query in one style, text stored in the other: the stored spelling is highlighted.
        let hit = try firstHit("hóa chất")
        #expect(hit.id == "hoa-chem")
        #expect(highlighted(hit.snippet) == ["hoá", "chất", "hoá"])
    }

    @Test func snippetsOnNFDTextPointAtTheRightCharacters() throws {
        let hit = try firstHit("thủy lợi")
        #expect(hit.id == "nfd")
        let marked = highlighted(hit.snippet).map { $0.precomposedStringWithCanonicalMapping }
        #expect(marked == ["thuỷ", "lợi"])
        // The snippet is the stored NFD text, not a normalised copy.
        #expect(hit.snippet.text.unicodeScalars.contains { $0.value == 0x0309 })
    }

    @Test func renderingEscapesTextButNotMarkers() throws {
        let hit = try firstHit("thẻ ký tự")
        #expect(hit.id == "xss")
        let html = hit.snippet.rendered(open: "<mark>", close: "</mark>") { text in
            text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
                .replacingOccurrences(of: ">", with: "&gt;")
        }
        #expect(html.contains("&lt;b&gt;<mark>thẻ</mark>&lt;/b&gt;"))
        #expect(!html.contains("<b>"))
    }

    @Test func longDocumentsGiveAPassageAroundTheMatches() throws {
        let hit = try firstHit("5632/QĐ-UBND")
        #expect(hit.id == "seed1")
        #expect(hit.snippet.text.hasPrefix("… "))
        #expect(highlighted(hit.snippet).prefix(3) == ["5632", "QĐ", "UBND"])
        #expect(hit.snippet.text.utf8.count < 600)
        #expect(!hit.snippet.text.contains("\n"))
    }

    @Test func filterOnlyQueriesShowTheStart() throws {
        let hit = try #require(try fixture.index.search(SearchRequest(query: "kind:legal")).hits.first)
        #expect(hit.snippet.highlights.isEmpty)
        #expect(!hit.snippet.text.hasPrefix("…"))
    }
}

@Suite struct RebuildTests {
    @Test func rebuildGivesTheSameResultsAsIncrementalIndexing() throws {
        let incremental = try TestIndex()
        let docs = try TestIndex.seeds() + TestIndex.extras
        // Rebuild into the same directory: a new generation replaces the current one.
        let rebuilt = try TestIndex()
        let before = rebuilt.index.generation
        try IndexConnection.rebuild(in: rebuilt.directory, appliedThrough: 99) { writer in
            for doc in docs.reversed() { try writer.apply(doc) }
        }
        #expect(rebuilt.index.isStale)
        let fresh = try IndexConnection(directory: rebuilt.directory)
        #expect(fresh.generation != before)
        #expect(try fresh.appliedSequence() == 99)
        // The old generation's files are gone; the open connection still answers.
        #expect(!FileManager.default.fileExists(atPath: rebuilt.directory.appendingPathComponent(before).path))
        #expect(try rebuilt.index.search(SearchRequest(query: "hoa")).total > 0)
        for query in ["thanh hoa", "hóa", "Đà Nẵng", "45/2010/NĐ-CP", "thủy lợi", "hoa -bình", "kind:news",
                      "chuong trinh phoi hop", "\"truyền thông\"", "tru*"] {
            let a = try incremental.index.search(SearchRequest(query: query, limit: 50))
            let b = try fresh.search(SearchRequest(query: query, limit: 50))
            #expect(a.total == b.total, "\(query)")
            #expect(Set(a.hits.map(\.id)) == Set(b.hits.map(\.id)), "\(query)")
            #expect(a.hits.map(\.snippet) == b.hits.map(\.snippet), "\(query)")
        }
    }

    @Test func newVersionsReplaceOldOnes() throws {
        let fixture = try TestIndex(documents: [
            IndexDocument(id: "a", seq: 1, hash: "h1", body: "nội dung cũ", metadata: DocumentMetadata(key: "k", title: "Bản cũ")),
        ])
        try fixture.index.write { writer in
            try writer.apply(IndexDocument(id: "a", seq: 2, hash: "h2", body: "nội dung mới", metadata: DocumentMetadata(key: "k", title: "Bản mới")))
            // An older version arriving late changes nothing.
            try writer.apply(IndexDocument(id: "a", seq: 1, hash: "h1", body: "nội dung cũ", metadata: DocumentMetadata(key: "k", title: "Bản cũ")))
        }
        #expect(try fixture.ids("mới") == ["a"])
        #expect(try fixture.ids("cũ").isEmpty)
        #expect(try fixture.index.documentCount() == 1)
    }

    @Test func readersSeeWholeBatchesOnly() throws {
        let fixture = try TestIndex(documents: [])
        let reader = try IndexConnection(directory: fixture.directory)
        // A write transaction in progress is invisible to a reader on another connection.
        try fixture.index.write { writer in
            for k in 0..<50 {
                try writer.apply(IndexDocument(id: "d\(k)", seq: k + 1, hash: "h\(k)", body: "văn bản số \(k)"))
            }
            #expect(try reader.search(SearchRequest(query: "văn bản")).total == 0)
        }
        #expect(try reader.search(SearchRequest(query: "văn bản")).total == 50)
    }
}

@Suite struct RankingTests {
    @Test func inMemoryRowLengthsGiveTheSameScoresAsFTS5s() throws {
        let fixture = try TestIndex()
        let queries = ["thanh hoa", "truyền thông", "hoa -bình", "45/2010/NĐ-CP", "hợp tác OR ký kết"]
        let plain = try queries.map { try fixture.index.search(SearchRequest(query: $0, limit: 20)) }
        fixture.index.wantsDocumentLengths = true
        let withLengths = try queries.map { try fixture.index.search(SearchRequest(query: $0, limit: 20)) }
        #expect(fixture.index.connection.rankStatistics.length(of: 1) ?? 0 > 100)
        for (a, b) in zip(plain, withLengths) {
            #expect(a.hits.map(\.id) == b.hits.map(\.id))
            #expect(a.hits.map(\.score) == b.hits.map(\.score))
        }
    }

    @Test func cachedFrequenciesAreDroppedWhenTheIndexChanges() throws {
        let fixture = try TestIndex()
        let before = try fixture.index.search(SearchRequest(query: "hòa bình")).hits.first?.score
        // Another connection adds documents with "hòa": the cached frequencies are stale.
        let writer = try IndexConnection(directory: fixture.directory)
        try writer.write { w in
            for k in 0..<30 {
                try w.apply(IndexDocument(id: "more\(k)", seq: 100 + k, hash: "m\(k)", body: "hòa giải số \(k)"))
            }
        }
        let after = try fixture.index.search(SearchRequest(query: "hòa bình")).hits.first?.score
        let fresh = try IndexConnection(directory: fixture.directory).search(SearchRequest(query: "hòa bình")).hits.first?.score
        #expect(before != nil && after != nil)
        #expect(after != before)
        #expect(after == fresh)
    }
}

@Suite struct TopSelectionTests {
    @Test(arguments: [0, 1, 5, 60, 61, 200, 5000])
    func bestEqualsSortingEverything(n: Int) {
        var generator = SystemRandomNumberGenerator()
        // Many equal scores, to exercise the tie order (rowid, descending).
        let scored = (0..<n).map { (rowid: $0, score: Double(Int.random(in: 0..<50, using: &generator))) }
        let expected = scored.sorted { $0.score > $1.score || ($0.score == $1.score && $0.rowid > $1.rowid) }.prefix(60)
        let best = IndexConnection.best(scored, count: 60)
        #expect(best.map(\.rowid) == expected.map(\.rowid))
    }
}

@Suite struct LongDocumentSnippetTests {
    @Test func hugeDocumentsGiveABoundedPassageQuickly() throws {
        let filler = String(repeating: "Điều khoản chung về quản lý nhà nước. ", count: 30_000)  // ~1.2 MB
        let body = filler + "Quy định về thủy lợi nội đồng." + filler
        let fixture = try TestIndex(documents: [
            IndexDocument(id: "big", seq: 1, hash: "b", body: body, metadata: DocumentMetadata(title: "Luật dài")),
        ])
        let hit = try #require(try fixture.index.search(SearchRequest(query: "thủy lợi nội đồng")).hits.first)
        // The words lie beyond the scan limit: the passage is the start, unhighlighted but short.
        #expect(hit.snippet.text.utf8.count < 400)
        #expect(hit.snippet.text.hasSuffix(" …"))
        // A match early in the text is found and highlighted.
        let early = try TestIndex(documents: [
            IndexDocument(id: "big", seq: 1, hash: "b", body: "Quy định về thủy lợi nội đồng. " + filler, metadata: DocumentMetadata(title: "Luật dài")),
        ])
        let found = try #require(try early.index.search(SearchRequest(query: "thủy lợi nội đồng")).hits.first)
        #expect(found.snippet.rendered(open: "[", close: "]").hasPrefix("Quy định về [thủy] [lợi] [nội] [đồng]."))
    }
}
