import DocumentModel
import Foundation
import Testing
import TestSupport
@testable import SearchIndex

/// Facets count the whole result set, and each count is what the same search with that
/// value's filter returns.
@Suite struct FacetTests {
    /// Official texts (type, issuer, issue date) and news, over three years; a joint text; a
    /// source that contains another ("Báo Thanh Hóa" in "Báo Thanh Hóa điện tử").
    static let documents: [IndexDocument] = {
        var docs: [IndexDocument] = []
        func add(_ body: String, kind: String, source: String? = nil, date: String? = nil, type: String? = nil,
                 issuer: String? = nil, issued: String? = nil) {
            var m = DocumentMetadata(title: String(body.prefix(40)), source: source, kind: kind, date: date)
            m.type = type; m.issuer = issuer; m.issued = issued
            docs.append(IndexDocument(id: "d\(docs.count)", seq: docs.count + 1, hash: "h\(docs.count)", body: body, metadata: m))
        }
        add("Quyết định phê duyệt đề án chuyển đổi số tỉnh Thanh Hóa.", kind: "legal", type: "Quyết định", issuer: "UBND tỉnh Thanh Hóa", issued: "2024-03-02")
        add("Kế hoạch chuyển đổi số năm 2024 của tỉnh Thanh Hóa.", kind: "legal", type: "Kế hoạch", issuer: "UBND tỉnh Thanh Hóa", issued: "2024-01-15")
        add("Thông tư liên tịch hướng dẫn chuyển đổi số trong ngành tài chính.", kind: "legal", type: "Thông tư liên tịch",
            issuer: "Bộ Tài chính; Bộ Thông tin và Truyền thông", issued: "2023-11-20")
        add("Thông tư hướng dẫn chuyển đổi số kho bạc.", kind: "legal", type: "Thông tư", issuer: "Bộ Tài chính", issued: "2022-05-05")
        add("Thanh Hóa đẩy mạnh chuyển đổi số trong doanh nghiệp.", kind: "news", source: "Báo Thanh Hóa", date: "2024-04-01")
        add("Hội nghị chuyển đổi số Thanh Hóa thu hút doanh nghiệp.", kind: "news", source: "Báo Thanh Hóa điện tử", date: "2024-04-03")
        add("Chuyển đổi số ở Nghệ An: kết quả bước đầu.", kind: "news", source: "Báo Nghệ An", date: "2023-02-10")
        add("Chuyển đổi số trong giáo dục, không rõ ngày đăng.", kind: "news", source: "Báo Nghệ An")
        add("Giá lúa tăng ở đồng bằng.", kind: "news", source: "Báo Nghệ An", date: "2024-06-01")
        return docs
    }()

    let directory: URL
    let index: IndexConnection

    init() throws {
        directory = TempDir("vanban-facet-test").url
        index = try IndexConnection(directory: directory)
        try index.write { writer in
            for d in Self.documents { try writer.apply(d) }
            try writer.setAppliedSequence(Self.documents.count)
        }
    }

    func results(_ q: String, filters: Filters = Filters(), sort: SearchSort = .relevance, strict: Bool = true) throws -> SearchResults {
        try index.search(SearchRequest(query: q, limit: 2, filters: filters, sort: sort, strict: strict, facets: true))
    }

    /// Every facet value's count against the total of the search with its filter added.
    func expectCountsMatchFilteredSearches(_ q: String, sort: SearchSort = .relevance, strict: Bool = true) throws {
        let all = try results(q, sort: sort, strict: strict)
        let facets = try #require(all.facets)
        for field in FacetField.allCases {
            var sum = 0
            for value in facets[field] {
                var filters = Filters()
                switch field {
                case .kind: filters.kinds = [value.value]
                case .source: filters.sources = [value.value]
                case .year: filters.from = value.value; filters.to = value.value
                case .type, .issuer: try filters.add(field.rawValue, value.value)
                }
                let filtered = try results(q, filters: filters, sort: sort, strict: strict)
                #expect(filtered.total == value.count, "\(q) \(field) \(value.value): facet \(value.count), filtered \(filtered.total)")
                sum += value.count
            }
            // kind, type and year divide the results: every match counted once, or missing.
            if [.kind, .type, .year].contains(field) {
                #expect(sum + (facets.missing[field] ?? 0) == all.total, "\(q) \(field)")
            }
        }
    }

