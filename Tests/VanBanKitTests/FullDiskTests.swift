import Foundation
import SearchIndex
import Testing
@testable import VanBanKit

/// Reads survive an index that cannot be written (issue 11): searching needs no write, a
/// catch-up that fails on a full disk is reported and searching goes on, and no message names
/// the engine. The full disk is SQLite's own SQLITE_FULL, made deterministic by capping the
/// writer's database at its present size (`simulateFullDiskForTesting`), not by filling a disk.
@Suite struct FullDiskTests {
    /// A long Vietnamese text: indexing it needs new pages, whatever room the last ones had.
    static let longText = (0..<4000).map { "Biên bản số \($0) về việc kiểm kê kho lưu trữ tỉnh Quảng Ngãi năm 2024." }
        .joined(separator: "\n")

    @Test func searchesGoOnWhenCatchUpHitsAFullDisk() throws {
        let f = try SeededLibrary()
        let library = f.library
        // A document reaches the archive without reaching the index (as from another process).
        var options = ImportOptions()
        options.indexing = false
        try library.importDocuments([.payload(ImportPayload(name: "kiem-ke", bytes: Array(Self.longText.utf8)))], options: options)
        #expect(try library.status().lag == 1)

        // The disk is full for the index: catching up fails with SQLITE_FULL.
        try library.withWriter { try $0.simulateFullDiskForTesting() }
        let warning = try #require(try library.prepareIndexForReading())
        #expect(warning.contains("could not catch up with the archive (1 manifest record not indexed yet)"))
        #expect(warning.contains("index disk is full"))
        #expect(!warning.contains("SQLite"))

        // Searching needs no write: the five seeds are found, the new text is not there yet.
        #expect(try library.search(SearchRequest(query: "thanh hoa")).total == 5)
        #expect(try library.search(SearchRequest(query: "quảng ngãi kiểm kê", strict: true)).total == 0)
        #expect(try library.status().caughtUp == false)

        // Space again (a new writer connection, without the cap): the next catch-up heals it.
        #expect(try library.prepareIndexForReading() == nil)
        #expect(try library.search(SearchRequest(query: "quảng ngãi kiểm kê", strict: true)).total == 1)
        #expect(try library.status().caughtUp)
    }
}
