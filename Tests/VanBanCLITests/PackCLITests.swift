import Foundation
import Testing
@testable import VanBanKit

/// `vanban pack` as a user runs it, and killed (SIGKILL) at each step of its crash protocol
/// (`VANBAN_TEST_PAUSE_AT=pack-written:1`, `pack-renamed:1`, `pack-deleting:K`): nothing is
/// ever lost, and the next run finishes the work.
@Suite struct PackCLITests {
    /// `count` JSON Lines documents of real Vietnamese text (lines of the seeds), keyed.
    func corpus(_ dir: TempDir, _ count: Int, tag: String) throws -> URL {
        let lines = try Fixtures.seedFiles().flatMap { String(decoding: try Fixtures.bytes($0), as: UTF8.self).split(separator: "\n") }
            .map(String.init).filter { $0.count > 20 }
        var rng = SplitMix(seed: UInt64(count) &+ 77)
        let docs = (0..<count).map { i -> String in
            let text = "Văn bản số \(i)/\(tag)/2024/NĐ-CP\n" + (0..<(3 + Int(rng.next() % 8))).map { _ in lines[Int(rng.next() % UInt64(lines.count))] }.joined(separator: "\n")
            return jsonLine(["text": text, "key": "\(tag)-\(i)", "kind": "news"])
        }
        return try dir.write("\(tag).jsonl", docs.joined(separator: "\n") + "\n")
    }

    /// Runs `vanban args` until it prints the pause line for `pause`, then kills it.
    func killed(at pause: String, _ args: [String], environment: [String: String] = [:]) throws -> (stdout: Data, paused: Bool) {
        try runKilledAtPause(try #require(Fixtures.vanban), args, pause: pause, pauseVariable: TestPausePoint.variable,
                             environment: environment)
    }

    /// Every current document's original is readable and matches its hash.
    func everyOriginalReadable(_ archive: String, _ dir: TempDir, _ context: String) throws -> Int {
        let lib = try Library(archive: URL(fileURLWithPath: archive), index: dir.file("index"))
        let records = try lib.allCurrentRecords()
        for r in records {
            do { _ = try lib.original(idOrKey: r.id) } catch { Issue.record("\(context): \(r.id): \(error)") }
        }
        return records.count
    }

    @Test(.timeLimit(.minutes(3)), arguments: ["pack-written:1", "pack-renamed:1", "pack-deleting:1", "pack-deleting:40", "pack-deleting:81"])
    func packKilledAtEachStepLosesNothing(pause: String) throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let archive = dir.file("archive").path
        let noAuto = ["VANBAN_PACK_THRESHOLD": "0"]
        // An older pack of 40 objects, then 80 loose ones: the run merges the pack into the new
        // one (80 loose removals, then the merged pack: removal 81).
        var r = try vanban(["import", "--archive", archive, try corpus(dir, 40, tag: "a").path], environment: noAuto)
        #expect(r.status == 0, "\(r.err)")
        r = try vanban(["pack", "--archive", archive])
        #expect(r.status == 0, "\(r.err)")
        r = try vanban(["import", "--archive", archive, try corpus(dir, 80, tag: "b").path], environment: noAuto)
        #expect(r.status == 0, "\(r.err)")

        let (_, paused) = try killed(at: pause, ["pack", "--archive", archive])
        #expect(paused, "the packer stopped at \(pause) and was killed there")
        let v = try vanban(["verify", "--json", "--archive", archive])
        let problems = (v.jsonLines.first?["problems"] as? [[String: Any]]) ?? []
        #expect(v.status == 0, "killed at \(pause): \(problems.filter { $0["severity"] as? String == "error" })")
        #expect(try everyOriginalReadable(archive, dir, "after a kill at \(pause)") == 120)
        let search = try vanban(["search", "--json", "--archive", archive, "văn bản số 7"])
        #expect(search.status == 0, "\(search.err)")

