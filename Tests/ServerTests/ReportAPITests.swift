import Foundation
import Hummingbird
import HummingbirdTesting
@testable import Server
import Testing
import VanBanKit

/// `GET /report`, `GET /report/view`, and facets over HTTP and on the page.
@Suite struct ReportAPITests {
    @Test func reportMatchesTheLibraryInEveryFormat() async throws {
        let f = try Fixture()
        let direct = try f.library.report(try ReportPeriod(year: "2021"))
        try await f.test { client in
            let r = try await client.get("/report?year=2021")
            #expect(r.status == .ok)
            #expect(r.headers[.contentType] == "application/json; charset=utf-8")
            let want = try JSONSerialization.jsonObject(with: Data(ReportJSON.encode(direct))) as! [String: Any]
            #expect(NSDictionary(dictionary: r.json).isEqual(to: want))
            #expect(r.json["total"] as? Int == direct.total)
            let days = try await client.get("/report?from=2021-01-01&to=2021-12-31")
            #expect(days.json["total"] as? Int == direct.total)
            let csv = try await client.get("/report?half=2021H1&format=csv")
            #expect(csv.status == .ok && csv.header("Content-Type")?.hasPrefix("text/csv") == true)
            #expect(csv.text.hasPrefix("period_date,date_source,id,"))
            let markdown = try await client.get("/report?year=2021&format=markdown")
            #expect(markdown.text.hasPrefix("# Báo cáo văn bản từ 01/01/2021 đến 31/12/2021"))
            let query = try await client.get("/report?year=2021&q=xyzzy+kh%C3%B4ng+c%C3%B3")
            #expect(query.json["total"] as? Int == 0 && query.json["query"] as? String == "xyzzy không có")
        }
    }

    @Test func badPeriodsAre400sNamingTheParameter() async throws {
        let f = try Fixture()
        try await f.test { client in
            for (uri, message) in [("/report?from=2024-02-30&to=2024-03-01", "from '2024-02-30' is not a calendar date"),
                                   ("/report?from=2024-07-01&to=2024-06-30", "the period is empty"),
                                   ("/report?half=2024H3", "half '2024H3'"), ("/report", "give the period"),
                                   ("/report?year=2024&format=pdf", "format must be one of")] {
                let r = try await client.get(uri)
                #expect(r.status == .badRequest, "\(uri)")
                #expect(((r.json["error"] as? [String: Any])?["message"] as? String)?.contains(message) == true, "\(uri): \(r.text)")
            }
            let query = try await client.get("/report?year=2024&q=-only")
            #expect(query.status == .badRequest && query.text.contains("bad_query"))
            let page = try await client.get("/report/view?half=2024H3")
            #expect(page.status == .badRequest && page.text.contains("Không thể lập báo cáo"))
        }
    }

    @Test func theReportPageDrawsTheMonthsAsSVG() async throws {
        let f = try Fixture()
        let direct = try f.library.report(try ReportPeriod(year: "2021"))
        try await f.test { client in
            let empty = try await client.get("/report/view")
            #expect(empty.status == .ok && empty.text.contains("Chọn kỳ báo cáo"))
            let r = try await client.get("/report/view?year=2021")
            #expect(r.status == .ok)
            #expect(r.text.contains("<svg") && r.text.components(separatedBy: "<rect ").count - 1 == 12)
            #expect(r.text.contains("<strong class=\"total\">\(direct.total)</strong> văn bản"))
            #expect(!r.text.contains("<script>alert"))
            #expect(r.text.contains("href=\"/report?year=2021&amp;format=csv\""))
        }
    }

    @Test func facetsOverHTTPAndOnThePage() async throws {
        let f = try Fixture()
        try await f.test { client in
            let r = try await client.get("/search?q=th%C3%B4ng&facets=true&limit=1")
            #expect(r.status == .ok)
            let facets = try #require(r.json["facets"] as? [String: Any])
            let kinds = try #require(facets["kind"] as? [[String: Any]])
            #expect(kinds.compactMap { $0["count"] as? Int }.reduce(0, +) + ((facets["missing"] as? [String: Int])?["kind"] ?? 0) == r.json["total"] as? Int)
            // Each kind's count is what its filter gives.
            for kind in kinds {
                let value = try #require(kind["value"] as? String)
                let filtered = try await client.get("/search?q=th%C3%B4ng&strict=true&kind=\(value)")
                let strictAll = try await client.get("/search?q=th%C3%B4ng&strict=true&facets=true")
                let strictKinds = ((strictAll.json["facets"] as? [String: Any])?["kind"] as? [[String: Any]]) ?? []
                #expect(strictKinds.first { $0["value"] as? String == value }?["count"] as? Int == filtered.json["total"] as? Int)
            }
            let without = try await client.get("/search?q=thanh+hoa")
            #expect(without.json["facets"] == nil)
            let page = try await client.get("/?q=th%C3%B4ng")
            #expect(page.text.contains("Lọc kết quả") && page.text.contains("kind=news"))
        }
    }
}
