import Archive
import Foundation
import Testing
@testable import VanBanKit

/// The library on a packed archive: automatic packing after import batches, every reader of
/// objects (documents, originals, reindex), healing a damaged packed object by re-importing.
@Suite struct PackingTests {
    func packFiles(_ lib: Library) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: lib.store.packDirectory)) ?? []).filter { $0.hasSuffix(".pack") }
    }

    @Test func importPacksOnItsOwnPastTheThreshold() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let lib = try openLibrary(dir)
        let docs = try generatedDocuments(95, salt: "auto")
        var options = ImportOptions()
        options.packThreshold = 5
        options.batchDocuments = 8
        // Between batches once 16 x 5 = 80 objects are loose (after batch 10), and at the end
        // (15 loose, past 5).
        let (summary, results) = try importAll(lib, docs.map { .payload(ImportPayload(name: "d", bytes: Array($0.utf8))) }, options: options)
        #expect(summary.imported == 95 && summary.failed == 0)
        #expect(summary.packRuns == 2 && summary.packedObjects == 95, "\(summary.packRuns) runs, \(summary.packedObjects) objects")
        #expect(lib.store.looseObjectCount() == 0)
        #expect(packFiles(lib).count == 2, "\(packFiles(lib))")
        for (r, text) in zip(results, docs) {
            let id = try #require(r.id)
            #expect(try lib.original(idOrKey: id).bytes == Array(text.utf8))
            #expect(try lib.document(idOrKey: id).text.hasPrefix(text.prefix(20)))
        }
        let v = lib.verify()
        #expect(v.problems.isEmpty && v.packedObjects == 95 && v.objects == 95)

        // Under the threshold: nothing is packed; at it, the import packs.
        let few = try importAll(lib, (0..<4).map { .payload(ImportPayload(name: "n", bytes: Array("Thông báo số \($0) về lịch họp".utf8))) },
                                options: options)
        #expect(few.summary.packRuns == 0 && lib.store.looseObjectCount() == 4)
        let one = try importAll(lib, [.payload(ImportPayload(name: "n", bytes: Array("Thông báo số 4 về lịch họp".utf8)))], options: options)
        #expect(one.summary.packRuns == 1 && lib.store.looseObjectCount() == 0)

        // With it off, nothing is packed.
        let other = try openLibrary(TempDir())
        defer { try? FileManager.default.removeItem(at: other.archiveURL.deletingLastPathComponent()) }
        options.packThreshold = 0
        let off = try importAll(other, docs.prefix(30).map { .payload(ImportPayload(name: "d", bytes: Array($0.utf8))) }, options: options)
        #expect(off.summary.packRuns == 0 && other.store.looseObjectCount() == 30)
    }

    @Test func reindexFromAPackedArchiveGivesTheSameResults() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let lib = try openLibrary(dir)
        var options = ImportOptions()
        options.packThreshold = 0
        try importAll(lib, paths(try Fixtures.seedFiles()), options: options)
        try importAll(lib, try generatedDocuments(60, salt: "reindex").map { .payload(ImportPayload(name: "g", bytes: Array($0.utf8))) }, options: options)
        let queries = ["thanh hoa", "Thanh Hoá", "hóa", "45/2010/nd-cp", "truyền thông -báo", "ký kết OR phối hợp",
                       "title:\"chương trình\"", "doanh nghiệp", "thông tin*", "\"chương trình phối hợp\""]
        try lib.prepareIndex()
        let before = try queries.map { try lib.search(SearchRequest(query: $0, limit: 30)) }
        #expect(before.contains { $0.total > 5 })

        let report = try lib.pack()
        #expect(report.objectsPacked == 65 && report.looseAfter == 0 && report.problems.isEmpty)
        lib.closeIdleReaders()
        try FileManager.default.removeItem(at: lib.indexURL)
        let summary = try lib.reindex()
        #expect(summary.documents == 65)
        for (query, old) in zip(queries, before) {
            let new = try lib.search(SearchRequest(query: query, limit: 30))
            #expect(new.total == old.total, "\(query)")
            #expect(new.hits.map(\.id) == old.hits.map(\.id), "\(query)")
            #expect(new.hits.map(\.snippet) == old.hits.map(\.snippet), "\(query)")
        }
    }

    @Test func reimportingHealsADamagedPackedObject() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let lib = try openLibrary(dir)
        let files = try Fixtures.seedFiles()
        let (_, results) = try importAll(lib, paths(files))
        _ = try lib.pack()
        #expect(lib.store.looseObjectCount() == 0)
        // Damage one member of the pack.
        let victim = try #require(results.first { $0.input.hasSuffix(files[2].lastPathComponent) })
        let hash = try #require(victim.hash)
        let pack = try #require(lib.store.packs.snapshot(rescan: true).packs.first)
        let key = try #require(ObjectKey(hex: hash))
        let entry = try #require(try pack.index.find(key))
        chmod(pack.packPath, 0o644)
        let handle = try FileHandle(forUpdating: URL(fileURLWithPath: pack.packPath))
        try handle.seek(toOffset: UInt64(entry.offset + entry.length / 2))
        let byte = try #require(try handle.read(upToCount: 1))
        try handle.seek(toOffset: UInt64(entry.offset + entry.length / 2))
        try handle.write(contentsOf: Data([byte[0] ^ 0x40]))
        try handle.close()
        #expect(throws: (any Error).self) { try lib.original(idOrKey: victim.id!) }
        let damaged = lib.verify()
        #expect(damaged.errors.contains { $0.path == pack.relativePath && $0.message.contains(hash) }, "\(damaged.problems)")

        // Importing the file again writes a good loose copy, which readers take first.
        let (summary, again) = try importAll(lib, paths([files[2]]))
        #expect(again.first?.status == .unchanged)
        #expect(summary.warnings.contains { $0.contains("was missing or damaged; written again") }, "\(summary.warnings)")
        #expect(FileManager.default.fileExists(atPath: lib.store.path(for: hash)))
        #expect(try lib.original(idOrKey: victim.id!).bytes == Fixtures.bytes(files[2]))
        let healed = lib.verify()
        #expect(healed.errors.allSatisfy { $0.message.contains("a good copy is in") || $0.message.contains("checksum mismatch") }, "\(healed.errors)")

        // The next pack run replaces the damaged pack: the archive verifies clean.
        let r = try lib.pack()
        #expect(r.problems.isEmpty, "\(r.problems)")
        // (Here the good copy is the very bytes the member had, so the new pack is the old one
        // as it was written, under the same name: it replaces the damaged file in place.)
        #expect(r.pack == pack.relativePath || r.packsMerged == [pack.relativePath], "\(r)")
        #expect(lib.verify().problems.isEmpty, "\(lib.verify().problems)")
        #expect(lib.store.looseObjectCount() == 0)
        for (f, res) in zip(files, results) { #expect(try lib.original(idOrKey: res.id!).bytes == Fixtures.bytes(f)) }
    }
}
