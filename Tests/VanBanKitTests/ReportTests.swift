import Foundation
import SearchIndex
import Testing
@testable import VanBanKit

/// Period reports: the period as people write it, the documents dated in it (issue date, else
/// the date given at import), totals equal to a direct count.
@Suite struct ReportTests {
    // MARK: The period

    @Test func periodsAreReadFromDaysMonthsHalvesAndYears() throws {
        func period(_ from: String? = nil, _ to: String? = nil, half: String? = nil, year: String? = nil) throws -> [String] {
            let p = try ReportPeriod(from: from, to: to, half: half, year: year)
            return [p.from, p.to]
        }
        #expect(try period("2024-01-01", "2024-06-30") == ["2024-01-01", "2024-06-30"])
        #expect(try period(half: "2024H1") == ["2024-01-01", "2024-06-30"])
        #expect(try period(half: "2024h2") == ["2024-07-01", "2024-12-31"])
        #expect(try period(year: "2024") == ["2024-01-01", "2024-12-31"])
        #expect(try period("2024-02", "2024-02") == ["2024-02-01", "2024-02-29"])
        #expect(try period("2023-02", "2023") == ["2023-02-01", "2023-12-31"])
        let p = try ReportPeriod(from: "2023-11-15", to: "2024-02-03")
        #expect(p.months == ["2023-11", "2023-12", "2024-01", "2024-02"])
    }

    @Test func badPeriodsAreRefusedNamingTheInput() {
        func message(_ from: String? = nil, _ to: String? = nil, half: String? = nil, year: String? = nil) -> String {
            do {
                _ = try ReportPeriod(from: from, to: to, half: half, year: year)
                return "accepted"
            } catch {
                #expect(error.kind == .usage)
                return error.message
            }
        }
        #expect(message("2024-02-30", "2024-03-01") == "from '2024-02-30' is not a calendar date (YYYY-MM-DD)")
        #expect(message("2024-01-01", "30/06/2024") == "to '30/06/2024' is not a date (YYYY-MM-DD, YYYY-MM or YYYY)")
        #expect(message("2024-13", "2024-12") == "from '2024-13' is not a date (YYYY-MM-DD, YYYY-MM or YYYY)")
        #expect(message("2024-07-01", "2024-06-30") == "the period is empty: from 2024-07-01 is after to 2024-06-30")
        #expect(message("2024-01-01") == "to is missing: a period needs both from and to (from is 2024-01-01)")
        #expect(message(half: "2024H3").hasPrefix("half '2024H3' is not a half year"))
        #expect(message(year: "24") == "year '24' is not a year (four digits, e.g. 2024)")
        #expect(message("2024-01-01", "2024-06-30", year: "2024") == "give the period one way only: from and to, half, or year")
        #expect(message().hasPrefix("give the period"))
        #expect(message("1900", "2024").contains("longer than 100 years"))
    }

    // MARK: The report

    /// Official texts (issue date read from the text) imported later, and news dated at import.
    static let documents: [(text: String, date: String?)] = [
        ("ỦY BAN NHÂN DÂN\nTỈNH THANH HÓA\n\nSố: 12/QĐ-UBND\n\nThanh Hóa, ngày 05 tháng 3 năm 2024\n\nQUYẾT ĐỊNH\nVề việc phê duyệt Đề án chuyển đổi số\n\nĐiều 1. Phê duyệt Đề án chuyển đổi số tỉnh Thanh Hóa.\n", "2024-07-20"),
        ("ỦY BAN NHÂN DÂN\nTỈNH THANH HÓA\n\nSố: 30/KH-UBND\n\nThanh Hóa, ngày 10 tháng 01 năm 2024\n\nKẾ HOẠCH\nChuyển đổi số năm 2024\n\nI. MỤC ĐÍCH\nĐẩy mạnh chuyển đổi số.\n", nil),
        ("Thanh Hóa đẩy mạnh chuyển đổi số trong doanh nghiệp.", "2024-04-01"),
        ("Hội nghị chuyển đổi số thu hút doanh nghiệp.", "2024-06-30"),
        ("Giá lúa tăng ở đồng bằng.", "2024-05-02"),
        ("Chuyển đổi số ở Nghệ An: kết quả năm trước.", "2023-12-31"),
        ("Chuyển đổi số, bài không có ngày.", nil),
    ]

    func library(_ dir: TempDir) throws -> Library {
        let lib = try openLibrary(dir)
        var lines: [UInt8] = []
        for (k, d) in Self.documents.enumerated() {
            var o: [String: Any] = ["key": "d\(k)", "kind": k < 2 ? "legal" : "news", "text": d.text]
            if let date = d.date { o["date"] = date }
            lines += Array(try JSONSerialization.data(withJSONObject: o)) + [0x0A]
        }
        let (summary, _) = try importAll(lib, [.payload(ImportPayload(name: "report.jsonl", bytes: lines, jsonLines: true))])
        #expect(summary.imported == Self.documents.count && summary.warnings.isEmpty, "\(summary)")
        _ = try lib.prepareIndexForReading()  // as the front ends do before searching
        return lib
    }

    /// Every current document with the date a report counts it at (directly from each
    /// document's metadata, not through the report).
    func datedDocuments(_ lib: Library) throws -> [(id: String, date: String?)] {
        try lib.search(SearchRequest(query: "", limit: 1000, filters: Filters(kinds: ["legal", "news"]))).hits.map { ($0.id, $0.metadata.issued ?? $0.metadata.date) }
    }

