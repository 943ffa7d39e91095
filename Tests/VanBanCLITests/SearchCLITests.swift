import Foundation
import Testing

/// `vanban search`, `reindex` and `analyze` as scripts and people use them.
@Suite struct SearchCLITests {
    /// An archive with the five seeds, imported (and indexed) through the CLI.
    func seededArchive(_ dir: TempDir) throws -> [String] {
        let loc = ["--archive", dir.file("archive").path, "--index", dir.file("index").path]
        let imported = try vanban(["import", Fixtures.seeds.path, "--json"] + loc)
        #expect(imported.status == 0, "\(imported.err)")
        return loc
    }

    @Test func searchFindsTheAgreementByNumberInEveryForm() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let loc = try seededArchive(dir)
        var tops: [String] = []
        for query in ["45/2010/NĐ-CP", "45/2010/nd-cp", "45 / 2010 / NĐ - CP"] {
            let run = try vanban(["search", query, "--json"] + loc)
            #expect(run.status == 0)
            let result = try #require(run.jsonLines.first)
            let hits = try #require(result["hits"] as? [[String: Any]])
            tops.append(try #require(hits.first?["id"] as? String))
            #expect((result["total"] as? Int ?? 0) >= 1)
            #expect(result["took_ms"] is Double)
            for field in ["id", "key", "title", "source", "kind", "date", "url", "score", "snippet"] {
                #expect(hits[0].keys.contains(field), "\(field)")
            }
            #expect((hits[0]["snippet"] as? String)?.contains("<mark>") == true)
        }
        #expect(Set(tops).count == 1)
    }

    @Test func humanOutputIsPlainOffATerminal() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let loc = try seededArchive(dir)
        let run = try vanban(["search", "thanh hoa", "--limit", "2"] + loc)
        #expect(run.status == 0)
        #expect(run.stdout.contains("results for \"thanh hoa\""))
        #expect(run.stdout.contains("1. "))
        #expect(!run.stdout.contains("\u{1B}["))  // no escape codes in a pipe
        #expect(!run.stdout.contains("3. "))
    }

    @Test func batchPrintsExactlyOneLinePerInputLine() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let loc = try seededArchive(dir)
        let lines = ["thanh hoa", "", "\"unbalanced", "-only", "from:nonsense", "45/2010/NĐ-CP", "   ", "ký kết"]
        let input = Array((lines.joined(separator: "\n") + "\n").utf8) + [0xFF, 0x0A] + Array("hòa".utf8)
        let run = try vanban(["search", "--batch", "-"] + loc, stdin: input)
        #expect(run.status == 0)
        let out = run.jsonLines
        #expect(out.count == lines.count + 2)
        #expect(run.stdout.split(separator: "\n", omittingEmptySubsequences: false).dropLast().count == lines.count + 2)
        #expect((out[0]["total"] as? Int ?? 0) > 0)
        #expect((out[1]["error"] as? String)?.contains("empty") == true)
        #expect(out[2]["hits"] != nil)
        #expect((out[3]["error"] as? String)?.contains("only excludes") == true)
        #expect((out[4]["error"] as? String)?.contains("invalid date") == true)
        #expect((out[5]["total"] as? Int ?? 0) >= 1)
        #expect(out[9]["query"] as? String == "hòa")
    }

    @Test func badQueriesAndUsageExitNonZeroWithAMessage() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let loc = try seededArchive(dir)
        let bad = try vanban(["search", "year:20"] + loc)
        #expect(bad.status == 1)
        #expect(bad.err.contains("invalid year '20'"))
        let usage = try vanban(["search"] + loc)
        #expect(usage.status != 0 && usage.status != 1)
        #expect(usage.err.contains("--batch"))
        let noArchive = try vanban(["search", "x", "--archive", dir.file("nowhere").path, "--index", dir.file("i").path])
        #expect(noArchive.status == 1)
        #expect(noArchive.err.contains("no archive"))
    }

    @Test func reindexFromAnEmptyIndexDirectory() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let loc = try seededArchive(dir)
        let before = try vanban(["search", "truyền thông", "--json", "--limit", "20"] + loc).jsonLines.first
        try FileManager.default.removeItem(at: dir.file("index"))
        let run = try vanban(["reindex", "--json"] + loc)
        #expect(run.status == 0)
        let summary = try #require(run.jsonLines.first)
        #expect(summary["documents"] as? Int == 5)
        let after = try vanban(["search", "truyền thông", "--json", "--limit", "20"] + loc).jsonLines.first
        let ids = { (r: [String: Any]?) in (r?["hits"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String } }
        #expect(!ids(before).isEmpty)
        #expect(ids(before) == ids(after))
    }

    @Test func analyzeGivesOneFormForEverySpellingOfThanhHoa() throws {
        let nfd = "Thanh Hoá".decomposedStringWithCanonicalMapping
        var forms: Set<String> = []
        for text in ["Thanh Hoá", "Thanh Hóa", "THANH HOÁ", nfd] {
            let run = try vanban(["analyze", text, "--json"])
            #expect(run.status == 0)
            let tokens = try #require(try JSONSerialization.jsonObject(with: Data(run.out)) as? [[String: Any]])
            #expect(tokens.count == 2)
            forms.insert(tokens.map { "\($0["accented"] ?? "")/\($0["folded"] ?? "")" }.joined(separator: " "))
            let end = tokens[1]["end"] as? Int
            #expect(end == text.utf8.count)
        }
        #expect(forms == ["thanh/thanh hóa/hoa"])
        // From stdin, human output.
        let piped = try vanban(["analyze"], stdin: Array("Đà Nẵng".utf8))
        #expect(piped.stdout.contains("đà"))
        #expect(piped.stdout.contains("da"))
    }
}
