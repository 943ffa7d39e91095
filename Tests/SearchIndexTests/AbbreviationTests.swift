import DocumentModel
import Foundation
import Testing
import TestSupport
@testable import SearchIndex

/// Abbreviations (Reading/synonyms.txt): each way, typed with accents, without, in NFD; the
/// literal form first; short forms only where they are safe; the list as data.
@Suite struct AbbreviationTests {
    /// The same news written with the abbreviation and with its expansion, and distractors.
    static let documents: [IndexDocument] = [
        IndexDocument(id: "short", seq: 1, hash: "a", body: "UBND tỉnh Thanh Hóa ban hành kế hoạch chuyển đổi số năm 2024 cho các sở, ngành.",
                      metadata: DocumentMetadata(title: "Kế hoạch chuyển đổi số", kind: "news")),
        IndexDocument(id: "long", seq: 2, hash: "b", body: "Ủy ban nhân dân tỉnh Thanh Hóa ban hành kế hoạch chuyển đổi số năm 2024 cho các sở, ngành.",
                      metadata: DocumentMetadata(title: "Kế hoạch chuyển đổi số", kind: "news")),
        IndexDocument(id: "other-province", seq: 3, hash: "c", body: "Ủy ban nhân dân tỉnh Nghệ An ban hành kế hoạch phát triển du lịch.",
                      metadata: DocumentMetadata(title: "Kế hoạch du lịch", kind: "news")),
        IndexDocument(id: "hoa-only", seq: 4, hash: "d", body: "Hội hoa xuân Thanh Hóa mở cửa đón khách.",
                      metadata: DocumentMetadata(title: "Hội hoa xuân", kind: "news")),
        IndexDocument(id: "ttxvn", seq: 5, hash: "e", body: "Đẩy mạnh hợp tác thông tin giữa TTXVN và UBND tỉnh Bình Dương.",
                      metadata: DocumentMetadata(title: "Hợp tác thông tin", kind: "news")),
        IndexDocument(id: "decree", seq: 6, hash: "f", body: "Căn cứ Nghị định số 45/2010/NĐ-CP ngày 21/4/2010 quy định về tổ chức, hoạt động và quản lý hội.",
                      metadata: DocumentMetadata(title: "Chương trình phối hợp", kind: "agreement")),
        IndexDocument(id: "government", seq: 7, hash: "g", body: "Chính phủ ban hành nghị quyết về cải cách thủ tục hành chính.",
                      metadata: DocumentMetadata(title: "Nghị quyết của Chính phủ", kind: "news")),
        IndexDocument(id: "company", seq: 8, hash: "h", body: "Công ty cổ phần Sữa Việt Nam công bố kết quả kinh doanh.",
                      metadata: DocumentMetadata(title: "Kết quả kinh doanh", kind: "news")),
        IndexDocument(id: "city", seq: 9, hash: "i", body: "Thành ủy TP Hồ Chí Minh ký chương trình phối hợp truyền thông năm 2021.",
                      metadata: DocumentMetadata(title: "Ký chương trình phối hợp truyền thông", kind: "news")),
        IndexDocument(id: "rule", seq: 10, hash: "j", body: "Ban hành quy định về quản lý hồ sơ, tài liệu điện tử.",
                      metadata: DocumentMetadata(title: "Quy định quản lý hồ sơ", kind: "legal")),
        IndexDocument(id: "decision", seq: 11, hash: "k", body: "Ban hành quyết định về quản lý hồ sơ, tài liệu điện tử.",
                      metadata: DocumentMetadata(title: "Quyết định quản lý hồ sơ", kind: "legal")),
    ]

    let directory: URL
    let index: IndexConnection

    init() throws {
        directory = TempDir("vanban-abbreviation-test").url
        index = try IndexConnection(directory: directory)
        try index.write { writer in
            for d in Self.documents { try writer.apply(d) }
            try writer.setAppliedSequence(Self.documents.count)
        }
    }

    func ids(_ q: String, synonyms: SynonymTable = .bundled, strict: Bool = false) throws -> [String] {
        try index.search(SearchRequest(query: q, limit: 20, strict: strict), synonyms: synonyms).hits.map(\.id)
    }

    // MARK: The list

    @Test func theBundledListReadsCleanlyAndHoldsTheIssuesAbbreviations() throws {
        let table = SynonymTable.bundled
        #expect(table.problems.isEmpty, "\(table.problems)")
        #expect(table.count > 150)
        // Both ways: the abbreviation finds the words ...
        for (abbreviation, words) in [("UBND", "ủy ban nhân dân"), ("HĐND", "hội đồng nhân dân"), ("TT&TT", "thông tin và truyền thông"),
                                      ("TTTT", "thông tin và truyền thông"), ("TTXVN", "thông tấn xã việt nam"),
                                      ("VCCI", "phòng thương mại và công nghiệp việt nam"), ("MTTQ", "mặt trận tổ quốc"),
                                      ("BCH", "ban chấp hành"), ("HĐQT", "hội đồng quản trị"), ("HHDN", "hiệp hội doanh nghiệp")] {
            // (A word with inner punctuation is read as its parts: "TT&TT" as "TT TT".)
            let typed = abbreviation.replacingOccurrences(of: "&", with: " ")
            #expect(try index.readQuery(abbreviation).synonyms == ["\(typed) → \(words)"], "\(abbreviation)")
            // ... and the words the abbreviation.
            #expect(try index.readQuery(words).synonyms.contains { $0.hasPrefix("\(words) → ") }, "\(words)")
        }
        // Short forms and the types of Decree 30/2020's appendix III, typed in capitals.
        for (abbreviation, words) in [("DN", "doanh nghiệp"), ("TP", "thành phố"), ("TW", "trung ương"), ("CP", "chính phủ"),
                                      ("NQ", "nghị quyết"), ("QĐ", "quyết định"), ("CT", "chỉ thị"), ("QC", "quy chế"),
                                      ("QyĐ", "quy định"), ("TB", "thông báo"), ("HD", "hướng dẫn"), ("CTr", "chương trình"),
                                      ("KH", "kế hoạch"), ("PA", "phương án"), ("ĐA", "đề án"), ("BC", "báo cáo"),
                                      ("BB", "biên bản"), ("TTr", "tờ trình"), ("HĐ", "hợp đồng"), ("CĐ", "công điện"),
                                      ("BGN", "bản ghi nhớ"), ("GM", "giấy mời"), ("SY", "bản sao y")] {
            #expect(try index.readQuery(abbreviation).synonyms == ["\(abbreviation) → \(words)"], "\(abbreviation)")
        }
    }