    @Test func countsCoverTheWholeResultSetNotThePage() throws {
        let r = try results("chuyển đổi số")
        #expect(r.hits.count == 2 && r.total == 8)
        let facets = try #require(r.facets)
        #expect(facets[.kind] == [FacetValue(value: "legal", count: 4), FacetValue(value: "news", count: 4)])  // ties by value
        #expect(facets[.year] == [FacetValue(value: "2024", count: 4), FacetValue(value: "2023", count: 2), FacetValue(value: "2022", count: 1)])
        #expect(facets.missing[.year] == 1)
        // A joint text counts for each issuer; "Báo Thanh Hóa" counts the electronic edition too (as source: does).
        #expect(facets[.issuer].first == FacetValue(value: "Bộ Tài chính", count: 2))
        #expect(facets[.issuer].contains(FacetValue(value: "Bộ Thông tin và Truyền thông", count: 1)))
        #expect(facets[.source].contains(FacetValue(value: "Báo Thanh Hóa", count: 2)))
        #expect(facets[.source].contains(FacetValue(value: "Báo Thanh Hóa điện tử", count: 1)))
        #expect(facets.missing[.type] == 4)
        // Not asked for: none.
        #expect(try index.search(SearchRequest(query: "chuyển đổi số")).facets == nil)
    }

    @Test func countsEqualThePerValueFilteredSearches() throws {
        for q in ["chuyển đổi số", "chuyen doi so thanh hoa", "thông tư", "kind:news", "year:2024", "doanh nghiệp OR kho bạc"] {
            try expectCountsMatchFilteredSearches(q)
            try expectCountsMatchFilteredSearches(q, sort: .date)
        }
    }

    @Test func countsEqualThePerValueFilteredSearchesOnTheCorpusSample() throws {
        guard Fixtures.hasSampleCorpus else { return }  // skips without ../shared/corpus
        let records = try Fixtures.sampleCorpusRecords()
        let sample = TempDir("vanban-facet-sample").url
        defer { try? FileManager.default.removeItem(at: sample) }
        let corpus = try IndexConnection(directory: sample)
        try corpus.write { writer in
            for (k, o) in records.enumerated() {
                try writer.apply(IndexDocument(id: "c\(k)", seq: k + 1, hash: "\(k)", body: o["text"] as? String ?? "",
                                               metadata: DocumentMetadata(title: o["title"] as? String, source: o["source"] as? String,
                                                                          kind: o["kind"] as? String, date: o["date"] as? String)))
            }
            try writer.setAppliedSequence(records.count)
        }
        for q in ["thành phố", "chuyen doi so", "quy định", "kinh tế xã hội"] {
            let all = try corpus.search(SearchRequest(query: q, limit: 1, strict: true, facets: true))
            let facets = try #require(all.facets)
            #expect(all.total > 0)
            for field in [FacetField.kind, .source, .year] {
                for value in facets[field].prefix(6) {
                    var filters = Filters()
                    switch field {
                    case .kind: filters.kinds = [value.value]
                    case .source: filters.sources = [value.value]
                    default: filters.from = value.value; filters.to = value.value
                    }
                    let filtered = try corpus.search(SearchRequest(query: q, limit: 1, filters: filters, strict: true))
                    #expect(filtered.total == value.count, "\(q) \(field) \(value.value)")
                }
            }
        }
    }

    @Test func aRebuiltIndexGivesTheSameFacets() throws {
        let before = try results("chuyển đổi số").facets
        _ = try IndexConnection.rebuild(in: directory, appliedThrough: Self.documents.count) { writer in
            for d in Self.documents.reversed() { try writer.apply(d) }
        }
        let rebuilt = try IndexConnection(directory: directory)
        let after = try rebuilt.search(SearchRequest(query: "chuyển đổi số", limit: 2, strict: true, facets: true)).facets
        #expect(before != nil && before == after)
    }
}
