import Archive
import Foundation
@testable import SearchIndex
import Testing
@testable import VanBanKit

/// The index follows the archive: during import, after a crash between archive and index,
/// when another process imported, and after a full rebuild.
@Suite struct IndexSyncTests {
    func ids(_ index: IndexConnection, _ query: String) throws -> [String] {
        try index.search(SearchRequest(query: query, limit: 50)).hits.map(\.id)
    }

    @Test func importIndexesEachDurableBatch() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let library = try openLibrary(dir)
        let index = try library.openIndex()
        let (summary, results) = try importAll(library, paths(try Fixtures.seedFiles()),
                                               observer: library.indexingObserver(index))
        #expect(summary.imported == 5)
        #expect(try index.appliedSequence() == 5)
        #expect(try library.indexLag(index) == 0)
        let agreement = try #require(results.first { $0.input.hasSuffix("001_f06a74d7aed0fe0b.txt") }?.id)
        #expect(try ids(index, "45/2010/NĐ-CP").first == agreement)
        #expect(try ids(index, "thanh hoa").count >= 3)
    }

    @Test func aCrashBetweenArchiveAndIndexHealsOnTheNextOpen() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let library = try openLibrary(dir)
        // The archive commits, the index never hears of it (the process died in between).
        try importAll(library, paths(try Fixtures.seedFiles()))
        let stale = try IndexConnection(directory: library.indexURL)
        #expect(try stale.appliedSequence() == 0)
        #expect(try library.indexLag(stale) == 5)
        #expect(throws: QueryError.self) { try stale.search(SearchRequest(query: "")) }
        #expect(try ids(stale, "thanh hoa").isEmpty)
        // Any command that opens the index catches up first.
        let healed = try library.openIndex()
        #expect(try healed.appliedSequence() == 5)
        #expect(try ids(healed, "thanh hoa").count >= 3)
        // And the stale connection sees the committed catch-up too.
        #expect(try ids(stale, "thanh hoa").count >= 3)
    }

    @Test func aGapLeftByAnotherImporterIsFilledBeforeTheNextBatch() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let seeds = try Fixtures.seedFiles()
        // Another process archives two documents without indexing them.
        try importAll(try openLibrary(dir), paths(Array(seeds.prefix(2))))
        // This process indexes its own batch; the index must not skip seqs 1-2.
        let library = try openLibrary(dir)
        let index = try IndexConnection(directory: library.indexURL)
        try importAll(library, paths(Array(seeds.suffix(3))), observer: library.indexingObserver(index))
        #expect(try index.appliedSequence() == 5)
        #expect(try index.documentCount() == 5)
    }

    @Test func newVersionsReplaceOldOnesInTheIndex() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let library = try openLibrary(dir)
        let index = try library.openIndex()
        var options = ImportOptions()
        options.defaults.key = "thong-bao-1"
        let first = try dir.write("v1.txt", "Thông báo về lịch họp tháng Giêng")
        let second = try dir.write("v2.txt", "Thông báo về lịch họp tháng Hai")
        try importAll(library, paths([first]), options: options, observer: library.indexingObserver(index))
        try importAll(library, paths([second]), options: options, observer: library.indexingObserver(index))
        #expect(try ids(index, "tháng Hai").count == 1)
        #expect(try ids(index, "Giêng").isEmpty)
        #expect(try index.documentCount() == 1)
    }

    @Test func reindexGivesTheSameResultsAsIncrementalIndexing() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let library = try openLibrary(dir)
        let index = try library.openIndex()
        try importAll(library, paths(try Fixtures.seedFiles()), observer: library.indexingObserver(index))
        let queries = ["thanh hoa", "Thanh Hoá", "hóa", "45/2010/nd-cp", "truyền thông -báo", "ký kết OR phối hợp",
                       "title:\"chương trình\"", "kind:news", "thông tin*", "\"doanh nghiệp\""]
        let before = try queries.map { try index.search(SearchRequest(query: $0, limit: 20)) }
        let summary = try library.reindex()
        #expect(summary.documents == 5)
        #expect(summary.appliedSequence == 5)
        let rebuilt = try library.openIndex()
        #expect(rebuilt.generation != index.generation)
        for (query, old) in zip(queries, before) {
            let new = try rebuilt.search(SearchRequest(query: query, limit: 20))
            #expect(new.total == old.total, "\(query)")
            #expect(new.hits.map(\.id) == old.hits.map(\.id), "\(query)")
            #expect(new.hits.map(\.snippet) == old.hits.map(\.snippet), "\(query)")
        }
        // Deleting the index entirely and rebuilding gives the same again.
        try FileManager.default.removeItem(at: library.indexURL)
        _ = try library.reindex()
        let fresh = try library.openIndex()
        #expect(try fresh.search(SearchRequest(query: "thanh hoa", limit: 20)).hits.map(\.id) == before[0].hits.map(\.id))
    }

    @Test func aSearchDoesNotQueueBehindAWriter() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let library = try openLibrary(dir)
        try importAll(library, paths(Array(try Fixtures.seedFiles().prefix(2))))
        let writer = try library.openIndex()
        try importAll(library, paths(Array(try Fixtures.seedFiles().suffix(3))))
        // Another connection holds the index's write lock (an import mid-batch) for as long as
        // this block runs: a search that queued behind it would fail with "busy" after the
        // busy timeout instead of answering.
        try writer.write { _ in
            // ...a search opens the index, cannot catch up now, and answers from what is there.
            let index = try library.openIndex(waitForWriters: false)
            #expect(try index.appliedSequence() == 2)
            #expect(try index.search(SearchRequest(query: "thanh hoa")).total >= 1)
        }
        #expect(try library.openIndex().appliedSequence() == 5)
    }

    /// An index built by another version of VanBan (another schema) is rebuilt from the
    /// archive before it is used, never searched as it is.
    @Test func anIndexOfAnotherSchemaIsRebuilt() throws {
        let dir = TempDir(); defer { dir.cleanup() }
        let library = try openLibrary(dir)
        let summary = try library.importDocuments(paths(try Fixtures.seedFiles()))
        #expect(summary.imported == 5 && summary.warnings.isEmpty)
        let old = try library.openIndex()
        try old.connection.execute("UPDATE meta SET value = 0 WHERE key = 'schema'")
        #expect(IndexConnection.needsRebuild(in: library.indexURL))
        // The next process to open the archive (the check is made once per Library).
        let next = try Library(archive: library.archiveURL, index: library.indexURL)
        try next.prepareIndex()
        #expect(!IndexConnection.needsRebuild(in: library.indexURL))
        #expect(try next.status().generation != old.generation)
        #expect(try next.search(SearchRequest(query: "thanh hoa")).total == 5)
    }
}
