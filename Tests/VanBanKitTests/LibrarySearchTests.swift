import Archive
import Foundation
import SearchIndex
import Testing
@testable import VanBanKit

/// The facade's search side as a server uses it: a pool of reader connections, a result cache
/// valid for one index state, and following a reindex.
@Suite struct LibrarySearchTests {
    @Test func concurrentSearchesShareAFewConnections() async throws {
        let f = try SeededLibrary()
        let service = f.library
        try await withThrowingTaskGroup(of: Int.self) { group in
            for k in 0..<64 {
                group.addTask {
                    try await Task.detached { try service.search(SearchRequest(query: k % 2 == 0 ? "thanh hoa" : "phối hợp")).total }.value
                }
            }
            for try await total in group { #expect(total > 0) }
        }
        let state = service.readerPoolState
        #expect(state.busy == 0)
        #expect(state.idle <= Library.Configuration().maxIdleReaders)
        #expect(throws: QueryError.self) { try service.search(SearchRequest(query: "")) }
        #expect(service.readerPoolState.busy == 0)
    }

    /// A pooled reader sees what was committed after its previous search (no snapshot kept).
    @Test func pooledReaderSeesLaterImports() throws {
        let f = try SeededLibrary()
        let service = try f.reopened { $0.maxIdleReaders = 1 }
        for q in ["thanh hoa", "phối hợp", "kind:news", "from:2021"] { _ = try service.search(SearchRequest(query: q)) }
        _ = try service.search(SearchRequest(query: "thanh hoa", sort: .date))
        #expect(service.readerPoolState.idle == 1)
        let other = try Library(archive: f.library.archiveURL, index: f.library.indexURL)
        try other.importDocuments([.payload(ImportPayload(name: "x", bytes: Array("Thanh Hóa mới nhập".utf8)))])
        #expect(try service.search(SearchRequest(query: "thanh hoa")).total == 6)
        #expect(try service.status().caughtUp)
    }

    /// Repeated searches come from the cache until the index changes (here: an import by
    /// another process, which the service has not seen).
    @Test func resultCacheIsInvalidatedByIndexChanges() throws {
        let f = try SeededLibrary()
        let service = try f.reopened { $0.cacheEntries = 10 }
        let request = SearchRequest(query: "thanh hoa", limit: 3)
        let first = try service.search(request)
        let again = try service.search(request)
        #expect(service.cacheCounters.hits == 1)
        #expect(again.hits.map(\.id) == first.hits.map(\.id))
        #expect(again.total == first.total)
        let other = try Library(archive: f.library.archiveURL, index: f.library.indexURL)
        try other.importDocuments([.payload(ImportPayload(name: "x", bytes: Array("Thanh Hóa thanh hoa Thanh Hoá".utf8)))])
        let after = try service.search(request)
        #expect(after.total == first.total + 1)
        #expect(service.cacheCounters.hits == 1, "the stale entry was not served")
        // Bounded: many distinct queries keep at most the configured number.
        for k in 0..<40 { _ = try service.search(SearchRequest(query: "thanh \(k)")) }
        #expect(service.cacheCounters.entries <= 10)
        // Disabled cache: every search runs.
        let uncached = try f.reopened { $0.cacheEntries = 0 }
        _ = try uncached.search(request)
        _ = try uncached.search(request)
        #expect(uncached.cacheCounters.hits == 0)
    }

    /// After `vanban reindex` swaps in a new generation, searches move to it.
    @Test func followsANewGeneration() async throws {
        let f = try SeededLibrary()
        let service = try f.reopened { $0.staleCheckInterval = .zero }
        let before = try service.status().generation
        #expect(try service.search(SearchRequest(query: "thanh hoa")).total == 5)
        _ = try f.library.reindex()
        let after = try service.status().generation
        #expect(after != before)
        #expect(try service.search(SearchRequest(query: "thanh hoa")).total == 5)
        // The writer follows too: an import after the swap is searchable.
        let summary = try service.importDocuments([.payload(ImportPayload(name: "n", bytes: Array("Thanh Hóa sau khi tái lập chỉ mục".utf8)))])
        #expect(summary.imported == 1)
        #expect(summary.warnings.isEmpty, "\(summary.warnings)")
        #expect(try service.search(SearchRequest(query: "thanh hoa")).total == 6)
        #expect(try service.status().caughtUp)
    }
}

/// The five seed documents in a fresh archive, imported and indexed.
final class SeededLibrary: @unchecked Sendable {
    let dir = TempDir("vanban-library")
    let library: Library

    init() throws {
        var configuration = Library.Configuration()
        configuration.cacheEntries = 4096
        configuration.searchBudget = .unlimited  // outcomes never depend on the clock (see SearchBudgetTests)
        library = try Library(archive: dir.file("archive"), index: dir.file("index"), create: true, configuration: configuration)
        let summary = try library.importDocuments(try Fixtures.seedFiles().map { .path($0.path) })
        precondition(summary.imported == 5 && summary.warnings.isEmpty, "the seeds import and index: \(summary.warnings)")
    }

    deinit { dir.cleanup() }

    /// Another `Library` on the same archive and index, configured by `configure`.
    func reopened(_ configure: (inout Library.Configuration) -> Void) throws -> Library {
        var configuration = Library.Configuration()
        configuration.searchBudget = .unlimited
        configure(&configuration)
        return try Library(archive: library.archiveURL, index: library.indexURL, configuration: configuration)
    }
}
