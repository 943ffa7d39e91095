import Foundation
import Testing
import VanBanKit

/// `vanban import` of texts that are not UTF-8: detected, or forced with --encoding; the
/// original bytes archived unchanged, the record saying how the text was converted.
@Suite struct EncodingCLITests {
    static let fixtures = Fixtures.repoRoot.appendingPathComponent("Tests/Fixtures/encodings")

    @Test func detectedTCVN3IsConvertedAndRecorded() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let archive = dir.file("a").path
        let file = Self.fixtures.appendingPathComponent("seed.tcvn3.txt")
        let r = try vanban(["import", "--archive", archive, "--json", file.path])
        #expect(r.status == 0, "\(r.err)")
        let id = try #require(r.jsonLines.first?["id"] as? String)
        let shown = try vanban(["show", "--archive", archive, "--json", id])
        #expect(shown.status == 0, "\(shown.err)")
        let doc = try #require(try JSONSerialization.jsonObject(with: Data(shown.out)) as? [String: Any])
        #expect(doc["encoding"] as? String == "tcvn3")
        #expect(doc["case_may_be_lost"] as? String == "true")
        #expect(doc["media_type"] as? String == "text/plain; charset=tcvn3")
        #expect((doc["metadata"] as? [String: Any])?["encoding_confidence"] != nil)
        let seed = try String(contentsOf: try Fixtures.seedFiles()[0], encoding: .utf8)
        #expect((doc["text"] as? String)?.lowercased() == seed.lowercased())
        // The archive keeps the original bytes.
        let original = try vanban(["show", "--archive", archive, "--original", id])
        #expect(original.out == (try Fixtures.bytes(file)))
        // Searchable in Unicode, with and without accents.
        let hit = try vanban(["search", "--archive", archive, "--json", "truyền thông"])
        #expect(hit.status == 0 && String(decoding: hit.out, as: UTF8.self).contains(id))
        // The index is rebuilt from the archive: the same conversion.
        #expect(try vanban(["reindex", "--archive", archive]).status == 0)
        let again = try vanban(["show", "--archive", archive, "--json", id])
        #expect(again.out == shown.out)
    }

    @Test func forcedEncodingAndUnknownName() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let archive = dir.file("a").path
        let viqr = Self.fixtures.appendingPathComponent("seed.viqr.txt")
        let r = try vanban(["import", "--archive", archive, "--json", "--encoding", "viqr", viqr.path])
        #expect(r.status == 0, "\(r.err)")
        let id = try #require(r.jsonLines.first?["id"] as? String)
        let text = try vanban(["show", "--archive", archive, id])
        #expect(String(decoding: text.out, as: UTF8.self).contains("Thanh Hóa"), "\(String(decoding: text.out, as: UTF8.self).prefix(300))")
        let bad = try vanban(["import", "--archive", archive, "--encoding", "klingon", viqr.path])
        #expect(bad.status == 64)
        #expect(bad.err.contains("unknown encoding 'klingon'"), "\(bad.err)")
        // JSON Lines are UTF-8 whatever --encoding says.
        let line = jsonLine(["text": "Hà Nội và Thanh Hóa"])
        let j = try vanban(["import", "--archive", archive, "--json", "--encoding", "tcvn3", "--jsonl", "-"], stdin: Array(line.utf8))
        #expect(j.status == 0, "\(j.err)")
        let jid = try #require(j.jsonLines.first?["id"] as? String)
        #expect(String(decoding: try vanban(["show", "--archive", archive, jid]).out, as: UTF8.self).contains("Hà Nội và Thanh Hóa"))
    }

    @Test func undecidableBytesAreRefusedClearly() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let file = try dir.write("fr.txt", Array("Le caf".utf8) + [0xE9] + Array(" est tr".utf8) + [0xE8] + Array("s bon".utf8))
        let r = try vanban(["import", "--archive", dir.file("a").path, file.path])
        #expect(r.status == 1)
        #expect(r.err.contains("invalid UTF-8 at byte 6 (0xE9), and the bytes do not read as a Vietnamese legacy encoding"), "\(r.err)")
        #expect(r.err.contains("--encoding"))
    }
}
