import Foundation
import Testing

/// The command line's side of issue 11: where the index of `--archive DIR` lives, keys that
/// look like ids, `show` saying what matched, `verify --repair`, JSON Lines `null`.
@Suite struct ReliabilityCLITests {
    @Test func archiveWithoutIndexUsesTheIndexInsideIt() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let a = dir.file("a").path, b = dir.file("b").path
        #expect(try vanban(["import", "--archive", a, Fixtures.seeds.path]).status == 0)
        #expect(FileManager.default.fileExists(atPath: a + "/.index/current"))
        #expect(try vanban(["import", "--archive", b, try dir.write("x.txt", "Hà Nội ký kết\n").path]).status == 0)
        let search = try vanban(["search", "--archive", b, "--json", "thanh hoa"])
        #expect(search.status == 0)
        #expect(search.jsonLines.first?["total"] as? Int == 0, "b's index holds b's documents only")
        #expect(!FileManager.default.fileExists(atPath: dir.file("index").path))

        // An index named explicitly that belongs to the other archive is rebuilt, with a message.
        let foreign = try vanban(["search", "--archive", b, "--index", a + "/.index", "--json", "ha noi"])
        #expect(foreign.status == 0)
        #expect(foreign.err.contains("belongs to another archive"))
        #expect(foreign.jsonLines.first?["total"] as? Int == 1)
    }

    @Test func keysAndShow() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let a = dir.file("a").path
        let file = try dir.write("tb.txt", "Thông báo số 12/TB-STP\n")
        let imported = try vanban(["import", "--archive", a, "--json", "--key", "tb-12", "--kind", "news", file.path])
        let id = try #require(imported.jsonLines.first?["id"] as? String)
        let refused = try vanban(["import", "--archive", a, "--key", id, file.path])
        #expect(refused.status != 0)
        #expect(refused.err.contains("has the form of a document id"))
        for (name, matched) in [(id, "id"), ("tb-12", "key"), (String(id.prefix(7)), "id_prefix")] {
            let show = try vanban(["show", "--archive", a, "--json", name])
            #expect(show.jsonLines.first?["matched"] as? String == matched)
        }
        _ = try dir.write("tb.txt", "Thông báo số 12/TB-STP (sửa đổi)\n")
        #expect(try vanban(["import", "--archive", a, "--key", "tb-12", file.path]).status == 0)
        #expect(try vanban(["show", "--archive", a, "--json", "tb-12"]).jsonLines.first?["kind"] as? String == "news")
    }

    @Test func jsonLinesNullAndRepair() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let a = dir.file("a").path
        let r = try vanban(["import", "--archive", a, "--jsonl", "-"], stdin: Array("null\n{\"text\":\"Hà Nội\"}\n".utf8))
        #expect(r.status == 1)
        #expect(r.err.contains("-:1: not a JSON object (the line is null)"), "\(r.err)")
        let manifest = a + "/manifest.jsonl"
        let h = try FileHandle(forWritingTo: URL(fileURLWithPath: manifest))
        try h.seekToEnd(); try h.write(contentsOf: Data("{\"seq\":2,\"id\":".utf8)); try h.close()
        #expect(try vanban(["verify", "--archive", a]).status == 1)
        let repaired = try vanban(["verify", "--repair", "--archive", a])
        #expect(repaired.status == 0, "\(repaired.stdout)")
        #expect(repaired.err.contains("moved the torn last line of manifest.jsonl to manifest.jsonl.torn-"))
        #expect(repaired.err.contains("0 errors, 0 warnings"))
    }

    @Test func closedStandardInputGetsAClearMessage() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let exe = try #require(Fixtures.vanban)
        let r = try runProgram("/bin/sh", ["-c", "exec \"$0\" import --archive \"$1\" - <&-", exe, dir.file("a").path])
        #expect(r.status == 1)
        #expect(r.err.contains("standard input is closed"), "\(r.err)")
        #expect(!r.err.contains("Invalid argument"))
    }
}