        // The next run finishes: one pack of 120 objects, nothing loose, no leftovers.
        let again = try vanban(["pack", "--json", "--archive", archive])
        #expect(again.status == 0, "\(again.stdout) \(again.err)")
        let clean = try vanban(["verify", "--json", "--archive", archive])
        let o = try #require(clean.jsonLines.first)
        #expect(clean.status == 0 && (o["problems"] as? [Any])?.isEmpty == true, "\(clean.stdout)")
        #expect(o["objects"] as? Int == 120 && o["packed_objects"] as? Int == 120 && o["packs"] as? Int == 1, "\(clean.stdout)")
        #expect(try everyOriginalReadable(archive, dir, "after the next pack") == 120)
    }

    /// An import killed while it packs on its own (threshold 5, batches of 10: between batches
    /// once 16 x 5 = 80 objects are loose, then at the end): every document it reported is
    /// there; the next import finishes.
    @Test(.timeLimit(.minutes(2)), arguments: ["pack-written:2", "pack-renamed:1", "pack-deleting:5"])
    func importKilledWhilePackingLosesNothing(pause: String) throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let archive = dir.file("archive").path
        let file = try corpus(dir, 120, tag: "c")
        let (stdout, paused) = try killed(at: pause, ["import", "--json", "--batch-size", "10", "--archive", archive, file.path],
                                          environment: ["VANBAN_PACK_THRESHOLD": "5"])
        #expect(paused, "the import stopped at \(pause) while packing")
        let reported = String(decoding: stdout, as: UTF8.self).split(separator: "\n").compactMap { line -> String? in
            guard let o = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], o["status"] as? String == "imported" else { return nil }
            return o["id"] as? String
        }
        #expect(reported.count == (pause == "pack-written:2" ? 120 : 80), "batches reported before the pack: \(reported.count)")
        let v = try vanban(["verify", "--json", "--archive", archive])
        #expect(v.status == 0, "\(v.stdout)")
        let lib = try Library(archive: URL(fileURLWithPath: archive), index: dir.file("index"))
        for id in reported { #expect((try? lib.original(idOrKey: id)) != nil, "reported \(id) is readable") }

        let rest = try vanban(["import", "--archive", archive, file.path], environment: ["VANBAN_PACK_THRESHOLD": "5"])
        #expect(rest.status == 0, "\(rest.err)")
        #expect(try everyOriginalReadable(archive, dir, "after the next import") == 120)
        let clean = try vanban(["verify", "--json", "--archive", archive])
        #expect(clean.status == 0 && (clean.jsonLines.first?["problems"] as? [Any])?.isEmpty == true, "\(clean.stdout)")
    }

    @Test func packReportsWhatItDidQuietlyOffATerminal() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let archive = dir.file("archive").path
        let seeds = try Fixtures.seedFiles()
        #expect(try vanban(["import", "--archive", archive] + seeds.map(\.path)).status == 0)
        let id = try #require(try vanban(["search", "--json", "--archive", archive, "thanh hoa"]).jsonLines.first?["hits"] as? [[String: Any]])
            .first?["id"] as? String
        let loose = try vanban(["show", "--original", "--archive", archive, try #require(id)])

        let human = try vanban(["pack", "--archive", archive])
        #expect(human.status == 0 && human.stdout.isEmpty)
        let lines = human.err.split(separator: "\n")
        #expect(lines.count == 1 && lines[0].hasPrefix("packed 5 objects (5 loose"), "\(human.err)")
        #expect(human.err.contains("objects on disk") && human.err.contains("now 1 pack, 0 loose"))
        #expect(!human.err.contains("\u{1B}["), "no progress bar off a terminal")
        // show --original gives the same bytes from the pack.
        let packed = try vanban(["show", "--original", "--archive", archive, id!])
        #expect(packed.status == 0 && packed.out == loose.out && !packed.out.isEmpty)

        let json = try vanban(["pack", "--json", "--archive", archive])
        #expect(json.status == 0 && json.err.isEmpty, "--json: nothing on stderr: \(json.err)")
        let o = try #require(json.jsonLines.first)
        #expect(o["ok"] as? Bool == true && o["objects_packed"] as? Int == 0 && o["packs_after"] as? Int == 1)
        for key in ["pack", "objects_packed", "from_loose", "from_packs", "stored_bytes", "original_bytes", "pack_bytes", "index_bytes",
                    "loose_before", "loose_after", "loose_removed", "packs_before", "packs_after", "packs_merged", "indexes_rebuilt",
                    "disk_bytes_before", "disk_bytes_after", "seconds", "mb_per_s", "problems"] {
            #expect(o.keys.contains(key), "pack --json has \(key)")
        }
        let all = try vanban(["pack", "--all", "--json", "--archive", archive])
        #expect(all.status == 0 && all.jsonLines.first?["packs_after"] as? Int == 1)

        // A damaged member: verify names the pack and the object; show says what is wrong.
        let packDir = archive + "/objects/pack"
        let packName = try #require(try FileManager.default.contentsOfDirectory(atPath: packDir).first { $0.hasSuffix(".pack") })
        let packPath = packDir + "/" + packName
        chmod(packPath, 0o644)
        var bytes = try Data(contentsOf: URL(fileURLWithPath: packPath))
        bytes[bytes.count / 2] ^= 0x08
        try bytes.write(to: URL(fileURLWithPath: packPath))
        let v = try vanban(["verify", "--archive", archive])
        #expect(v.status == 1)
        #expect(v.stdout.contains("error: objects/pack/\(packName): object "), "\(v.stdout)")
        #expect(v.stdout.contains("error: objects/pack/\(packName): checksum mismatch"), "\(v.stdout)")
        // Packing again (with a new loose object, every pack merged): the damaged object has
        // no good copy, so it is reported and its pack kept as it is.
        #expect(try vanban(["import", "--archive", archive, try dir.write("moi.txt", "Thông báo mới về lịch họp tháng Ba").path],
                            environment: ["VANBAN_PACK_THRESHOLD": "0"]).status == 0)
        let failing = try vanban(["pack", "--archive", archive, "--all"])
        #expect(failing.status == 1 && failing.err.contains("not packed: no good copy"), "\(failing.err)")
        #expect(failing.err.contains(packName), "the error names the pack: \(failing.err)")
        #expect(FileManager.default.fileExists(atPath: packPath), "the only copy is kept")
    }

    @Test func helpListsPack() throws {
        let help = try vanban(["--help"])
        #expect(help.stdout.contains("pack") && help.stdout.contains("Move loose objects into a pack file"), "\(help.stdout)")
        let packHelp = try vanban(["pack", "--help"])
        #expect(packHelp.stdout.contains("VANBAN_PACK_THRESHOLD") && packHelp.stdout.contains("--all"), "\(packHelp.stdout)")
    }
}
