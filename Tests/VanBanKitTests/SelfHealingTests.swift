import Archive
import Foundation
import Testing
@testable import VanBanKit

/// What interrupted work leaves behind is cleaned up by the next writer or `verify --repair`,
/// and a damaged object is healed by importing its file again.
@Suite struct SelfHealingTests {
    /// The pid of a process that has exited (and been reaped): no process has it now.
    func deadPID() throws -> pid_t {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/sh")
        p.arguments = ["-c", "exit 0"]
        try p.run()
        p.waitUntilExit()
        return p.processIdentifier
    }

    @Test func nextWriterRemovesTemporaryFilesOfDeadProcessesOnly() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let lib = try openLibrary(dir)
        try importAll(lib, [textPayload("Thanh Hóa")])
        let objects = lib.store.objectsPath + "/ab"
        try FileManager.default.createDirectory(atPath: objects, withIntermediateDirectories: true)
        let dead = "\(objects)/.tmp-\(try deadPID())-x1-1"
        let alive = "\(objects)/.tmp-\(getppid())-x2-1"  // our parent: alive throughout
        for p in [dead, alive] { FileManager.default.createFile(atPath: p, contents: Data("gz".utf8)) }
        #expect(lib.verify().warnings.count == 2)

        try importAll(lib, [textPayload("Hà Nội")])
        #expect(!FileManager.default.fileExists(atPath: dead), "left by a dead process: removed")
        #expect(FileManager.default.fileExists(atPath: alive), "a live process may still be writing it")
        unlink(alive)
        #expect(lib.verify().problems.isEmpty)
    }

    @Test func reimportRewritesAMissingOrDamagedObject() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let lib = try openLibrary(dir)
        let file = try dir.write("van-ban.txt", "Quyết định số 45/2010/NĐ-CP về Thanh Hoá\n")
        let (_, first) = try importAll(lib, [.path(file.path)])
        let hash = try #require(first.first?.hash)
        let object = lib.store.path(for: hash)

        chmod(object, 0o644)
        try Data("không phải gzip".utf8).write(to: URL(fileURLWithPath: object))
        #expect(!lib.verify().isClean)
        var (summary, results) = try importAll(lib, [.path(file.path)])
        #expect(results.first?.status == .unchanged, "the manifest already has this version")
        #expect(summary.warnings.contains { $0.contains("was missing or damaged; written again") })
        #expect(lib.verify().problems.isEmpty)
        #expect(try lib.store.bytes(hash) == Array(try Data(contentsOf: file)))

        unlink(object)
        (summary, results) = try importAll(lib, [.path(file.path)])
        #expect(results.first?.status == .unchanged)
        #expect(lib.verify().problems.isEmpty)
        #expect(try manifestLineCount(lib) == 1, "healing adds no record")
    }

    @Test func repairKeepsATornTailAsideAndCleansLeftovers() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let lib = try openLibrary(dir)
        try importAll(lib, try generatedDocuments(3).map { textPayload($0) })
        let torn = Array(#"{"seq":4,"id":"deadbeefdeadbeef","hash":"ab"#.utf8)
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: lib.manifest.path))
        try handle.seekToEnd()
        try handle.write(contentsOf: torn)
        try handle.close()
        let temp = lib.store.objectsPath + "/00"
        try FileManager.default.createDirectory(atPath: temp, withIntermediateDirectories: true)
        FileManager.default.createFile(atPath: temp + "/.tmp-\(try deadPID())-y-3", contents: Data())
        #expect(!lib.verify().isClean)

        let report = try lib.repair()
        let kept = try #require(report.tornTailKeptAs)
        #expect(kept.hasPrefix("manifest.jsonl.torn-"))
        #expect(Array(try Data(contentsOf: dir.file("archive/" + kept))) == torn, "the torn bytes are kept, not deleted")
        #expect(report.temporaryFilesRemoved == 1)
        let v = lib.verify()
        #expect(v.problems.isEmpty, "\(v.problems)")
        #expect(try lib.records().map(\.seq) == [1, 2, 3])
        // Nothing left to do the second time.
        let again = try lib.repair()
        #expect(again.tornTailKeptAs == nil && again.temporaryFilesRemoved == 0)
    }
}
