import Foundation
import Testing
@testable import VanBanKit

/// A child `vanban import --json` killed with SIGKILL at exact instants of the pipeline (the
/// importer's test pause points: objects written but not durable, durable but not in the
/// manifest, in the manifest but not reported, reported): after each kill the archive verifies
/// clean and holds every document the child had reported as imported.
@Suite struct CrashTests {
    struct Reported: Hashable { let id: String; let hash: String; let seq: Int }

    /// Round `r`'s input: fresh keyless documents, keyed documents whose text changes every
    /// round (new versions), and some documents of the previous round again (unchanged).
    func roundFile(_ dir: TempDir, round r: Int, documents n: Int) throws -> URL {
        let seedTexts = try Fixtures.seedFiles().map { String(decoding: try Fixtures.bytes($0), as: UTF8.self) }
        var lines: [String] = []
        for i in 0..<n {
            let seed = seedTexts[i % seedTexts.count]
            let cut = seed.index(seed.startIndex, offsetBy: min(seed.count, 400 + (i * 37) % 3000))
            switch i % 4 {
            case 0: lines.append(jsonLine(["text": "Văn bản \(r)-\(i).\n" + seed[..<cut], "kind": "news"]))
            case 1: lines.append(jsonLine(["text": "Phiên bản \(r) của văn bản \(i).\n" + seed[..<cut], "key": "doc-\(i)"]))
            case 2: lines.append(jsonLine(["text": "Văn bản \(max(0, r - 1))-\(i).\n" + seed[..<cut], "kind": "news"]))
            default: lines.append(jsonLine(["text": "Bản ổn định \(i).\n" + seed[..<cut], "key": "stable-\(i)"]))
            }
        }
        return try dir.write("round-\(r).jsonl", lines.joined(separator: "\n") + "\n")
    }

    /// Runs `vanban import --json` until it stops at `pause` ("STAGE:BATCH"), then kills it
    /// with SIGKILL. Returns what it printed on stdout and whether it was paused when killed.
    func importKilled(at pause: String, archive: String, index: String, file: URL) throws -> (stdout: Data, paused: Bool) {
        try runKilledAtPause(try #require(Fixtures.vanban),
                             ["import", "--json", "--batch-size", "8", "--archive", archive, "--index", index, file.path],
                             pause: pause, pauseVariable: TestPausePoint.variable)
    }

    func reportedImported(_ stdout: Data) -> [Reported] {
        // Only complete lines count: the child may die in the middle of writing one.
        var text = String(decoding: stdout, as: UTF8.self)
        if !text.hasSuffix("\n"), let nl = text.lastIndex(of: "\n") { text = String(text[...nl]) } else if !text.hasSuffix("\n") { text = "" }
        return text.split(separator: "\n").compactMap { line in
            guard let o = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  o["status"] as? String == "imported",
                  let id = o["id"] as? String, let hash = o["hash"] as? String, let seq = o["seq"] as? Int else { return nil }
            return Reported(id: id, hash: hash, seq: seq)
        }
    }

