import Archive
import Foundation
@testable import SearchIndex
import Testing
@testable import VanBanKit

/// What a `Library` said on its own (its `notice`s).
final class Notices: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [String] = []
    var all: [String] { lock.withLock { items } }
    func add(_ s: String) { lock.withLock { items.append(s) } }
    var configuration: Library.Configuration {
        var c = Library.Configuration()
        c.notice = { [self] in add($0) }
        return c
    }
}

func textPayload(_ text: String, key: String? = nil) -> ImportInput {
    .payload(ImportPayload(name: "test", bytes: Array(text.utf8), mediaType: "text/plain; charset=utf-8",
                           metadata: DocumentMetadata(key: key)))
}

/// An index serves only the archive it was built from: a foreign index, or one ahead of its
/// archive, is rebuilt with a notice, never searched.
@Suite struct IndexOwnershipTests {
    @Test func archiveGetsOneIdOnItsFirstWrite() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let lib = try Library(archive: dir.file("a"), index: dir.file("i"), create: true)
        // (`importAll` archives without indexing; `prepareIndex` opens and catches up, as a search does.)
        let id = try #require(try ArchiveIdentity.read(archive: lib.archiveURL))
        #expect(id.count == 32)
        #expect(try ArchiveIdentity.ensure(archive: lib.archiveURL) == id, "written once, never changed")
        try importAll(lib, [textPayload("Thanh Hóa")])
        #expect(try ArchiveIdentity.read(archive: lib.archiveURL) == id)
        try lib.prepareIndex()
        let index = try lib.openIndex()
        let stored = try index.storedArchiveID()
        #expect(stored == id, "the index records the archive it belongs to")
    }

    @Test func foreignIndexIsRebuiltNotServed() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let shared = dir.file("index")
        let a = try Library(archive: dir.file("a"), index: shared, create: true)
        try importAll(a, try generatedDocuments(30).map { textPayload($0) })
        try a.prepareIndex()
        let before = try a.search(SearchRequest(query: "văn bản")).total
        #expect(before == 30)

        let notices = Notices()
        let b = try Library(archive: dir.file("b"), index: shared, create: true, configuration: notices.configuration)
        try importAll(b, [textPayload("Chương trình phối hợp Thanh Hoá")])
        try b.prepareIndex()
        #expect(try b.search(SearchRequest(query: "văn bản")).total == 0, "a's documents are not served for b")
        #expect(try b.search(SearchRequest(query: "thanh hoa")).total == 1)
        #expect(notices.all.count == 1)
        #expect(notices.all.first?.contains("belongs to another archive") == true)
        #expect(try b.status().documents == 1)
    }

    @Test func indexAheadOfItsArchiveIsRebuilt() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let a = try Library(archive: dir.file("a"), index: dir.file("index"), create: true)
        try importAll(a, try generatedDocuments(12).map { textPayload($0) })
        try a.prepareIndex()
        // The same archive (same id) with its manifest lost and two documents imported anew:
        // the index has applied 12 records, the manifest holds 2.
        try FileManager.default.removeItem(at: dir.file("a/manifest.jsonl"))
        let fresh = try Library(archive: dir.file("a"), index: dir.file("other"), create: true)
        try importAll(fresh, [textPayload("Hà Nội"), textPayload("Đà Nẵng")], options: { var o = ImportOptions(); o.indexing = false; return o }())
        let notices = Notices()
        let again = try Library(archive: dir.file("a"), index: dir.file("index"), configuration: notices.configuration)
        try again.prepareIndex()
        #expect(notices.all.first?.contains("ahead of the archive") == true, "\(notices.all)")
        #expect(try again.status().documents == 2)
        #expect(try again.search(SearchRequest(query: "ha noi")).total == 1)
    }

    @Test func indexWithoutArchiveIdIsRebuiltOnce() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let a = try Library(archive: dir.file("a"), index: dir.file("index"), create: true)
        try importAll(a, [textPayload("Hà Nội")])
        try a.prepareIndex()
        // An index made before archive ids: no archive_id in meta.
        let index = try a.openIndex()
        try index.connection.execute("DELETE FROM meta WHERE key = 'archive_id'")
        let notices = Notices()
        let again = try Library(archive: dir.file("a"), index: dir.file("index"), configuration: notices.configuration)
        try again.prepareIndex()
        #expect(notices.all.count == 1 && notices.all[0].contains("does not record which archive"))
        let second = Notices()
        try Library(archive: dir.file("a"), index: dir.file("index"), configuration: second.configuration).prepareIndex()
        #expect(second.all.isEmpty, "rebuilt once, then it is this archive's")
    }

    /// A killed reindex leaves a generation nobody points at: the next open removes it,
    /// unless a reindex holds the lock (it is building that generation right now).
    @Test func orphanGenerationsRemovedUnlessAReindexIsRunning() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let a = try Library(archive: dir.file("a"), index: dir.file("index"), create: true)
        try importAll(a, [textPayload("Hà Nội")])
        try a.prepareIndex()
        let orphan = dir.file("index/vanban-7.sqlite").path
        for suffix in ["", "-wal", ".words"] { FileManager.default.createFile(atPath: orphan + suffix, contents: Data([1, 2, 3])) }

        // A reindex "running": its lock is held (flock conflicts between open files even in
        // one process).
        let lockFD = open(dir.file("index/reindex.lock").path, O_RDWR | O_CREAT, 0o644)
        #expect(flock(lockFD, LOCK_EX | LOCK_NB) == 0)
        try Library(archive: dir.file("a"), index: dir.file("index")).prepareIndex()
        #expect(FileManager.default.fileExists(atPath: orphan), "a running reindex's generation is kept")
        flock(lockFD, LOCK_UN)
        close(lockFD)

        try Library(archive: dir.file("a"), index: dir.file("index")).prepareIndex()
        for suffix in ["", "-wal", ".words"] { #expect(!FileManager.default.fileExists(atPath: orphan + suffix)) }
        #expect(try a.search(SearchRequest(query: "ha noi")).total == 1, "the current generation is untouched")
    }
}