    @Test func totalsEqualADirectCount() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let lib = try library(dir)
        let dated = try datedDocuments(lib)
        #expect(dated.count == Self.documents.count)
        for period in [try ReportPeriod(half: "2024H1"), try ReportPeriod(year: "2023"), try ReportPeriod(from: "2024-03", to: "2024-04"),
                       try ReportPeriod(half: "2024H2")] {
            let report = try lib.report(period)
            let direct = dated.filter { $0.date.map { $0 >= period.from && $0 <= period.to } ?? false }
            #expect(report.total == direct.count, "\(period)")
            #expect(Set(report.documents.map(\.id)) == Set(direct.map(\.id)), "\(period)")
            #expect(report.byMonth.map(\.count).reduce(0, +) == report.total)
            #expect(report.byType.map(\.count).reduce(0, +) == report.total)
            #expect(report.byMonth.map(\.name) == period.months)
        }
        // The issue date read from the text wins over the later date given at import.
        let half = try lib.report(try ReportPeriod(half: "2024H1"))
        #expect(half.total == 5)
        #expect(half.byMonth.map(\.count) == [1, 0, 1, 1, 1, 1])
        #expect(half.documents.first?.dateIsIssued == true && half.documents.first?.date == "2024-01-10")
        #expect(half.byIssuer.first?.count == 2 && half.byIssuer.last == ReportCount(name: nil, count: 3))
        #expect(try lib.report(try ReportPeriod(half: "2024H2")).total == 0)
    }

    @Test func aQueryCountsOnlyWhatItFinds() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let lib = try library(dir)
        let period = try ReportPeriod(half: "2024H1")
        let found = try lib.search(SearchRequest(query: "chuyển đổi số", limit: 1000))
        let inPeriod = found.hits.filter { hit in (hit.metadata.issued ?? hit.metadata.date).map { $0 >= period.from && $0 <= period.to } ?? false }
        let report = try lib.report(period, query: "chuyển đổi số")
        #expect(report.query == "chuyển đổi số")
        #expect(report.total == inPeriod.count && report.total == 4)
        #expect(try lib.report(period, query: "giá lúa").total == 1)
        #expect(throws: QueryError.self) { try lib.report(period, query: "-only") }
    }

    @Test func formatsCarryTheSameCounts() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let lib = try library(dir)
        let report = try lib.report(try ReportPeriod(half: "2024H1"))
        let json = try #require(try JSONSerialization.jsonObject(with: Data(ReportJSON.encode(report))) as? [String: Any])
        #expect(json["total"] as? Int == 5 && json["from"] as? String == "2024-01-01" && json["to"] as? String == "2024-06-30")
        #expect((json["by_month"] as? [[String: Any]])?.count == 6)
        #expect((json["documents"] as? [[String: Any]])?.first?["date_source"] as? String == "issued")
        let csv = ReportText.csv(report).components(separatedBy: "\r\n").filter { !$0.isEmpty }
        #expect(csv.count == 6 && csv[0] == "period_date,date_source,id,number,type,title,issuer,source,kind,url")
        let markdown = ReportText.markdown(report)
        #expect(markdown.hasPrefix("# Báo cáo văn bản từ 01/01/2024 đến 30/06/2024\n"))
        #expect(markdown.contains("Tổng số: **5** văn bản"))
        #expect(markdown.contains("| 03/2024 |          1 |"))
        #expect(ReportText.csvField("a, \"b\"\nc") == "\"a, \"\"b\"\"\nc\"")
        #expect(ReportText.cell("a|b\nc") == "a\\|b c")
    }

    // MARK: Facets and synonyms through the library

    @Test func reindexGivesTheSameFacets() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let lib = try library(dir)
        let queries = ["chuyển đổi số", "thanh hoa", "kind:news"]
        let before = try queries.map { try lib.search(SearchRequest(query: $0, facets: true)).facets }
        _ = try lib.reindex()
        let after = try queries.map { try lib.search(SearchRequest(query: $0, facets: true)).facets }
        #expect(before.allSatisfy { $0 != nil } && before == after)
        #expect(before[0]?[.type].map(\.count).reduce(0, +) == 2)
    }

    @Test func theArchivesOwnSynonymsApplyAtTheNextSearch() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        final class Notices: @unchecked Sendable {
            let lock = NSLock()
            var all: [String] = []
        }
        let notices = Notices()
        var configuration = Library.Configuration()
        configuration.searchBudget = .unlimited
        configuration.cacheEntries = 16
        configuration.notice = { message in notices.lock.withLock { notices.all.append(message) } }
        let seeded = try library(dir)
        let lib = try Library(archive: seeded.archiveURL, index: seeded.indexURL, configuration: configuration)
        let request = SearchRequest(query: "cđs thanh hoa", strict: true)
        #expect(try lib.search(request).total == 0)
        let file = seeded.archiveURL.appendingPathComponent("synonyms.txt")
        try Data("cđs = chuyển đổi số\nnot an entry\n".utf8).write(to: file)
        let found = try lib.search(request)
        #expect(found.total == 3)
        #expect(found.reading.synonyms == ["cđs → chuyển đổi số"])
        #expect(notices.lock.withLock { notices.all } == ["warning: \(file.path):2: no \"=\" or \"=>\" between the two sides: not an entry"])
        try FileManager.default.removeItem(at: file)
        #expect(try lib.search(request).total == 0, "the cached answer of the old list is not served")
    }
}