    @Test func linesThatAreNotEntriesAreReportedAndSkipped() {
        let table = SynonymTable(parsing: "vnpt = tập đoàn bưu chính viễn thông việt nam # a comment\nno separator here\n = tập đoàn\nabc = abc\n# only a comment\n", name: "mine.txt")
        #expect(table.count == 2)
        #expect(table.problems == [
            "mine.txt:2: no \"=\" or \"=>\" between the two sides: no separator here",
            "mine.txt:3: a side has no words: = tập đoàn",
            "mine.txt:4: both sides are the same words: abc = abc",
        ])
    }

    // MARK: Both ways, folded and accented

    @Test func theAbbreviationFindsTheWordsAndRanksItsOwnFormFirst() throws {
        for query in ["UBND Thanh Hóa", "ubnd thanh hoa", "UBND Thanh Hoá"] {
            let found = try ids(query)
            #expect(Array(found.prefix(2)) == ["short", "long"], "\(query): \(found)")
            #expect(!found.contains("other-province") && !found.contains("hoa-only"), "\(query): \(found)")
        }
        #expect(try index.readQuery("UBND Thanh Hóa").synonyms == ["UBND → ủy ban nhân dân"])
    }

    @Test func theWordsFindTheAbbreviationTypedWithOrWithoutAccents() throws {
        let nfd = "Ủy ban nhân dân Thanh Hóa".decomposedStringWithCanonicalMapping
        for query in ["uy ban nhan dan thanh hoa", "Ủy ban nhân dân Thanh Hóa", "Uỷ ban nhân dân Thanh Hoá", nfd] {
            let found = try ids(query)
            #expect(Array(found.prefix(2)) == ["long", "short"], "\(query): \(found)")
            #expect(!found.contains("other-province"), "\(query): \(found)")
            #expect(try index.readQuery(query).synonyms.contains { $0.hasSuffix("→ ubnd") }, "\(query)")
        }
        // Without the list, the abbreviation is not found.
        #expect(try ids("uy ban nhan dan thanh hoa", synonyms: SynonymTable(), strict: true) == ["long"])
        #expect(try ids("uy ban nhan dan thanh hoa", strict: true).sorted() == ["long", "short"])
        #expect(try ids("thong tan xa viet nam binh duong") == ["ttxvn"])
        #expect(try ids("thành phố Hồ Chí Minh phối hợp truyền thông") == ["city"])
    }

    // MARK: Short forms

    @Test func shortFormsApplyOnlyWhenTypedAsAbbreviations() throws {
        // "CP" typed in capitals is the government; "cp" in lower case, or inside a number, is not read.
        #expect(try index.readQuery("CP cải cách").synonyms == ["CP → chính phủ"])
        #expect(try index.readQuery("cp cải cách").synonyms.isEmpty)
        #expect(try index.readQuery("45/2010/NĐ-CP").synonyms.isEmpty)
        #expect(try ids("CP cải cách thủ tục") == ["government"])
        // One way: "chính phủ" does not find every "NĐ-CP" citation.
        #expect(try index.readQuery("chính phủ").synonyms.isEmpty)
        #expect(try ids("chính phủ") == ["government"])
        // In context, "CP" after "công ty" is a joint-stock company, not the government.
        #expect(try index.readQuery("công ty CP Sữa").synonyms == ["công ty CP → công ty cổ phần"])
        #expect(try ids("công ty CP Sữa") == ["company"])
        // QyĐ (quy định) is not QĐ (quyết định).
        #expect(try ids("QyĐ quản lý hồ sơ").first == "rule")
        #expect(try ids("QĐ quản lý hồ sơ").first == "decision")
        #expect(try index.readQuery("qyđ").synonyms.isEmpty)
    }

    // MARK: The archive's own entries

    @Test func addedEntriesApplyWithoutReindexing() throws {
        let mine = SynonymTable.bundled.adding("tth = thừa thiên huế\n", name: "synonyms.txt")
        try index.write { writer in
            try writer.apply(IndexDocument(id: "hue", seq: 12, hash: "l", body: "Tỉnh Thừa Thiên Huế phát triển du lịch di sản."))
            try writer.setAppliedSequence(12)
        }
        #expect(try ids("tth du lịch").isEmpty)
        #expect(try ids("tth du lịch", synonyms: mine) == ["hue"])
        #expect(try index.readQuery("TTH", synonyms: mine).synonyms == ["TTH → thừa thiên huế"])
    }
}
