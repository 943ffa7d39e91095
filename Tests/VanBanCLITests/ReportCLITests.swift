import Foundation
import Testing

/// `vanban report`, `vanban search --facets` and the abbreviations, as scripts and people use them.
@Suite struct ReportCLITests {
    func seededArchive(_ dir: TempDir) throws -> [String] {
        let loc = ["--archive", dir.file("archive").path, "--index", dir.file("index").path]
        let imported = try vanban(["import", Fixtures.seeds.path, "--json"] + loc)
        #expect(imported.status == 0, "\(imported.err)")
        // Dated documents: two news items of 2021 and an official text issued in 2021, imported with a 2022 date.
        let lines = [
            #"{"key": "n1", "kind": "news", "date": "2021-03-15", "text": "Thanh Hóa đẩy mạnh chuyển đổi số."}"#,
            #"{"key": "n2", "kind": "news", "date": "2021-09-01", "text": "Hội nghị chuyển đổi số ở Nghệ An."}"#,
            #"{"key": "q1", "kind": "legal", "date": "2022-01-05", "text": "ỦY BAN NHÂN DÂN\nTỈNH THANH HÓA\n\nSố: 12/QĐ-UBND\n\nThanh Hóa, ngày 05 tháng 3 năm 2021\n\nQUYẾT ĐỊNH\nVề việc phê duyệt Đề án chuyển đổi số\n\nĐiều 1. Phê duyệt Đề án.\n"}"#,
        ]
        let file = dir.file("dated.jsonl")
        try (lines.joined(separator: "\n") + "\n").write(to: file, atomically: true, encoding: .utf8)
        let dated = try vanban(["import", file.path, "--json"] + loc)
        #expect(dated.status == 0, "\(dated.err)")
        return loc
    }

    @Test func reportInMarkdownJSONAndCSV() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let loc = try seededArchive(dir)
        let json = try vanban(["report", "--year", "2021", "--json"] + loc)
        #expect(json.status == 0, "\(json.err)")
        let report = try #require(json.jsonLines.first)
        let total = try #require(report["total"] as? Int)
        #expect(total == 3)
        let months = try #require(report["by_month"] as? [[String: Any]])
        #expect(months.count == 12 && months.compactMap { $0["count"] as? Int }.reduce(0, +) == total)
        #expect((report["documents"] as? [Any])?.count == total)
        // The same period by its days, and by halves that add up to it.
        let days = try vanban(["report", "--from", "2021-01-01", "--to", "2021-12-31", "--json"] + loc)
        #expect(days.jsonLines.first?["total"] as? Int == total)
        let h1 = try vanban(["report", "--half", "2021H1", "--json"] + loc).jsonLines.first?["total"] as? Int ?? -1
        let h2 = try vanban(["report", "--half", "2021H2", "--json"] + loc).jsonLines.first?["total"] as? Int ?? -1
        #expect(h1 + h2 == total)
        let markdown = try vanban(["report", "--year", "2021"] + loc)
        #expect(markdown.status == 0)
        #expect(markdown.stdout.hasPrefix("# Báo cáo văn bản từ 01/01/2021 đến 31/12/2021\n"))
        #expect(markdown.stdout.contains("## Theo tháng") && markdown.stdout.contains("## Danh sách"))
        let csv = try vanban(["report", "--year", "2021", "--csv"] + loc)
        #expect(csv.stdout.components(separatedBy: "\r\n").filter { !$0.isEmpty }.count == total + 1)
        // With a query: only what it finds.
        let query = try vanban(["report", "--year", "2021", "không có từ này xyzzy", "--json"] + loc)
        #expect(query.status == 0 && query.jsonLines.first?["total"] as? Int == 0)
        let found = try vanban(["report", "--year", "2021", "+\"thanh hóa\" chuyển đổi số", "--json"] + loc)
        #expect(found.status == 0 && found.jsonLines.first?["total"] as? Int == 2, "\(found.stdout)")
    }

    @Test func badPeriodsAreUsageErrorsNamingTheInput() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let loc = try seededArchive(dir)
        for (args, message) in [(["--from", "2024-02-30", "--to", "2024-03-01"], "from '2024-02-30' is not a calendar date"),
                                (["--from", "2024-07-01", "--to", "2024-06-30"], "the period is empty: from 2024-07-01 is after to 2024-06-30"),
                                (["--half", "2024H3"], "half '2024H3' is not a half year"),
                                ([], "give the period"),
                                (["--year", "2024", "--json", "--csv"], "either --json or --csv")] {
            let run = try vanban(["report"] + args + loc)
            #expect(run.status == 64, "\(args)")
            #expect(run.err.contains(message), "\(args): \(run.err)")
        }
        let query = try vanban(["report", "--year", "2021"] + loc + ["--", "-only"])
        #expect(query.status == 1 && query.err.contains("only excludes"))
    }

    @Test func facetsAndAbbreviations() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let loc = try seededArchive(dir)
        let run = try vanban(["search", "thanh hoa", "--facets", "--json", "--limit", "1"] + loc)
        let result = try #require(run.jsonLines.first)
        let facets = try #require(result["facets"] as? [String: Any])
        let kinds = try #require(facets["kind"] as? [[String: Any]])
        let missing = (facets["missing"] as? [String: Int])?["kind"] ?? -1
        #expect(kinds.compactMap { $0["count"] as? Int }.reduce(0, +) + missing == result["total"] as? Int)
        #expect(Set(facets.keys) == ["kind", "type", "issuer", "source", "year", "missing"])
        let human = try vanban(["search", "thanh hoa", "--facets", "--limit", "1"] + loc)
        #expect(human.stdout.contains("kind: "))
        // Seed 004 says "TTXVN"; the words find it, and analyze says why.
        let words = try vanban(["search", "thong tan xa viet nam binh duong", "--json"] + loc)
        let hits = try #require(words.jsonLines.first?["hits"] as? [[String: Any]])
        #expect((hits.first?["snippet_text"] as? String)?.contains("TTXVN") == true)
        let analyze = try vanban(["analyze", "--query", "uy ban nhan dan binh duong"] + loc)
        #expect(analyze.stdout.contains("synonyms: uy ban nhan dan → ubnd"), "\(analyze.stdout)")
    }
}