    @Test(.timeLimit(.minutes(2)))
    func sigkillAtEachStageLosesNothingAcknowledged() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let archive = dir.file("archive").path
        let index = dir.file("index").path
        let documents = 320
        // An empty archive to start from.
        _ = try Library(archive: URL(fileURLWithPath: archive), index: dir.file("index"), create: true)
        var allReported: [Reported] = []
        // Every stage, at the first batch and at later ones.
        let pauses = TestPausePoint.allCases.flatMap { stage in [1, 3].map { "\(stage.rawValue):\($0)" } }
        let rounds = pauses.count
        for (r, pause) in pauses.enumerated() {
            let file = try roundFile(dir, round: r, documents: documents)
            let (stdout, paused) = try importKilled(at: pause, archive: archive, index: index, file: file)
            #expect(paused, "round \(r): the child stopped at \(pause) and was killed there")
            let reported = reportedImported(stdout)
            allReported += reported

            // verify has no errors (stray temp files of the killed child are warnings until the
            // next import removes them).
            let v = try vanban(["verify", "--json", "--archive", archive])
            let problems = (v.jsonLines.first?["problems"] as? [[String: Any]]) ?? []
            #expect(v.status == 0, "round \(r), killed at \(pause): \(problems.filter { $0["severity"] as? String == "error" })")

            // Everything ever reported imported is there, with its object intact.
            let lib = try Library(archive: URL(fileURLWithPath: archive), index: dir.file("index"))
            let records = try lib.records()
            #expect(records.map(\.seq) == (0..<records.count).map { $0 + 1 }, "seqs are 1...n")
            let bySeq = Dictionary(uniqueKeysWithValues: records.map { ($0.seq, $0) })
            for d in allReported {
                let rec = bySeq[d.seq]
                #expect(rec?.id == d.id && rec?.hash == d.hash, "reported seq \(d.seq) is in the manifest")
                #expect((try? lib.store.bytes(d.hash)) != nil, "object of seq \(d.seq) is readable and matches")
            }
            if pause.hasPrefix("reported") { #expect(!reported.isEmpty, "a batch was reported before \(pause)") }
        }

        // Resuming: importing every round's file again completes, and everything is there once.
        let rest = try vanban(["import", "--json", "--archive", archive, "--index", index] + (0..<rounds).map { dir.file("round-\($0).jsonl").path })
        #expect(rest.status == 0, "\(rest.err)")
        let lib = try Library(archive: URL(fileURLWithPath: archive), index: dir.file("index"))
        let current = try lib.allCurrentRecords()
        let stableKeys = Set(current.compactMap(\.metadata.key).filter { $0.hasPrefix("stable-") })
        #expect(stableKeys.count == documents / 4, "each stable key exactly once")
        let docKeys = current.compactMap(\.metadata.key).filter { $0.hasPrefix("doc-") }
        #expect(docKeys.count == documents / 4)
        // The last round's file was imported last: its texts are the current versions.
        let doc1 = try lib.document(idOrKey: "doc-1")
        #expect(doc1.text.hasPrefix("Phiên bản \(rounds - 1) của văn bản 1."))
        // After the crash loop and a normal import, verify is clean without a single warning:
        // the import removed the temporary files the killed children left (their pids are dead).
        let v = try vanban(["verify", "--json", "--archive", archive, "--index", index])
        #expect(v.status == 0, "\(v.stdout)")
        let problems = (v.jsonLines.first?["problems"] as? [[String: Any]]) ?? [["missing": true]]
        #expect(problems.isEmpty, "\(problems.prefix(3))")
    }
}

@Suite struct TwoProcessesTests {
    /// Two `vanban import` processes at once on overlapping inputs: every document once,
    /// seqs unique and increasing, archive clean.
    @Test func concurrentImportProcesses() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let archive = dir.file("archive").path
        let seedTexts = try Fixtures.seedFiles().map { String(decoding: try Fixtures.bytes($0), as: UTF8.self) }
        func doc(_ i: Int) -> String {
            let s = seedTexts[i % seedTexts.count]
            return jsonLine(["text": "Tài liệu \(i)\n" + s.prefix(300 + i % 700), "key": i % 3 == 0 ? "k-\(i)" : ""])
        }
        let a = try dir.write("a.jsonl", (0..<240).map(doc).joined(separator: "\n"))
        let b = try dir.write("b.jsonl", (120..<360).reversed().map(doc).joined(separator: "\n"))
        var children: [(Process, DataBox, DispatchSemaphore)] = []
        for file in [a, b] {
            let p = Process()
            p.executableURL = URL(fileURLWithPath: try #require(Fixtures.vanban))
            p.arguments = ["import", "--json", "--batch-size", "10", "--archive", archive, "--index", dir.file("index").path, file.path]
            let out = Pipe()
            p.standardOutput = out
            p.standardError = FileHandle.nullDevice
            try p.run()
            let box = DataBox(), done = DispatchSemaphore(value: 0)
            let h = out.fileHandleForReading
            DispatchQueue.global().async { box.data = h.readDataToEndOfFile(); done.signal() }
            children.append((p, box, done))
        }
        var statuses: [String: Int] = [:]
        var importedIDs: [String] = []
        for (p, box, done) in children {
            p.waitUntilExit()
            done.wait()
            #expect(p.terminationStatus == 0)
            for line in String(decoding: box.data, as: UTF8.self).split(separator: "\n") {
                let o = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
                let s = o["status"] as! String
                statuses[s, default: 0] += 1
                if s == "imported" { importedIDs.append(o["id"] as! String) }
            }
        }
        #expect(statuses["imported"] == 360 && statuses["unchanged"] == 120 && statuses["failed"] == nil)
        #expect(Set(importedIDs).count == 360)
        let lib = try Library(archive: URL(fileURLWithPath: archive), index: dir.file("index"))
        let records = try lib.records()
        #expect(records.map(\.seq) == Array(1...360))
        #expect(Set(records.map(\.id)).count == 360)
        let v = try vanban(["verify", "--archive", archive])
        #expect(v.status == 0, "\(v.stdout)")
    }
}
