import Foundation
import Testing
import VanBanKit

@Suite struct CLITests {
    @Test func importJSONOutputAndExitStatus() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let archive = dir.file("a").path
        let r = try vanban(["import", "--archive", archive, "--json", "--source", "seeds", Fixtures.seeds.path])
        #expect(r.status == 0, "\(r.err)")
        #expect(r.err.isEmpty, "stdout is not a terminal: nothing on stderr with --json")
        let lines = r.jsonLines
        #expect(lines.count == 5 && r.stdout.split(separator: "\n").count == 5, "stdout is pure JSON Lines")
        for (line, seed) in zip(lines, try Fixtures.seedFiles()) {
            #expect(Set(line.keys) == ["input", "status", "id", "key", "hash", "seq", "reason"])
            #expect(line["input"] as? String == seed.path)
            #expect(line["status"] as? String == "imported")
            #expect(line["reason"] is NSNull && line["key"] is NSNull)
            #expect((line["hash"] as? String)?.count == 64)
        }
        // Human mode: summary on stderr, nothing on stdout.
        let again = try vanban(["import", "--archive", archive, Fixtures.seeds.path])
        #expect(again.status == 0 && again.out.isEmpty)
        #expect(again.err.hasPrefix("imported 0, unchanged 5, failed 0 ("), "\(again.err)")
        // One failure: exit 1, the failure named on stderr, the others still imported.
        let bad = try dir.write("bad.txt", Array("Thanh Hóa ".utf8) + [0xC3, 0x28] + Array(" tiếp theo".utf8))
        let good = try dir.write("good.txt", "Hà Nội")
        let mixed = try vanban(["import", "--archive", archive, bad.path, good.path])
        #expect(mixed.status == 1)
        #expect(mixed.err.contains("vanban: \(bad.path): "), "\(mixed.err)")
        #expect(mixed.err.contains("imported 1, unchanged 0, failed 1"))
        let mixedJSON = try vanban(["import", "--archive", archive, "--json", bad.path, good.path])
        #expect(mixedJSON.status == 1)
        #expect(mixedJSON.jsonLines.map { $0["status"] as? String } == ["failed", "unchanged"])
        #expect((mixedJSON.jsonLines[0]["reason"] as? String)?.contains("UTF-8") == true)
    }

    @Test func usageErrorsExit64() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let archive = dir.file("a").path
        for args in [["import", "--archive", archive],
                     ["import", "--archive", archive, "--key", "k", Fixtures.seeds.path],
                     ["import", "--archive", archive, "--key", "k", "a.txt", "b.txt"],
                     ["import", "--archive", archive, "--date", "2024-13-01", "x.txt"],
                     ["import", "--archive", archive, "--max-size", "lots", "x.txt"],
                     ["show", "--archive", archive, "--json", "--original", "abc"],
                     ["frobnicate"]] {
            let r = try vanban(args)
            #expect(r.status == 64, "\(args): \(r.status) \(r.err)")
            #expect(!r.err.isEmpty)
        }
        #expect(!FileManager.default.fileExists(atPath: dir.file("a/manifest.jsonl").path))
    }

    @Test func stdinAndEnvironmentLocation() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let env = ["VANBAN_ARCHIVE": dir.file("env-archive").path]
        let text = Array("Thông cáo báo chí từ stdin\n".utf8)
        let r = try vanban(["import", "--json", "--key", "stdin-1", "-"], stdin: text, environment: env)
        #expect(r.status == 0, "\(r.err)")
        #expect(r.jsonLines.first?["input"] as? String == "-")
        #expect(r.jsonLines.first?["key"] as? String == "stdin-1")
        let shown = try vanban(["show", "--original", "stdin-1"], environment: env)
        #expect(shown.status == 0 && shown.out == text)
        let lines = [jsonLine(["text": "một", "key": "j1"]), "oops", jsonLine(["text": "hai"])].joined(separator: "\n")
        let j = try vanban(["import", "--jsonl", "--json", "-"], stdin: Array(lines.utf8), environment: env)
        #expect(j.status == 1)
        #expect(j.jsonLines.map { $0["input"] as? String } == ["-:1", "-:2", "-:3"])
        #expect(j.jsonLines.map { $0["status"] as? String } == ["imported", "failed", "imported"])
    }

    @Test func showTextJSONAndOriginal() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let archive = dir.file("a").path
        let seed = try Fixtures.seedFiles()[1]
        let r = try vanban(["import", "--archive", archive, "--json", "--key", "ctph-2022", "--title", "Chương trình phối hợp",
                            "--source", "stttt.thanhhoa.gov.vn", "--kind", "agreement", "--date", "2022-09-24", seed.path])
        #expect(r.status == 0, "\(r.err)")
        let id = try #require(r.jsonLines.first?["id"] as? String)

        let original = try vanban(["show", "--archive", archive, "--original", "ctph-2022"])
        let seedBytes = try Fixtures.bytes(seed)
        #expect(original.status == 0 && original.out == seedBytes)

        let json = try vanban(["show", "--archive", archive, "--json", String(id.prefix(8))])
        #expect(json.status == 0, "\(json.err)")
        let o = try #require(json.jsonLines.first)
        for k in ["id", "key", "hash", "title", "source", "kind", "date", "url", "media_type", "size", "imported_at", "text", "seq", "versions"] {
            #expect(o[k] != nil, "show --json has \(k)")
        }
        #expect(o["id"] as? String == id && o["key"] as? String == "ctph-2022")
        #expect(o["title"] as? String == "Chương trình phối hợp" && o["kind"] as? String == "agreement")
        #expect(o["date"] as? String == "2022-09-24" && o["url"] is NSNull)
        let text = try #require(o["text"] as? String)
        #expect(text.contains("CHƯƠNG TRÌNH PHỐI HỢP") && text.contains("Căn cứ Nghị định số 45/2010/NĐ-CP"))
        #expect(o["versions"] as? Int == 1 && o["seq"] as? Int == 1)

        let human = try vanban(["show", "--archive", archive, id])
        #expect(human.status == 0)
        #expect(human.stdout.hasPrefix("id:         \(id)\nkey:        ctph-2022\ntitle:      Chương trình phối hợp\n"))
        #expect(human.stdout.contains("\nhash:       \(o["hash"] as! String)\n\n" + text), "metadata header, blank line, the text")

        let missing = try vanban(["show", "--archive", archive, "nope"])
        #expect(missing.status == 1)
        #expect(missing.err == "vanban: no document with id or key 'nope'\n")
        let noArchive = try vanban(["show", "--archive", dir.file("none").path, id])
        #expect(noArchive.status == 1 && noArchive.err.contains("no archive"))
    }

    @Test func verifyAndStats() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let archive = dir.file("a").path
        let imp = try vanban(["import", "--archive", archive, "--json", "--kind", "news", Fixtures.seeds.path])
        #expect(imp.status == 0)
        var v = try vanban(["verify", "--archive", archive, "--json"])
        #expect(v.status == 0, "\(v.stdout)")
        var o = try #require(v.jsonLines.first)
        #expect(o["ok"] as? Bool == true && o["objects"] as? Int == 5 && o["records"] as? Int == 5)

        let stats = try vanban(["stats", "--archive", archive, "--json"])
        #expect(stats.status == 0)
        let s = try #require(stats.jsonLines.first)
        #expect(s["documents"] as? Int == 5 && s["versions"] as? Int == 5 && s["objects"] as? Int == 5)
        #expect((s["by_kind"] as? [String: Any])?["news"] != nil)
        let human = try vanban(["stats", "--archive", archive])
        #expect(human.stdout.contains("documents       5\n"))

        // Flip a byte of one object: verify names it and exits 1.
        let hash = try #require(imp.jsonLines[3]["hash"] as? String)
        let path = "\(archive)/objects/\(hash.prefix(2))/\(hash.dropFirst(2)).gz"
        chmod(path, 0o644)
        var gz = try Data(contentsOf: URL(fileURLWithPath: path))
        gz[gz.count / 2] ^= 0x08
        try gz.write(to: URL(fileURLWithPath: path))
        v = try vanban(["verify", "--archive", archive, "--json"])
        #expect(v.status == 1)
        o = try #require(v.jsonLines.first)
        let problems = try #require(o["problems"] as? [[String: Any]])
        #expect(problems.count == 1 && problems[0]["path"] as? String == "objects/\(hash.prefix(2))/\(hash.dropFirst(2)).gz")
        let human2 = try vanban(["verify", "--archive", archive])
        #expect(human2.status == 1 && human2.stdout.hasPrefix("error: objects/\(hash.prefix(2))/"))
    }
}
