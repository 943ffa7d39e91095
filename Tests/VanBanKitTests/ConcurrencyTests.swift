import Archive
import Foundation
import SearchIndex
import Testing
@testable import VanBanKit

@Suite struct ConcurrencyTests {
    /// Two importers (two Library instances, as two processes would have) on overlapping
    /// inputs at once: nothing lost, nothing twice, seqs unique and increasing.
    @Test func twoImportersWithOverlappingInputs() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let docs = try generatedDocuments(300, salt: "conc")
        let keyed = (0..<60).map { jsonLine(["text": "phiên bản chung \($0)", "key": "shared-\($0)"]) }
        let a = try dir.write("a.jsonl", (docs[0..<200].map { jsonLine(["text": $0]) } + keyed).joined(separator: "\n"))
        let b = try dir.write("b.jsonl", (keyed + docs[100..<300].map { jsonLine(["text": $0]) }).joined(separator: "\n"))
        _ = try openLibrary(dir) // create the archive
        let archive = dir.file("archive"), index = dir.file("index")
        // Real threads (not the test runner's small cooperative pool, where two blocking tasks
        // may well run one after the other), released together.
        final class Outcome: @unchecked Sendable { var results: [ImportResult] = []; var error: Error? }
        let outcomes = [Outcome(), Outcome()]
        let start = DispatchSemaphore(value: 0), finished = DispatchGroup()
        for (file, outcome) in zip([a, b], outcomes) {
            finished.enter()
            let thread = Thread {
                defer { finished.leave() }
                start.wait()
                do {
                    let lib = try Library(archive: archive, index: index)
                    var options = ImportOptions()
                    options.batchDocuments = 16 // many small batches interleave
                    try lib.importDocuments([.path(file.path)], options: options) { outcome.results.append($0) }
                } catch { outcome.error = error }
            }
            thread.start()
        }
        start.signal(); start.signal()
        finished.wait()
        #expect(outcomes.allSatisfy { $0.error == nil })
        let all = outcomes.flatMap(\.results)
        #expect(all.count == 520)
        #expect(all.allSatisfy { $0.status != .failed })
        let imported = all.filter { $0.status == .imported }
        #expect(imported.count == 360, "each distinct document imported exactly once")
        #expect(Set(imported.map { $0.id! }).count == 360)

        let records = try Library(archive: archive, index: index).records()
        #expect(records.count == 360)
        #expect(records.map(\.seq) == Array(1...360))
        #expect(Set(records.map(\.id)).count == 360)
        #expect(Set(imported.map { $0.seq! }) == Set(1...360))
        let report = ArchiveVerifier.verify(archive: archive)
        #expect(report.isClean && report.problems.isEmpty, "\(report.problems)")
    }
}

@Suite struct StaleSnapshotTests {
    /// Importer B believes key k's current version is X (its snapshot), but another writer
    /// moved k on to Y meanwhile: re-importing X must become a new version, decided under the
    /// lock, with its text extracted and its object durable.
    @Test func staleSnapshotStillDecidesUnderTheLock() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let a = try openLibrary(dir), b = try openLibrary(dir)
        let x = try dir.write("x.txt", "Phiên bản X của văn bản."), y = try dir.write("y.txt", "Phiên bản Y của văn bản.")
        var keyed = ImportOptions()
        keyed.defaults.key = "k"
        try importAll(a, [.path(x.path)], options: keyed) // k -> X (seq 1)

        final class MoveKeyOn: ImportObserver {
            let lib: Library, file: URL
            var done = false
            init(_ lib: Library, _ file: URL) { self.lib = lib; self.file = file }
            func archiveDidCommit(_ batch: [ImportedDocument]) throws {
                guard !done else { return }
                done = true
                var o = ImportOptions()
                o.defaults.key = "k"
                try lib.importDocuments([.path(file.path)], options: o) // k -> Y, behind b's back
            }
        }
        // b: batch 1 = another document (b's snapshot then says k -> X), then A moves k to Y,
        // then batch 2 = X under key k again, via a JSON Lines line.
        let lines = try dir.write("b.jsonl", jsonLine(["text": "Một văn bản khác."]) + "\n" + jsonLine(["text": "Phiên bản X của văn bản.", "key": "k"]) + "\n")
        var options = ImportOptions()
        options.batchDocuments = 1
        options.overlapBatches = false
        let (s, results) = try importAll(b, [.path(lines.path)], options: options, observer: MoveKeyOn(a, y))
        #expect(s.failed == 0 && s.imported == 2, "\(results.map { "\($0.status) \($0.failure?.message ?? "")" })")
        #expect(results[1].status == .imported && results[1].seq == 4, "X after Y is a new version")
        let doc = try b.document(idOrKey: "k")
        #expect(doc.text == "Phiên bản X của văn bản." && doc.record.seq == 4)
        #expect(try b.versionCount(of: ContentHash.documentID(key: "k")) == 3)
        #expect(b.verify().isClean)
    }
}
